#include "platform/http_server.hpp"

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "platform/log.hpp"
#include "platform/metrics.hpp"

namespace backroom::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
namespace ssl = net::ssl;

namespace {

std::atomic<std::uint64_t> request_counter{0};

std::string make_request_id() {
  static const std::uint64_t boot = static_cast<std::uint64_t>(
      std::chrono::steady_clock::now().time_since_epoch().count() & 0xffffff);
  return fmt::format("{:06x}-{:x}", boot, ++request_counter);
}

bool sane_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  return true;
}

std::string content_type_for(const std::filesystem::path& p) {
  auto ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".json") return "application/json";
  if (ext == ".webmanifest") return "application/manifest+json";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".pdf") return "application/pdf";
  if (ext == ".mp3") return "audio/mpeg";
  if (ext == ".wav") return "audio/wav";
  return "application/octet-stream";
}

// A server context that speaks TLS 1.2 and 1.3 only, with the given PEM files.
std::shared_ptr<ssl::context> make_tls_context(const std::string& cert_file, const std::string& key_file) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  if (SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION) != 1)
    throw std::runtime_error("cannot require TLS 1.2");
  ctx->use_certificate_chain_file(cert_file);
  ctx->use_private_key_file(key_file, ssl::context::pem);
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1)
    throw std::runtime_error(fmt::format("the TLS key {} does not belong to the certificate {}", key_file, cert_file));
  return ctx;
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  const Router& router;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  net::signal_set signals{ioc, SIGINT, SIGTERM};
  net::signal_set reload_signals{ioc};
  std::atomic<std::size_t> connections{0};
  mutable std::mutex tls_mutex;
  std::shared_ptr<ssl::context> tls_context;  // null: plain HTTP

  Impl(ServerOptions o, const Router& r) : options(std::move(o)), router(r) {}
  bool tls() const { return !options.tls_cert_file.empty(); }
  std::shared_ptr<ssl::context> current_tls() const {
    std::lock_guard lock(tls_mutex);
    return tls_context;
  }
  void wait_for_reload();

  void accept();
  bool serve_static(const Request& req, Response& out) const;
  void handle(Request& req, Reply reply);
};

