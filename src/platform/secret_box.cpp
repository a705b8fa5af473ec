#include "platform/secret_box.hpp"

#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <stdexcept>

#include <fmt/format.h>

#include "platform/db.hpp"

namespace backroom::secret_box {
namespace {

using Key = std::array<unsigned char, crypto_secretbox_KEYBYTES>;

std::string base64(const unsigned char* data, std::size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::string unbase64(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t size = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &size, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    throw std::runtime_error("sealed secret: not base64");
  out.resize(size);
  return out;
}

Key read_key(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) throw std::runtime_error(fmt::format("shop key file {} is unreadable", path));
  std::string bytes = unbase64(line);
  if (bytes.size() != crypto_secretbox_KEYBYTES)
    throw std::runtime_error(fmt::format("shop key file {} does not hold a {}-byte key", path, crypto_secretbox_KEYBYTES));
  Key key;
  std::copy(bytes.begin(), bytes.end(), key.begin());
  return key;
}

// Makes the key file if it is missing: a new key written to a private temporary file, then
// link()ed into place, which fails when another process got there first (then its key wins).
void make_key_file(const std::string& path) {
  std::filesystem::path target(path);
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path());
  Key key;
  randombytes_buf(key.data(), key.size());
  std::string temp = fmt::format("{}.{}.tmp", path, ::getpid());
  {
    mode_t old = ::umask(077);
    std::ofstream out(temp, std::ios::trunc);
    ::umask(old);
    out << base64(key.data(), key.size()) << '\n';
    out.flush();
    if (!out) throw std::runtime_error(fmt::format("cannot write shop key file {}", temp));
  }
  ::chmod(temp.c_str(), 0600);
  int linked = ::link(temp.c_str(), path.c_str());
  int error = errno;
  ::unlink(temp.c_str());
  sodium_memzero(key.data(), key.size());
  if (linked != 0 && error != EEXIST) throw std::runtime_error(fmt::format("cannot create shop key file {}", path));
}

const Key& shop_key(std::string_view db_location) {
  static std::mutex mutex;
  static std::map<std::string, Key, std::less<>> keys;
  std::lock_guard lock(mutex);
  std::string path = key_path(db_location);
  if (auto found = keys.find(path); found != keys.end()) return found->second;
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  if (!std::filesystem::exists(path)) make_key_file(path);
  return keys.emplace(path, read_key(path)).first->second;
}

}  // namespace

std::string key_path(std::string_view db_location) {
  if (const char* file = std::getenv("BACKROOM_KEY_FILE"); file && *file) return file;
  if (!db::is_postgres_location(db_location)) {
    std::string path(db_location);
    if (path.rfind("file:", 0) == 0) path = path.substr(5, path.find('?') == std::string::npos ? std::string::npos : path.find('?') - 5);
    return path + ".key";
  }
  // postgresql://[user[:password]@]host[:port]/dbname[?...]: the key follows the server and
  // database, not the credentials.
  static const std::regex uri(R"(^postgres(?:ql)?://(?:[^@/]*@)?([^:/?]*)(?::(\d+))?(?:/([^?]*))?)");
  std::match_results<std::string_view::const_iterator> m;
  std::string host = "local", port = "5432", name = "postgres";
  if (std::regex_search(db_location.begin(), db_location.end(), m, uri)) {
    if (m[1].length()) host = m[1].str();
    if (m[2].length()) port = m[2].str();
    if (m[3].length()) name = m[3].str();
  }
  for (auto* part : {&host, &name})
    for (char& c : *part)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') c = '_';
  const char* home = std::getenv("HOME");
  return fmt::format("{}/.config/backroom/keys/{}_{}_{}.key", home && *home ? home : ".", host, port, name);
}

std::string key_file(std::string_view db_location) {
  shop_key(db_location);
  return key_path(db_location);
}

