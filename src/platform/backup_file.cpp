#include "platform/backup_file.hpp"

#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

namespace backroom::backup {
namespace {

constexpr char magic[8] = {'B', 'R', 'B', 'A', 'C', 'K', 'U', 'P'};
constexpr std::uint8_t format_version = 1;
constexpr std::size_t chunk_plain = 64 * 1024;
using StreamKey = std::array<unsigned char, crypto_secretstream_xchacha20poly1305_KEYBYTES>;

void init() {
  if (sodium_init() < 0) throw BackupError("libsodium failed to initialise");
}

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
std::uint64_t get_u64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

StreamKey key_from_file(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) throw BackupError(fmt::format("cannot read the key file {}", path));
  StreamKey key;
  std::size_t size = 0;
  if (sodium_base642bin(key.data(), key.size(), line.data(), line.size(), " \r\n", &size, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      size != key.size())
    throw BackupError(fmt::format("the key file {} does not hold a {}-byte key", path, key.size()));
  return key;
}

StreamKey key_from_passphrase(const std::string& passphrase, const unsigned char* salt, std::uint64_t ops,
                              std::uint64_t mem) {
  if (passphrase.size() < 12) throw BackupError("the passphrase must have at least 12 characters");
  StreamKey key;
  if (crypto_pwhash(key.data(), key.size(), passphrase.data(), passphrase.size(), salt, ops, static_cast<std::size_t>(mem),
                    crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw BackupError("not enough memory to stretch the passphrase");
  return key;
}

void write_all(std::FILE* f, const void* data, std::size_t size, const std::string& path) {
  if (size && std::fwrite(data, 1, size, f) != size) throw BackupError(fmt::format("cannot write {}", path));
}

bool read_exact(std::FILE* f, void* data, std::size_t size) { return std::fread(data, 1, size, f) == size; }

struct File {
  std::FILE* f = nullptr;
  File(const std::string& path, const char* mode) : f(std::fopen(path.c_str(), mode)) {}
  ~File() {
    if (f) std::fclose(f);
  }
};

}  // namespace

void generate_key_file(const std::string& path) {
  init();
  if (std::filesystem::exists(path)) throw BackupError(fmt::format("{} exists: a key file is never overwritten", path));
  StreamKey key;
  crypto_secretstream_xchacha20poly1305_keygen(key.data());
  std::string text(sodium_base64_ENCODED_LEN(key.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(text.data(), text.size(), key.data(), key.size(), sodium_base64_VARIANT_ORIGINAL);
  text.resize(std::char_traits<char>::length(text.c_str()));
  mode_t old = ::umask(077);
  std::ofstream out(path);
  ::umask(old);
  out << text << '\n';
  sodium_memzero(key.data(), key.size());
  if (!out.flush()) throw BackupError(fmt::format("cannot write {}", path));
}

void seal_file(const std::string& plain_path, const std::string& sealed_path, const Key& key) {
  init();
  std::string header(magic, sizeof magic);
  header.push_back(static_cast<char>(format_version));
  StreamKey k;
  if (key.kind == Key::Kind::key_file) {
    header.push_back(0);
    k = key_from_file(key.secret);
  } else {
    header.push_back(1);
    std::array<unsigned char, crypto_pwhash_SALTBYTES> salt;
    randombytes_buf(salt.data(), salt.size());
    std::uint64_t ops = crypto_pwhash_OPSLIMIT_MODERATE, mem = crypto_pwhash_MEMLIMIT_MODERATE;
    header.append(reinterpret_cast<const char*>(salt.data()), salt.size());
    put_u64(header, ops);
    put_u64(header, mem);
    k = key_from_passphrase(key.secret, salt.data(), ops, mem);
  }
  File in(plain_path, "rb");
  if (!in.f) throw BackupError(fmt::format("cannot read {}", plain_path));
  std::string temp = sealed_path + ".partial";
  {
    File out(temp, "wb");
    if (!out.f) throw BackupError(fmt::format("cannot write {}", temp));
    crypto_secretstream_xchacha20poly1305_state state;
    unsigned char stream_header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    crypto_secretstream_xchacha20poly1305_init_push(&state, stream_header, k.data());
    sodium_memzero(k.data(), k.size());
    write_all(out.f, header.data(), header.size(), temp);
    write_all(out.f, stream_header, sizeof stream_header, temp);
    std::vector<unsigned char> plain(chunk_plain), sealed(chunk_plain + crypto_secretstream_xchacha20poly1305_ABYTES);
    bool first = true;
    for (;;) {
      std::size_t n = std::fread(plain.data(), 1, plain.size(), in.f);
      if (std::ferror(in.f)) throw BackupError(fmt::format("cannot read {}", plain_path));
      bool last = std::feof(in.f) != 0;
      unsigned long long sealed_size = 0;
      crypto_secretstream_xchacha20poly1305_push(
          &state, sealed.data(), &sealed_size, plain.data(), n,
          first ? reinterpret_cast<const unsigned char*>(header.data()) : nullptr, first ? header.size() : 0,
          last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
      first = false;
      unsigned char length[4] = {static_cast<unsigned char>(sealed_size >> 24), static_cast<unsigned char>(sealed_size >> 16),
                                 static_cast<unsigned char>(sealed_size >> 8), static_cast<unsigned char>(sealed_size)};
      write_all(out.f, length, 4, temp);
      write_all(out.f, sealed.data(), sealed_size, temp);
      if (last) break;
    }
    sodium_memzero(plain.data(), plain.size());
    if (std::fflush(out.f) != 0 || ::fsync(::fileno(out.f)) != 0) throw BackupError(fmt::format("cannot write {}", temp));
  }
  std::filesystem::rename(temp, sealed_path);
}

void open_file(const std::string& sealed_path, const std::string& plain_path, const Key& key) {
  init();
  File in(sealed_path, "rb");
  if (!in.f) throw BackupError(fmt::format("cannot read {}", sealed_path));
  unsigned char fixed[10];
  if (!read_exact(in.f, fixed, sizeof fixed) || std::memcmp(fixed, magic, sizeof magic) != 0)
    throw BackupError(fmt::format("{} is not a Backroom backup", sealed_path));
  if (fixed[8] != format_version) throw BackupError(fmt::format("{}: backup format {} is unknown to this binary", sealed_path, fixed[8]));
  std::string header(reinterpret_cast<const char*>(fixed), sizeof fixed);
  StreamKey k;
  bool by_passphrase = fixed[9] == 1;
  if ((key.kind == Key::Kind::passphrase) != by_passphrase)
    throw BackupError(by_passphrase ? "this backup was sealed with a passphrase: give --passphrase-file"
                                    : "this backup was sealed with a key file: give --key-file");
  if (by_passphrase) {
    unsigned char params[crypto_pwhash_SALTBYTES + 16];
    if (!read_exact(in.f, params, sizeof params)) throw BackupError("the backup is cut short");
    header.append(reinterpret_cast<const char*>(params), sizeof params);
    std::uint64_t ops = get_u64(params + crypto_pwhash_SALTBYTES), mem = get_u64(params + crypto_pwhash_SALTBYTES + 8);
    if (ops > crypto_pwhash_OPSLIMIT_SENSITIVE || mem > crypto_pwhash_MEMLIMIT_SENSITIVE)
      throw BackupError("the backup asks for more work than a backup ever does: it was changed");
    k = key_from_passphrase(key.secret, params, ops, mem);
  } else {
    k = key_from_file(key.secret);
  }
  unsigned char stream_header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  if (!read_exact(in.f, stream_header, sizeof stream_header)) throw BackupError("the backup is cut short");
  crypto_secretstream_xchacha20poly1305_state state;
  if (crypto_secretstream_xchacha20poly1305_init_pull(&state, stream_header, k.data()) != 0)
    throw BackupError("the backup's header is damaged");
  sodium_memzero(k.data(), k.size());
  std::string temp = plain_path + ".partial";
  bool done = false;
  try {
    mode_t old = ::umask(077);
    File out(temp, "wb");
    ::umask(old);
    if (!out.f) throw BackupError(fmt::format("cannot write {}", temp));
    std::vector<unsigned char> sealed(chunk_plain + crypto_secretstream_xchacha20poly1305_ABYTES), plain(chunk_plain);
    bool first = true;
    while (!done) {
      unsigned char length[4];
      if (!read_exact(in.f, length, 4)) throw BackupError("the backup is cut short (its last part is missing)");
      std::size_t size = (std::size_t{length[0]} << 24) | (std::size_t{length[1]} << 16) | (std::size_t{length[2]} << 8) | length[3];
      if (size < crypto_secretstream_xchacha20poly1305_ABYTES || size > sealed.size())
        throw BackupError("the backup was changed (a part has an impossible length)");
      if (!read_exact(in.f, sealed.data(), size)) throw BackupError("the backup is cut short");
      unsigned long long plain_size = 0;
      unsigned char tag = 0;
      if (crypto_secretstream_xchacha20poly1305_pull(
              &state, plain.data(), &plain_size, &tag, sealed.data(), size,
              first ? reinterpret_cast<const unsigned char*>(header.data()) : nullptr, first ? header.size() : 0) != 0)
        throw BackupError(first ? "wrong key, or the backup was changed" : "the backup was changed (a part does not authenticate)");
      first = false;
      write_all(out.f, plain.data(), plain_size, temp);
      done = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    }
    unsigned char extra;
    if (std::fread(&extra, 1, 1, in.f) != 0) throw BackupError("the backup was changed (bytes after its end)");
    if (std::fflush(out.f) != 0) throw BackupError(fmt::format("cannot write {}", temp));
  } catch (...) {
    std::filesystem::remove(temp);
    throw;
  }
  std::filesystem::rename(temp, plain_path);
}

}  // namespace backroom::backup
