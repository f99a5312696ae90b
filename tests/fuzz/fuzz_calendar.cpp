// libFuzzer target: the business calendar loader (rules/calendar.hpp Calendar::load) and the
// deadline arithmetic on what loads (see check_calendar in fuzz_targets.hpp).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tests/fuzz/fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string problem = mailgate::fuzz::check_calendar(input, MAILGATE_RULES_DIR);
  if (!problem.empty()) {
    std::fprintf(stderr, "fuzz_calendar: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