// One connection; Stream is beast::tcp_stream (HTTP) or ssl_stream over it (HTTPS).
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
  using std::enable_shared_from_this<Session<Stream>>::shared_from_this;

 public:
  Session(tcp::socket socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) {
    ++server_.connections;
    buffer_.reserve(read_buffer_bytes);
  }
  Session(tcp::socket socket, ssl::context& ctx, Server::Impl& server) : stream_(std::move(socket), ctx), server_(server) {
    ++server_.connections;
    buffer_.reserve(read_buffer_bytes);
  }
  ~Session() { --server_.connections; }

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
        self->read();
      } else {
        // A client that offers only TLS 1.1 or less (or no TLS) fails here and is closed.
        self->lowest().expires_after(self->server_.options.request_timeout);
        self->stream_.async_handshake(ssl::stream_base::server, [self](beast::error_code ec) {
          if (ec) {
            spdlog::debug("TLS handshake refused: {}", ec.message());
            beast::error_code ignored;
            self->lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
            return;
          }
          self->read();
        });
      }
    });
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void read() {
    parser_.emplace();
    parser_->body_limit(server_.options.body_bytes_max);
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.header_bytes_max));
    lowest().expires_after(server_.options.request_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      refuse(413, "payload_too_large",
             fmt::format("request body is larger than {} bytes", server_.options.body_bytes_max));
      return;
    }
    if (ec == bhttp::error::header_limit) {
      refuse(431, "headers_too_large",
             fmt::format("request headers are larger than {} bytes", server_.options.header_bytes_max));
      return;
    }
    if (ec == bhttp::error::bad_target || ec == bhttp::error::bad_method || ec == bhttp::error::bad_field ||
        ec == bhttp::error::bad_value || ec == bhttp::error::bad_version) {
      refuse(400, "bad_request", "malformed HTTP request");
      return;
    }
    if (ec) {
      beast::error_code ignored;
      lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
      return;
    }
    lowest().expires_never();
    auto& msg = parser_->get();
    keep_alive_ = msg.keep_alive();
    started_ = std::chrono::steady_clock::now();

    auto req = std::make_shared<Request>();
    req->method = std::string(msg.method_string());
    req->target = std::string(msg.target());
    for (const auto& field : msg) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      req->headers.emplace_back(std::move(name), std::string(field.value()));
    }
    auto id = req->header("x-request-id");
    req->request_id = id && sane_request_id(*id) ? std::string(*id) : make_request_id();
    if (remote_.empty()) {  // once a connection: the peer does not change (a system call each time)
      beast::error_code ep_ec;
      auto endpoint = lowest().socket().remote_endpoint(ep_ec);
      remote_ = ep_ec ? "unknown" : endpoint.address().to_string();
    }
    req->remote = remote_;
    req->body = std::move(msg.body());

    auto parsed = boost::urls::parse_origin_form(req->target);
    if (!parsed) {
      Response r = problem_response(Problem(400, "bad_request", "request target is not a valid URL path"), req.get());
      write(req, std::move(r));
      return;
    }
    req->path = std::string(parsed->encoded_path());
    if (req->path.empty()) req->path = "/";
    for (auto param : parsed->params()) req->query.emplace_back(param.key, param.value);

    auto self = shared_from_this();
    server_.handle(*req, [self, req](Response r) {
      net::post(self->stream_.get_executor(), [self, req, r = std::move(r)]() mutable { self->write(req, std::move(r)); });
    });
  }

  void refuse(int status, std::string code, std::string detail) {
    keep_alive_ = false;
    Request req;
    req.request_id = make_request_id();
    started_ = std::chrono::steady_clock::now();
    write(std::make_shared<Request>(std::move(req)), problem_response(Problem(status, std::move(code), std::move(detail))));
  }

  // The head every answer carries (the handler's headers last, so they win).
  template <class Message>
  void set_head(Message& res, const Request& req, Response& r) {
    res.result(static_cast<unsigned>(r.status));
    res.version(11);
    res.set(bhttp::field::server, "backroom");
    res.set(bhttp::field::content_type, r.content_type);
    res.set("X-Request-Id", req.request_id);
    res.set("X-Content-Type-Options", "nosniff");
    if constexpr (!std::is_same_v<Stream, beast::tcp_stream>)
      res.set(bhttp::field::strict_transport_security, "max-age=31536000");
    for (auto& [k, v] : r.headers) res.set(k, v);
    res.keep_alive(keep_alive_);
  }

  // Metrics and the access log, once an answer of `size` bytes is handed over (a streamed one:
  // once its last byte is written, so the time is the whole transfer).
  void note(const Request& req, int status, std::size_t size) {
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_).count();
    metrics::global().request(req.route, req.method, status, static_cast<double>(micros) / 1e6);
    if (server_.options.access_log) {
      if (logging::format() == logging::Format::json)
        logging::request(spdlog::level::info, req.request_id, "request",
                         {{"remote", req.remote},
                          {"method", req.method},
                          {"target", req.target},
                          {"route", req.route ? std::string_view(req.route->pattern) : std::string_view()},
                          {"status", static_cast<std::int64_t>(status)},
                          {"bytes", static_cast<std::int64_t>(size)},
                          {"micros", static_cast<std::int64_t>(micros)}});
      else
        spdlog::info("{} {} {} {} {} {}B {}us", req.request_id, req.remote, req.method, req.target, status, size, micros);
    }
  }

  // After an answer: the next request on this connection, or the close.
  void next_request(bool answer_keeps_alive) {
    if (!keep_alive_ || !answer_keeps_alive) {
      linger();
      return;
    }
    read();
  }

  void cut() {
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
  }

  void write(const std::shared_ptr<Request>& req, Response r) {
    bool head = req->method == "HEAD";
    if (r.stream && !head) {
      write_stream(req, std::move(r));
      return;
    }
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    set_head(*res, *req, r);
    std::size_t size = r.body.size();
    res->body() = head ? std::string() : std::move(r.body);
    res->prepare_payload();
    if (head) res->content_length(size);
    note(*req, r.status, size);
    bhttp::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
      if (ec) {
        self->cut();
        return;
      }
      self->next_request(res->keep_alive());
    });
  }

  // A streamed answer (Response::stream): chunked, one part produced, then written, then the
  // next. Each write has the request timeout, so a client that stops reading is dropped and
  // what the producer holds is let go.
  struct Streamed {
    bhttp::response<bhttp::buffer_body> res;
    std::optional<bhttp::response_serializer<bhttp::buffer_body>> serializer;
    std::function<bool(std::string&)> produce;
    std::string part;
    bool more = true;
    std::size_t bytes = 0;
    int status = 200;
  };

  void write_stream(const std::shared_ptr<Request>& req, Response r) {
    auto s = std::make_shared<Streamed>();
    set_head(s->res, *req, r);
    s->res.chunked(true);
    s->res.body().data = nullptr;
    s->res.body().more = true;
    s->produce = std::move(r.stream);
    s->status = r.status;
    s->part.reserve(80 * 1024);
    s->serializer.emplace(s->res);
    lowest().expires_after(server_.options.request_timeout);
    bhttp::async_write_header(stream_, *s->serializer, [self = shared_from_this(), req, s](beast::error_code ec, std::size_t) {
      if (ec) {
        self->cut();
        return;
      }
      self->write_part(req, s);
    });
  }

  void write_part(const std::shared_ptr<Request>& req, const std::shared_ptr<Streamed>& s) {
    s->part.clear();
    if (s->more) {
      try {
        s->more = s->produce(s->part);
      } catch (...) {
        auto problem = error_response(std::current_exception(), req.get());
        spdlog::error("{} {} {}: the streamed answer is cut after {} bytes", req->request_id, req->method, req->target, s->bytes);
        note(*req, problem.status, s->bytes);
        cut();
        return;
      }
    }
    if (!s->more) s->produce = nullptr;  // lets go of the connection and snapshot it read
    s->bytes += s->part.size();
    s->res.body().data = s->part.empty() ? nullptr : s->part.data();
    s->res.body().size = s->part.size();
    s->res.body().more = s->more;
    lowest().expires_after(server_.options.request_timeout);
    bhttp::async_write(stream_, *s->serializer, [self = shared_from_this(), req, s](beast::error_code ec, std::size_t) {
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) {
        self->cut();
        return;
      }
      if (!s->serializer->is_done()) {
        self->write_part(req, s);
        return;
      }
      self->lowest().expires_never();
      self->note(*req, s->status, s->bytes);
      self->next_request(s->res.keep_alive());
    });
  }

  // Half-close, then read and drop until the client closes or a bound is reached (see
  // ServerOptions::linger_*). Closing with unread bytes in the receive queue makes Linux
  // send a reset, and a client still writing its body then sees a broken pipe instead of
  // the answer it was sent.
  void linger() {
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    linger_until_ = std::chrono::steady_clock::now() + server_.options.linger_total_max;
    linger_bytes_ = 0;
    drain();
  }

  void drain() {
    auto now = std::chrono::steady_clock::now();
    if (now >= linger_until_ || linger_bytes_ >= server_.options.linger_bytes_max) return;  // closes
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(linger_until_ - now);
    lowest().expires_after(std::min(left, server_.options.linger_idle_max));
    stream_.async_read_some(net::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec) return;  // EOF (the client read the answer and closed), timeout, reset
                              self->linger_bytes_ += n;
                              self->drain();
                            });
  }

  // Beast reads at most the buffer's free capacity a time (and at least 512 bytes), and a body
  // read into a string leaves the buffer empty, so a buffer that only ever held a request's
  // head stays about a kilobyte: a store node's push of ~1 MB came in ~330 bytes a read
  // (57,284 recvmsg, as many timer re-arms and thread wake-ups, for 19 pushes; strace -c).
  // 64 KiB is the most Beast asks for in one read: at most 64 MiB for the 1,024 connections
  // the server accepts (Options::connections_max), 4 MiB for a shop's 64.
  static constexpr std::size_t read_buffer_bytes = 64 * 1024;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Server::Impl& server_;
  bool keep_alive_ = true;
  std::string remote_;  // the peer's address, asked once
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point linger_until_;
  std::size_t linger_bytes_ = 0;
  std::array<char, 16 * 1024> drain_buffer_;
};

