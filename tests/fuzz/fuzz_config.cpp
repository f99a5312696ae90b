// libFuzzer target: the configuration loader (daemon/config.hpp load_config_text, what
// load_config runs on the file's contents). Anything but a ConfigError escaping is a bug.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tests/fuzz/fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string problem = mailgate::fuzz::check_config(input);
  if (!problem.empty()) {
    std::fprintf(stderr, "fuzz_config: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
