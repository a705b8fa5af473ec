#include "platform/log.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <atomic>
#include <chrono>

namespace backroom::logging {

namespace {

std::atomic<Format> current_format{Format::text};
// A message that starts with this byte carries ready JSON members up to the next one.
constexpr char fields_mark = '\x1e';

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    using namespace std::chrono;
    auto micros = duration_cast<microseconds>(msg.time.time_since_epoch()).count();
    std::time_t seconds = static_cast<std::time_t>(micros / 1'000'000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    std::string_view text(msg.payload.data(), msg.payload.size());
    std::string_view fields;
    if (!text.empty() && text.front() == fields_mark) {
      auto end = text.find(fields_mark, 1);
      if (end != std::string_view::npos) {
        fields = text.substr(1, end - 1);
        text.remove_prefix(end + 1);
      }
    }
    auto level = spdlog::level::to_string_view(msg.level);
    fmt::format_to(std::back_inserter(dest), R"({{"time":"{:%Y-%m-%dT%H:%M:%S}.{:06d}Z","level":"{}","thread":{})", tm,
                   static_cast<int>(micros % 1'000'000), std::string_view(level.data(), level.size()), msg.thread_id);
    if (!fields.empty()) {
      dest.push_back(',');
      dest.append(fields.data(), fields.data() + fields.size());
    }
    auto message = json_string(text);
    fmt::format_to(std::back_inserter(dest), R"(,"msg":{}}})", message);
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

}  // namespace

std::string json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f)
          out += fmt::format("\\u{:04x}", c);
        else
          out += static_cast<char>(c);
    }
  }
  out += '"';
  return out;
}

void configure(const Options& options) {
  spdlog::sink_ptr sink;
  if (options.file.empty())
    sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  else
    sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(options.file, options.max_bytes, options.max_files);
  if (options.format == Format::json)
    sink->set_formatter(std::make_unique<JsonFormatter>());
  auto logger = std::make_shared<spdlog::logger>("backroom", sink);
  logger->set_level(spdlog::default_logger()->level());
  logger->flush_on(options.file.empty() ? spdlog::level::trace : spdlog::level::warn);
  spdlog::set_default_logger(logger);
  if (!options.file.empty()) spdlog::flush_every(std::chrono::seconds(1));
  current_format = options.format;
}

Format format() { return current_format.load(std::memory_order_relaxed); }

void request(spdlog::level::level_enum level, std::string_view request_id, std::string_view message,
             std::initializer_list<Field> fields) {
  if (!spdlog::should_log(level)) return;
  if (format() == Format::text) {
    spdlog::log(level, "{} {}", request_id, message);
    return;
  }
  std::string line;
  line += fields_mark;
  line += "\"request_id\":";
  line += json_string(request_id);
  for (const auto& f : fields) {
    line += ',';
    line += json_string(f.name);
    line += ':';
    line += f.number ? f.value : json_string(f.value);
  }
  line += fields_mark;
  line += message;
  spdlog::log(level, "{}", line);
}

}  // namespace backroom::logging
