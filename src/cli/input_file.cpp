#include "cli/input_file.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <sstream>

namespace backroom::cli {

std::string read_input_file(const std::string& path, std::size_t bytes_max) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << fmt::format("error: cannot read {}", path) << std::endl;
    throw CLI::RuntimeError(2);
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (text.tellp() > static_cast<std::streamoff>(bytes_max)) {
    std::cerr << fmt::format("error: {} is larger than {} bytes", path, bytes_max) << std::endl;
    throw CLI::RuntimeError(2);
  }
  return std::move(text).str();
}

}  // namespace backroom::cli
