// Replays seeded random inputs into a libFuzzer entry point when libFuzzer itself is not
// linked (g++ builds): random bytes, random digit strings and GS1/CSV-flavoured fragments.
// Usage: <target> [iterations] [seed]. A crash prints the seed and iteration to replay.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  long iterations = argc > 1 ? std::atol(argv[1]) : 10000;
  unsigned seed = argc > 2 ? static_cast<unsigned>(std::atoi(argv[2])) : 20261128u;
  std::mt19937 rng(seed);
  static const std::vector<std::string> fragments = {
      "0", "1", "9", "(01)", "(17)", "(10)", "(3103)", "(3922)", "]C1", "]E0", "]e0", "\x1d", "01", "17", "10",
      "3103", "392", "4006381333931", "036000291452", "01234565", "0306406152", "2112345001995", "\"", ",", "\r\n",
      "\n", "\"\"", ";", "\xef\xbb\xbf", "\xff", " ", "X", "-", ".", "é", "\0"};
  std::fprintf(stderr, "fuzz driver: %ld iterations, seed %u\n", iterations, seed);
  for (long i = 0; i < iterations; ++i) {
    std::string input;
    int mode = static_cast<int>(rng() % 3);
    std::size_t parts = rng() % 12;
    for (std::size_t p = 0; p < parts; ++p) {
      if (mode == 0) {
        input.push_back(static_cast<char>(rng() & 0xff));
      } else if (mode == 1) {
        input.push_back(static_cast<char>('0' + rng() % 10));
        if (rng() % 4 == 0) input += fragments[rng() % fragments.size()];
      } else {
        input += fragments[rng() % fragments.size()];
      }
    }
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
  }
  std::puts("fuzz driver: no crash");
  return 0;
}
