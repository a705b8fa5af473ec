// The HTTP/1.1 server (Boost.Beast, kept in this one translation unit). It enforces the
// transport limits, gives every request an id, writes the access log, serves the built
// UI as static files, and hands /api requests to the Router.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "platform/http.hpp"

namespace backroom::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port (printed on start)
  int threads = 2;
  std::size_t body_bytes_max = 1024 * 1024;
  std::size_t header_bytes_max = 16 * 1024;
  std::chrono::seconds request_timeout{30};
  // Closing a connection whose client may still be writing (a refused upload, a malformed
  // request, `Connection: close`): the answer is sent, the sending side shut down, and what
  // the client still sends is read and dropped, so its kernel does not turn our close into
  // a reset that destroys the answer before the client reads it. Bounded in bytes and time.
  std::size_t linger_bytes_max = 64 * 1024 * 1024;
  std::chrono::milliseconds linger_idle_max{2000};
  std::chrono::milliseconds linger_total_max{10000};
  std::size_t connections_max = 1024;
  std::string static_dir;  // the built web UI; empty = none
  bool access_log = true;
  // Built-in TLS (TLS 1.2 and 1.3 only) when both are set: PEM files, read again on SIGHUP
  // (connections accepted after the reload use the new certificate). Answers then carry HSTS.
  std::string tls_cert_file;
  std::string tls_key_file;
};

class Server {
 public:
  Server(ServerOptions options, const Router& router);
  ~Server();
  // Binds and listens; returns the bound port. Throws on failure (port in use, a TLS
  // certificate or key that cannot be loaded...).
  std::uint16_t listen();
  // Serves until stop() or SIGINT/SIGTERM; blocks the calling thread.
  void run();
  void stop();
  // Reads the TLS certificate and key again (what SIGHUP does); false, logged, when they do
  // not load (the previous ones stay in use).
  bool reload_tls();
  bool tls() const;

 struct Impl;  // public so the connection class in the .cpp can reach it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace backroom::http
