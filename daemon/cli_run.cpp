// `mailgate run`: the daemon itself (daemon/service), with the parser it feeds the intake.
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#include "daemon/cli_commands.hpp"
#include "daemon/rules_runtime.hpp"
#include "daemon/service.hpp"
#include "mail/parse.hpp"

namespace mailgate::daemon::cli {
namespace {

Parser make_parser(const mail::ParseLimits& limits) {
  Parser parser = [limits](std::string_view raw) { return mail::parse_message(raw, limits); };
#ifdef MAILGATE_TEST_HOOKS
  // Test hook: simulate a message that kills the parser (the crash-loop test). Compiled
  // out of production builds (-DMAILGATE_TEST_HOOKS=OFF). Read before any thread starts.
  const char* marker = std::getenv("MAILGATE_TEST_CRASH_MARKER");  // NOLINT(concurrency-mt-unsafe)
  if (marker != nullptr && *marker != '\0') {
    parser = [inner = parser, m = std::string(marker)](std::string_view raw) {
      if (raw.find(m) != std::string_view::npos) std::abort();
      return inner(raw);
    };
  }
#endif
  return parser;
}

// Test hook: planning fails for a letter that contains the marker (a plan that throws must
// cost only its own letter, issue 12 item 1). Compiled out of production builds.
PlanCheck make_plan_check() {
  PlanCheck check;
#ifdef MAILGATE_TEST_HOOKS
  const char* marker =
      std::getenv("MAILGATE_TEST_PLAN_FAIL_MARKER");  // NOLINT(concurrency-mt-unsafe)
  if (marker != nullptr && *marker != '\0') {
    check = [m = std::string(marker)](const storage::Incoming& in) {
      if (in.raw.find(m) != std::string::npos) {
        throw std::runtime_error("test hook: planning fails for this letter");
      }
    };
  }
#endif
  return check;
}

}  // namespace

int run_command(const Config& config, const std::vector<std::string>& words) {
  // First of all, so that a stop request during a slow start (rules, templates, a
  // database that is not up yet) is a clean stop, not a kill.
  install_signal_handlers();
  bool once = false;
  for (std::size_t i = 1; i < words.size(); ++i) {
    if (words[i] == "--once") {
      once = true;
    } else {
      return usage_error("unknown option for run: " + words[i]);
    }
  }
  auto loaded = load_rules_or_report(config);
  if (!loaded) return 2;
  RulesHolder rules(loaded);
  return run_service(config, once, make_parser(config.limits), rules, make_plan_check());
}

}  // namespace mailgate::daemon::cli