// An HTTPS connection that keeps the TLS context it was accepted with (a SIGHUP reload
// replaces the server's context, not this connection's).
class TlsSession : public Session<beast::ssl_stream<beast::tcp_stream>> {
 public:
  TlsSession(tcp::socket socket, ssl::context& ctx, Server::Impl& server, std::shared_ptr<ssl::context> keep)
      : Session(std::move(socket), ctx, server), keep_(std::move(keep)) {}

 private:
  std::shared_ptr<ssl::context> keep_;
};

void Server::Impl::wait_for_reload() {
  reload_signals.async_wait([this](beast::error_code ec, int) {
    if (ec) return;
    try {
      auto ctx = make_tls_context(options.tls_cert_file, options.tls_key_file);
      {
        std::lock_guard lock(tls_mutex);
        tls_context = std::move(ctx);
      }
      spdlog::info("SIGHUP: TLS certificate {} reloaded; new connections use it", options.tls_cert_file);
    } catch (const std::exception& e) {
      spdlog::error("SIGHUP: the TLS certificate or key did not load ({}); the previous one stays in use", e.what());
    }
    wait_for_reload();
  });
}

void Server::Impl::accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted) return;
      spdlog::warn("accept failed: {}", ec.message());
    } else if (connections.load() >= options.connections_max) {
      beast::error_code ignored;
      socket.close(ignored);  // over the limit: refuse early rather than starve the others
    } else {
      socket.set_option(tcp::no_delay(true));
      if (auto ctx = current_tls())  // the context stays alive with the connections that use it
        std::make_shared<TlsSession>(std::move(socket), *ctx, *this, ctx)->start();
      else
        std::make_shared<Session<beast::tcp_stream>>(std::move(socket), *this)->start();
    }
    accept();
  });
}

