// Secrets the shop must use again later (a webhook endpoint's signing secret, an online
// channel's HMAC secret) are stored sealed, never in the clear: XSalsa20-Poly1305
// (libsodium crypto_secretbox_easy) under the shop key, a fresh random nonce per seal. A
// database copied or stolen without its key file yields no secret. Passwords, PINs and API
// keys are not here: they are hashed (access/auth) and never need to be read back.
//
// The shop key is 32 random bytes, written base64 on one line of a key file (mode 0600):
//   - BACKROOM_KEY_FILE when set (every process of one shop must name the same file);
//   - else, for an SQLite database, `<database path>.key` beside it;
//   - else, for PostgreSQL, `$HOME/.config/backroom/keys/<host>_<port>_<dbname>.key`.
// The file is made on first use (written to a temporary name, then linked into place, so
// two processes starting together agree on one key) and read once per process.
// Backups and `backroom copy` must carry the key file with the database.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace backroom::secret_box {

inline constexpr std::string_view sealed_prefix = "sb1:";

// Where the shop key of database `db_location` lives (the rules above).
std::string key_path(std::string_view db_location);

// key_path(db_location), the key file made first when it is missing (a backup before an
// upgrade is sealed with it when no backup key is configured).
std::string key_file(std::string_view db_location);

// "sb1:" + base64(nonce || ciphertext) of `plaintext` under the shop key of `db_location`.
std::string seal(std::string_view db_location, std::string_view plaintext);

// The plaintext of seal()'s result. Throws std::runtime_error when `sealed` is not a sealed
// value or does not open under this shop's key (another key, a changed byte).
std::string open(std::string_view db_location, std::string_view sealed);

// Sensitive columns (supplier bank details, online order customer contact data) are sealed
// the same way by their stores: seal() on write, reveal() on read. reveal() passes a value
// without the "sb1:" prefix through unchanged (a row written before the column was sealed).
std::string reveal(std::string_view db_location, std::string_view stored);

// A keyed blind index of `normalised` (a customer's E.164 phone, a folded e-mail address), so
// a sealed column can be found by exact value without storing it in the clear: the hex of a
// 16-byte BLAKE2b (crypto_generichash) keyed with a subkey of the shop key
// (crypto_kdf_derive_from_key, context "blindidx"), over `purpose` NUL `normalised`. The same
// value under another purpose or another shop key gives another index; a copied database
// without its key file cannot be searched by guessing numbers.
std::string blind_index(std::string_view db_location, std::string_view purpose, std::string_view normalised);

// `backroom keys rotate`: opens a value with the key in `old_key_file` (a value without the
// "sb1:" prefix is taken as plaintext) and seals it again with the key in `new_key_file`.
class Resealer {
 public:
  Resealer(const std::string& old_key_file, const std::string& new_key_file);
  ~Resealer();
  Resealer(const Resealer&) = delete;
  Resealer& operator=(const Resealer&) = delete;
  std::string operator()(std::string_view stored) const;
  // The blind_index() under the new key of the value `stored` holds (sealed under the old key,
  // or plaintext without the prefix).
  std::string reindex(std::string_view purpose, std::string_view stored) const;

 private:
  std::array<unsigned char, 32> old_key_{}, new_key_{};
};

}  // namespace backroom::secret_box
