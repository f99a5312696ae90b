// libFuzzer target: the rule loader (rules/rule_load.hpp check_rule_files); a rule file without
// problems is also loaded and evaluated (see check_rules in fuzz_targets.hpp).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tests/fuzz/fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string problem = mailgate::fuzz::check_rules(input, MAILGATE_RULES_DIR);
  if (!problem.empty()) {
    std::fprintf(stderr, "fuzz_rules: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
