#include "access/permissions.hpp"

#include "platform/http.hpp"

namespace backroom::permission {

void install_vocabulary(http::Router& router) { router.may_declare = route_may_declare; }

}  // namespace backroom::permission
