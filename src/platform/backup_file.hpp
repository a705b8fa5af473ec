// The encrypted backup file: a whole shop (an SQLite database file) sealed with libsodium's
// secretstream (XChaCha20-Poly1305), so a backup can sit on a USB stick or a cloud drive.
// Tampering with any byte, truncating the file or using another key is refused on reading.
//
// Layout (all integers big-endian):
//   "BRBACKUP" | version 1 (1 byte) | key kind (1 byte: 0 key file, 1 passphrase)
//   | when passphrase: salt (16) | opslimit (8) | memlimit (8)
//   | secretstream header (24)
//   | chunks: length of the ciphertext (4) | ciphertext (plain ≤ 64 KiB + 17); the header
//     bytes before the stream header are the first chunk's additional data, and the last
//     chunk carries the FINAL tag (a file cut short is refused).
// A key file holds 32 random bytes, base64 on one line (`backroom keys generate --to FILE`).
// A passphrase is stretched with argon2id (crypto_pwhash, moderate limits) and a random salt.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace backroom::backup {

// Refusals name what is wrong in one line (wrong key, tampered or cut short, not a backup).
struct BackupError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Key {
  enum class Kind { key_file, passphrase } kind = Kind::key_file;
  std::string secret;  // the key file's path, or the passphrase itself
};

// Writes 32 random bytes, base64, to `path` (mode 0600); refuses to overwrite a file.
void generate_key_file(const std::string& path);

// Encrypts file `plain_path` into `sealed_path` (written to a temporary name, then renamed).
void seal_file(const std::string& plain_path, const std::string& sealed_path, const Key& key);

// Decrypts `sealed_path` into `plain_path` (mode 0600). Throws BackupError, leaving no
// `plain_path`, when the key is wrong or the file was changed or cut short.
void open_file(const std::string& sealed_path, const std::string& plain_path, const Key& key);

}  // namespace backroom::backup
