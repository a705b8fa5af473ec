#include "platform/shop_export.hpp"

#include <fmt/format.h>
#include <zip.h>

#include <memory>
#include <stdexcept>

#include "platform/csv.hpp"
#include "platform/db_copy.hpp"
#include "platform/json.hpp"
#include "platform/schema.hpp"
#include "platform/secret_box.hpp"
#include "platform/types.hpp"

namespace backroom::shop_export {

namespace {

// Tables of credentials or of stored answers that may hold them (an API key's creation is
// replayed from idempotency_keys, sealed).
const std::vector<LeftOut> tables_left_out{
    {"sessions", "sign-in sessions: their secrets, and they end anyway"},
    {"idempotent_requests", "answers stored for retries (24 hours), some holding a new API key"},
};
const std::vector<LeftOut> columns_left_out{
    {"users.password_hash", "a password is never given out, not even hashed"},
    {"users.pin_hash", "as a password"},
    {"api_keys.secret_hash", "as a password"},
    {"overrides.secret_hash", "a manager's one-time override token"},
    {"webhook_endpoints.secret", "a receiver's signing secret"},
    {"webhook_endpoints.previous_secret", "a receiver's signing secret"},
    {"order_channels.secret", "a web shop's signing secret"},
    {"online_order_substitutions.token_hash", "a customer's link"},
    {"customers.phone_index", "a keyed hash for look-up, meaningless outside this shop (the phone is exported)"},
    {"customers.email_index", "a keyed hash for look-up, meaningless outside this shop (the e-mail is exported)"},
};

bool listed(const std::vector<LeftOut>& list, std::string_view what) {
  for (const auto& l : list)
    if (l.what == what) return true;
  return false;
}

struct ZipCloser {
  void operator()(zip_t* z) const {
    if (z) zip_discard(z);
  }
};

}  // namespace

bool exported_table(std::string_view table) { return !listed(tables_left_out, table); }

bool exported_column(std::string_view table, std::string_view column) {
  return !listed(columns_left_out, fmt::format("{}.{}", table, column));
}

const std::vector<LeftOut>& left_out() {
  static const std::vector<LeftOut> all = [] {
    auto v = tables_left_out;
    v.insert(v.end(), columns_left_out.begin(), columns_left_out.end());
    return v;
  }();
  return all;
}

Export export_shop(db::Db& db, std::string_view db_location) {
  Export out;
  std::vector<std::pair<std::string, std::string>> files;  // name, CSV text
  {
    db::ReadSnapshot snapshot(db);
    for (const auto& table : db::table_names(db)) {
      if (!exported_table(table)) continue;
      auto rows = db.query(fmt::format("SELECT * FROM \"{}\"", table));
      std::string csv;
      std::vector<int> columns;
      std::int64_t count = 0;
      auto header = [&] {
        std::vector<std::string> names;
        for (int c = 0; c < rows.column_count(); ++c) {
          auto name = rows.column_name(c);
          if (!exported_column(table, name)) continue;
          columns.push_back(c);
          names.push_back(name);
        }
        csv += platform::csv_line(names);
      };
      while (rows.step()) {
        if (count++ == 0) header();
        std::vector<std::string> fields;
        fields.reserve(columns.size());
        for (int c : columns) {
          if (rows.is_null(c))
            fields.emplace_back();
          else if (rows.is_integer(c))
            fields.push_back(std::to_string(rows.int64(c)));
          else
            fields.push_back(platform::csv_export_safe(json::with_bare_decimals(secret_box::reveal(db_location, rows.text(c)))));
        }
        csv += platform::csv_line(fields);
      }
      if (count == 0) header();  // an empty table still says its columns
      out.files.push_back(ExportedFile{table + ".csv", count});
      files.emplace_back(table + ".csv", std::move(csv));
    }
  }
  std::string readme = fmt::format(
      "Backroom shop export\r\nmade {} (UTC), schema version {}\r\n\r\nOne CSV file per table (UTF-8, comma, "
      "header row; an empty field is no value; amounts are minor units, quantities thousandths of a unit, "
      "times microseconds since 1970 unless the column says otherwise).\r\n\r\n",
      format_rfc3339(now()), schema::current_version(db));
  for (const auto& f : out.files) readme += fmt::format("{}: {} rows\r\n", f.name, f.rows);
  readme += "\r\nLeft out, on purpose:\r\n";
  for (const auto& l : left_out()) readme += fmt::format("- {}: {}\r\n", l.what, l.why);
  files.emplace_back("README.txt", std::move(readme));

  // The archive in memory (libzip): deflated, one entry per file.
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (!buffer) throw std::runtime_error(fmt::format("zip: {}", zip_error_strerror(&error)));
  std::unique_ptr<zip_t, ZipCloser> archive(zip_open_from_source(buffer, ZIP_TRUNCATE, &error));
  if (!archive) {
    zip_source_free(buffer);
    throw std::runtime_error(fmt::format("zip: {}", zip_error_strerror(&error)));
  }
  zip_source_keep(buffer);  // read back after zip_close
  for (auto& [name, text] : files) {
    zip_source_t* s = zip_source_buffer(archive.get(), text.data(), text.size(), 0);
    if (!s || zip_file_add(archive.get(), name.c_str(), s, ZIP_FL_ENC_UTF_8) < 0) {
      if (s) zip_source_free(s);
      zip_source_free(buffer);
      throw std::runtime_error(fmt::format("zip: {}", zip_strerror(archive.get())));
    }
  }
  if (zip_close(archive.get()) < 0) {
    zip_source_free(buffer);
    throw std::runtime_error(fmt::format("zip: {}", zip_strerror(archive.get())));
  }
  archive.release();  // closed: nothing to discard
  zip_stat_t st;
  if (zip_source_open(buffer) < 0 || zip_source_stat(buffer, &st) < 0) {
    zip_source_free(buffer);
    throw std::runtime_error("zip: the archive cannot be read back");
  }
  out.zip.resize(static_cast<std::size_t>(st.size));
  auto read = zip_source_read(buffer, out.zip.data(), st.size);
  zip_source_close(buffer);
  zip_source_free(buffer);
  if (read < 0 || static_cast<zip_uint64_t>(read) != st.size) throw std::runtime_error("zip: short read of the archive");
  return out;
}

}  // namespace backroom::shop_export