bool Server::Impl::serve_static(const Request& req, Response& out) const {
  if (options.static_dir.empty() || (req.method != "GET" && req.method != "HEAD")) return false;
  namespace fs = std::filesystem;
  std::string rel = req.path;
  if (rel.find("..") != std::string::npos || rel.find('\0') != std::string::npos) return false;
  fs::path root(options.static_dir);
  fs::path file = root / rel.substr(1);
  std::error_code ec;
  bool hashed_asset = rel.starts_with("/assets/");
  if (rel == "/" || !fs::is_regular_file(file, ec)) {
    if (hashed_asset) return false;
    file = root / "index.html";  // the single-page app handles its own routes
    if (!fs::is_regular_file(file, ec)) return false;
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream data;
  data << in.rdbuf();
  out.status = 200;
  out.content_type = content_type_for(file);
  out.body = data.str();
  out.header("Cache-Control", hashed_asset ? "public, max-age=31536000, immutable" : "no-cache");
  out.header("Content-Security-Policy",
             "default-src 'self'; img-src 'self' data: blob:; media-src 'self' data:; style-src 'self'; "
             "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  out.header("X-Frame-Options", "DENY");
  out.header("Referrer-Policy", "no-referrer");
  return true;
}

void Server::Impl::handle(Request& req, Reply reply) {
  if (!req.path.starts_with("/api/") && req.path != "/healthz" && req.path != "/metrics") {
    Response r;
    if (serve_static(req, r)) {
      reply(std::move(r));
      return;
    }
  }
  router.dispatch(req, [reply = std::move(reply)](Response r) {
    if (r.content_type.starts_with("application/json") || r.content_type.starts_with("application/problem"))
      r.header("Cache-Control", "no-store");
    reply(std::move(r));
  });
}

Server::Server(ServerOptions options, const Router& router) : impl_(std::make_unique<Impl>(std::move(options), router)) {}
Server::~Server() = default;

std::uint16_t Server::listen() {
  if (impl_->options.tls_cert_file.empty() != impl_->options.tls_key_file.empty())
    throw std::runtime_error("TLS needs both --tls-cert and --tls-key");
  if (impl_->tls()) {
    try {
      impl_->tls_context = make_tls_context(impl_->options.tls_cert_file, impl_->options.tls_key_file);
    } catch (const std::exception& e) {
      throw std::runtime_error(fmt::format("cannot load the TLS certificate {} and key {}: {}", impl_->options.tls_cert_file,
                                           impl_->options.tls_key_file, e.what()));
    }
  }
  auto address = net::ip::make_address(impl_->options.host);
  tcp::endpoint endpoint(address, impl_->options.port);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(net::socket_base::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen(net::socket_base::max_listen_connections);
  return impl_->acceptor.local_endpoint().port();
}

void Server::run() {
  impl_->signals.async_wait([this](beast::error_code, int) { stop(); });
  if (impl_->tls()) {
    impl_->reload_signals.add(SIGHUP);
    impl_->wait_for_reload();
  }
  impl_->accept();
  std::vector<std::thread> workers;
  for (int i = 1; i < impl_->options.threads; ++i) workers.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : workers) t.join();
}

bool Server::tls() const { return impl_->tls(); }

bool Server::reload_tls() {
  try {
    auto ctx = make_tls_context(impl_->options.tls_cert_file, impl_->options.tls_key_file);
    std::lock_guard lock(impl_->tls_mutex);
    impl_->tls_context = std::move(ctx);
    return true;
  } catch (const std::exception& e) {
    spdlog::error("TLS reload failed: {}", e.what());
    return false;
  }
}

void Server::stop() {
  net::post(impl_->ioc, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
    impl_->signals.cancel(ignored);
    impl_->reload_signals.cancel(ignored);
    impl_->ioc.stop();
  });
}

}  // namespace backroom::http
