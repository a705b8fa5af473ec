#include "catalog/photo.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "access/audit.hpp"
#include "platform/problem.hpp"
#include "platform/types.hpp"

namespace backroom::catalog {

namespace {

namespace bj = boost::json;

std::string lower_trimmed_type(std::string_view content_type) {
  auto end = content_type.find(';');
  std::string_view type = content_type.substr(0, end);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  while (!type.empty() && type.front() == ' ') type.remove_prefix(1);
  std::string out(type);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view type_word(PhotoType type) {
  switch (type) {
    case PhotoType::jpeg: return "JPEG";
    case PhotoType::png: return "PNG";
    case PhotoType::webp: return "WebP";
  }
  return "";
}

}  // namespace

std::optional<PhotoType> photo_type_of(std::string_view content_type) {
  auto type = lower_trimmed_type(content_type);
  if (type == "image/jpeg") return PhotoType::jpeg;
  if (type == "image/png") return PhotoType::png;
  if (type == "image/webp") return PhotoType::webp;
  return std::nullopt;
}

std::string_view content_type_of(PhotoType type) {
  switch (type) {
    case PhotoType::jpeg: return "image/jpeg";
    case PhotoType::png: return "image/png";
    case PhotoType::webp: return "image/webp";
  }
  return "application/octet-stream";
}

bool bytes_are(PhotoType type, std::string_view bytes) {
  switch (type) {
    case PhotoType::jpeg: return bytes.starts_with(std::string_view("\xFF\xD8\xFF", 3));
    case PhotoType::png: return bytes.starts_with(std::string_view("\x89PNG\r\n\x1A\n", 8));
    case PhotoType::webp: return bytes.size() >= 12 && bytes.starts_with("RIFF") && bytes.substr(8, 4) == "WEBP";
  }
  return false;
}

std::string photo_etag(std::string_view bytes) {
  unsigned char digest[16];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr, 0);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return fmt::format("\"p-{}\"", hex);
}

http::Response photo_response(Photo photo, std::optional<std::string_view> if_none_match) {
  http::Response r;
  r.header("ETag", photo.etag);
  r.header("Cache-Control", "private, no-cache");
  if (if_none_match && *if_none_match == photo.etag) {
    r.status = 304;
    return r;
  }
  r.content_type = std::string(content_type_of(photo.type));
  r.body = std::move(photo.bytes);
  return r;
}

std::string put_photo(db::Db& db, const Actor& actor, const std::string& item_id, std::string_view content_type,
                      std::string_view bytes) {
  auto type = photo_type_of(content_type);
  if (!type)
    throw Problem(415, "unsupported_photo_type",
                  fmt::format("a photo is sent as image/jpeg, image/png or image/webp, not '{}'", content_type),
                  "content-type");
  if (bytes.size() > photo_bytes_max)
    throw Problem(413, "photo_too_large",
                  fmt::format("a photo is at most {} KiB; this one is {} KiB (shrink it first)", photo_bytes_max / 1024,
                              (bytes.size() + 1023) / 1024),
                  "body");
  if (bytes.empty() || !bytes_are(*type, bytes))
    throw Problem(422, "photo_mismatch", fmt::format("the body is not a {} picture", type_word(*type)), "body");
  if (!store::item_exists(db, item_id)) throw not_found("item", item_id);
  auto before = store::photo_etags(db, {item_id});
  auto etag = photo_etag(bytes);
  store::replace_photo(db, item_id, *type, bytes, etag, now().micros, actor.user);
  auto summary = [](std::string_view type_text, std::size_t size, const std::string& tag) {
    return bj::serialize(bj::object{{"content_type", type_text}, {"bytes", size}, {"etag", tag}});
  };
  std::optional<std::string> before_text;
  if (!before.empty()) before_text = bj::serialize(bj::object{{"etag", before.begin()->second}});
  append_audit(db, actor, AuditEntry{"item.photo", "item", item_id, before_text, summary(content_type_of(*type), bytes.size(), etag)});
  return etag;
}

bool remove_photo(db::Db& db, const Actor& actor, const std::string& item_id) {
  if (!store::item_exists(db, item_id)) throw not_found("item", item_id);
  auto before = store::photo_etags(db, {item_id});
  if (before.empty()) return false;
  store::delete_photo(db, item_id);
  append_audit(db, actor,
               AuditEntry{"item.photo", "item", item_id, bj::serialize(bj::object{{"etag", before.begin()->second}}),
                          std::nullopt});
  return true;
}

}  // namespace backroom::catalog
