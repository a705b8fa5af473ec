// An item's photo: what a picker looks for on the shelf, and what a customer sees when a
// substitute is offered (issue 20). One photo an item, JPEG, PNG or WebP of at most 256 KiB
// (the back office shrinks a camera's picture before it sends it). The photo is not part of
// the item's JSON (the register's catalog copy stays small); it is read by its own URL,
// /api/v1/items/{id}/photo, with an ETag made from its bytes.
//
// Contract: put_photo refuses a type other than the three (415 unsupported_photo_type), a body
// over photo_bytes_max (413 photo_too_large), an empty one or one whose bytes are not the type
// it claims (422 photo_mismatch, by the format's signature: JPEG FF D8 FF, PNG 89 50 4E 47 0D
// 0A 1A 0A, WebP "RIFF" …. "WEBP"), and an unknown item (404). Writer thread; audited as
// item.photo (type, size and ETag, never the bytes).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/actor.hpp"
#include "platform/db.hpp"
#include "platform/http.hpp"

namespace backroom::catalog {

inline constexpr std::size_t photo_bytes_max = 256 * 1024;

enum class PhotoType : std::uint8_t { jpeg, png, webp };

// "image/jpeg" (parameters after ';' and case ignored) → jpeg; nullopt for anything else.
std::optional<PhotoType> photo_type_of(std::string_view content_type);
std::string_view content_type_of(PhotoType type);
// True when `bytes` start with the signature of `type`.
bool bytes_are(PhotoType type, std::string_view bytes);
// A strong ETag of the bytes (quoted, as the header carries it).
std::string photo_etag(std::string_view bytes);

struct Photo {
  PhotoType type = PhotoType::jpeg;
  std::string bytes;
  std::string etag;
  std::int64_t updated_at = 0;
};

// The answer to GET of a photo: its bytes and type with its ETag, or 304 without a body when
// `if_none_match` is that ETag. The browser revalidates every time (Cache-Control: no-cache).
http::Response photo_response(Photo photo, std::optional<std::string_view> if_none_match);

// Checks as the contract says, then stores (replacing any photo the item had). Returns the
// ETag of what was stored.
std::string put_photo(db::Db& db, const Actor& actor, const std::string& item_id, std::string_view content_type,
                      std::string_view bytes);
// false when the item had no photo (nothing changes then). 404 for an unknown item.
bool remove_photo(db::Db& db, const Actor& actor, const std::string& item_id);

namespace store {
bool item_exists(db::Db& db, const std::string& item_id);
// Stored as base64 text (the database layer binds text and integers only).
void replace_photo(db::Db& db, const std::string& item_id, PhotoType type, std::string_view bytes,
                   const std::string& etag, std::int64_t at, const std::string& by);
void delete_photo(db::Db& db, const std::string& item_id);
std::optional<Photo> load_photo(db::Db& db, const std::string& item_id);
// The ETags of those items that have a photo.
std::map<std::string, std::string> photo_etags(db::Db& db, const std::vector<std::string>& item_ids);
}  // namespace store

}  // namespace backroom::catalog
