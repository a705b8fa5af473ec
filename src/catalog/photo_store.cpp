#include <sodium.h>

#include <boost/json.hpp>

#include "catalog/photo.hpp"
#include "platform/assert.hpp"

namespace backroom::catalog::store {

namespace {

std::string to_base64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::string from_base64(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t length = 0;
  int rc = sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                             &length, nullptr, sodium_base64_VARIANT_ORIGINAL);
  BR_ASSERT(rc == 0, "a stored photo is valid base64");
  out.resize(length);
  return out;
}

PhotoType stored_type(std::string_view content_type) {
  auto type = photo_type_of(content_type);
  BR_ASSERT(type.has_value(), "a stored photo has one of the three types");
  return *type;
}

}  // namespace

bool item_exists(db::Db& db, const std::string& item_id) {
  auto q = db.query("SELECT 1 FROM items WHERE id = ?");
  q.bind(1, item_id);
  return q.step();
}

void replace_photo(db::Db& db, const std::string& item_id, PhotoType type, std::string_view bytes,
                   const std::string& etag, std::int64_t at, const std::string& by) {
  db::assert_in_transaction(db);
  db.query("DELETE FROM item_photos WHERE item_id = ?").bind(1, item_id).run();
  db.query(
        "INSERT INTO item_photos (item_id, content_type, data, bytes, etag, updated_at, updated_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind(1, item_id)
      .bind(2, std::string(content_type_of(type)))
      .bind(3, to_base64(bytes))
      .bind(4, static_cast<std::int64_t>(bytes.size()))
      .bind(5, etag)
      .bind(6, at)
      .bind(7, by)
      .run();
}

void delete_photo(db::Db& db, const std::string& item_id) {
  db::assert_in_transaction(db);
  db.query("DELETE FROM item_photos WHERE item_id = ?").bind(1, item_id).run();
}

std::optional<Photo> load_photo(db::Db& db, const std::string& item_id) {
  auto q = db.query("SELECT content_type, data, etag, updated_at FROM item_photos WHERE item_id = ?");
  q.bind(1, item_id);
  if (!q.step()) return std::nullopt;
  return Photo{stored_type(q.text(0)), from_base64(q.text(1)), q.text(2), q.int64(3)};
}

std::map<std::string, std::string> photo_etags(db::Db& db, const std::vector<std::string>& item_ids) {
  std::map<std::string, std::string> out;
  if (item_ids.empty()) return out;
  boost::json::array ids(item_ids.begin(), item_ids.end());
  auto q = db.query("SELECT item_id, etag FROM item_photos WHERE item_id IN (SELECT value FROM json_each(?))");
  q.bind(1, boost::json::serialize(ids));
  while (q.step()) out.emplace(q.text(0), q.text(1));
  return out;
}

}  // namespace backroom::catalog::store
