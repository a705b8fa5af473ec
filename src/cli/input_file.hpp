// The file a CLI import reads (customers, demand history): read whole, or the command ends
// with exit status 2 after one line on standard error ("error: cannot read F",
// "error: F is larger than N bytes").
#pragma once

#include <cstddef>
#include <string>

namespace backroom::cli {

// Throws CLI::RuntimeError(2) after saying why.
std::string read_input_file(const std::string& path, std::size_t bytes_max);

}  // namespace backroom::cli
