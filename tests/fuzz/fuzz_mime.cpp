// libFuzzer target: the parse path of the intake and of `mailgate inspect` — our MIME splitter,
// header and body decoding (mail/parse.hpp parse_message) and the JSON form (to_json). Beyond
// sanitizer reports it checks what parse.hpp promises; see check_mime in fuzz_targets.hpp.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tests/fuzz/fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string problem = mailgate::fuzz::check_mime(input);
  if (!problem.empty()) {
    std::fprintf(stderr, "fuzz_mime: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
