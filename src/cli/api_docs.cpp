#include "cli/api_docs.hpp"

#include <fmt/format.h>

#include <map>
#include <string>

#include "access/permissions.hpp"
#include "platform/text.hpp"

namespace backroom::cli {

extern const unsigned char openapi_yaml[];  // generated from docs/openapi.yaml (CMakeLists.txt)

namespace {


// "/api/v1/purchase-orders/{id}/receipts" -> "purchase-orders"; "/healthz" -> "health".
std::string group_of(std::string_view pattern) {
  constexpr std::string_view prefix = "/api/v1/";
  if (!pattern.starts_with(prefix)) return pattern == "/healthz" ? "health" : "api";
  auto rest = pattern.substr(prefix.size());
  return std::string(rest.substr(0, rest.find('/')));
}

std::string page(const std::vector<http::Route>& routes) {
  std::map<std::string, std::string> groups;
  auto key_text = [](const http::Route& r) -> std::string {
    switch (r.idempotency) {
      case http::Idempotency::not_mutating: return "";
      case http::Idempotency::stored: return "replayed";
      case http::Idempotency::stored_sealed: return "replayed (stored sealed)";
      case http::Idempotency::natural: return "not needed: " + r.idempotency_note;
      case http::Idempotency::none: return "refused: " + r.idempotency_note;
    }
    return "";
  };
  for (const auto& r : routes)
    groups[group_of(r.pattern)] += fmt::format(
        "<tr><td><code class=\"m {0}\">{1}</code></td><td><code>{2}</code></td><td>{3}</td><td><code>{4}</code></td><td>{5}</td></tr>\n",
        r.method == "GET" ? "read" : "write", text::html_escape(r.method), text::html_escape(r.pattern), text::html_escape(r.summary),
        text::html_escape(r.permission), text::html_escape(key_text(r)));
  std::string toc, body;
  for (const auto& [name, rows] : groups) {
    toc += fmt::format("<a href=\"#{0}\">{0}</a> ", text::html_escape(name));
    body += fmt::format(
        "<section id=\"{0}\"><h2>{0}</h2><table><thead><tr><th>Method</th><th>Path</th><th>What it does</th>"
        "<th>Permission</th><th>Idempotency-Key</th></tr></thead><tbody>\n{1}</tbody></table></section>\n",
        text::html_escape(name), rows);
  }
  return fmt::format(R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Backroom API reference</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 70rem; padding: 1rem; color: #1a1a1a; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 1.5rem; }}
th, td {{ text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ddd; vertical-align: top; }}
code.m {{ font-weight: 700; }} code.read {{ color: #0b5; }} code.write {{ color: #b50; }}
nav a {{ display: inline-block; min-height: 44px; line-height: 44px; margin-right: .8rem; }}
</style></head><body>
<h1>Backroom API reference</h1>
<p>Every route this server answers, with the permission its caller's role needs
(<code>authenticated</code>: any signed-in user or API key). Authenticate with
<code>Authorization: Bearer &lt;API key&gt;</code>. Errors are RFC 9457 problem+json with a stable
<code>code</code> and the <code>field</code> at fault; lists page with <code>limit</code> and
<code>cursor</code>; writes take an <code>Idempotency-Key</code>. The full contract, with every body and
answer: <a href="/api/openapi.yaml">openapi.yaml</a> (OpenAPI 3.1).</p>
<nav aria-label="Groups">{0}</nav>
{1}</body></html>
)",
                     toc, body);
}

}  // namespace

void register_api_docs(App& app) {
  auto& r = app.router;
  r.add("GET", "/api/docs", std::string(permission::authenticated), "This API reference, as a web page",
        [&app](http::Request&, http::Reply reply) {
          http::Response resp;
          resp.content_type = "text/html; charset=utf-8";
          resp.body = page(app.router.routes());
          reply(std::move(resp));
        });
  r.add("GET", "/api/openapi.yaml", std::string(permission::authenticated), "The API contract (OpenAPI 3.1)",
        [](http::Request&, http::Reply reply) {
          http::Response resp;
          resp.content_type = "application/yaml";
          resp.body = reinterpret_cast<const char*>(openapi_yaml);
          reply(std::move(resp));
        });
}

}  // namespace backroom::cli