namespace {

std::string seal_with(const Key& key, std::string_view plaintext) {
  std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(box.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        plaintext.size(), nonce, key.data());
  return std::string(sealed_prefix) + base64(nonce, box.size());
}

std::string open_with(const Key& key, std::string_view sealed) {
  if (sealed.substr(0, sealed_prefix.size()) != sealed_prefix) throw std::runtime_error("not a sealed secret");
  std::string box = unbase64(sealed.substr(sealed_prefix.size()));
  if (box.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
    throw std::runtime_error("sealed secret: too short");
  auto* nonce = reinterpret_cast<const unsigned char*>(box.data());
  std::string plain(box.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), nonce + crypto_secretbox_NONCEBYTES,
                                 box.size() - crypto_secretbox_NONCEBYTES, nonce, key.data()) != 0)
    throw std::runtime_error("sealed secret does not open under this shop's key");
  return plain;
}

std::string blind_index_with(const Key& key, std::string_view purpose, std::string_view normalised) {
  std::array<unsigned char, 32> subkey{};
  static_assert(crypto_kdf_KEYBYTES == std::tuple_size_v<Key>);
  crypto_kdf_derive_from_key(subkey.data(), subkey.size(), 1, "blindidx", key.data());
  crypto_generichash_state state;
  crypto_generichash_init(&state, subkey.data(), subkey.size(), 16);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(purpose.data()), purpose.size());
  const unsigned char separator = 0;
  crypto_generichash_update(&state, &separator, 1);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(normalised.data()), normalised.size());
  std::array<unsigned char, 16> digest{};
  crypto_generichash_final(&state, digest.data(), digest.size());
  sodium_memzero(subkey.data(), subkey.size());
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

}  // namespace

std::string blind_index(std::string_view db_location, std::string_view purpose, std::string_view normalised) {
  return blind_index_with(shop_key(db_location), purpose, normalised);
}

std::string seal(std::string_view db_location, std::string_view plaintext) {
  return seal_with(shop_key(db_location), plaintext);
}

std::string open(std::string_view db_location, std::string_view sealed) {
  return open_with(shop_key(db_location), sealed);
}

Resealer::Resealer(const std::string& old_key_file, const std::string& new_key_file) {
  Key a = read_key(old_key_file), b = read_key(new_key_file);
  std::copy(a.begin(), a.end(), old_key_.begin());
  std::copy(b.begin(), b.end(), new_key_.begin());
  sodium_memzero(a.data(), a.size());
  sodium_memzero(b.data(), b.size());
}

Resealer::~Resealer() {
  sodium_memzero(old_key_.data(), old_key_.size());
  sodium_memzero(new_key_.data(), new_key_.size());
}

std::string Resealer::operator()(std::string_view stored) const {
  Key old_key, new_key;
  std::copy(old_key_.begin(), old_key_.end(), old_key.begin());
  std::copy(new_key_.begin(), new_key_.end(), new_key.begin());
  std::string plain = stored.substr(0, sealed_prefix.size()) == sealed_prefix ? open_with(old_key, stored) : std::string(stored);
  auto out = seal_with(new_key, plain);
  sodium_memzero(plain.data(), plain.size());
  sodium_memzero(old_key.data(), old_key.size());
  sodium_memzero(new_key.data(), new_key.size());
  return out;
}

std::string Resealer::reindex(std::string_view purpose, std::string_view stored) const {
  Key old_key, new_key;
  std::copy(old_key_.begin(), old_key_.end(), old_key.begin());
  std::copy(new_key_.begin(), new_key_.end(), new_key.begin());
  std::string plain = stored.substr(0, sealed_prefix.size()) == sealed_prefix ? open_with(old_key, stored) : std::string(stored);
  auto out = blind_index_with(new_key, purpose, plain);
  sodium_memzero(plain.data(), plain.size());
  sodium_memzero(old_key.data(), old_key.size());
  sodium_memzero(new_key.data(), new_key.size());
  return out;
}

std::string reveal(std::string_view db_location, std::string_view stored) {
  if (stored.substr(0, sealed_prefix.size()) != sealed_prefix) return std::string(stored);
  return open(db_location, stored);
}

}  // namespace backroom::secret_box
