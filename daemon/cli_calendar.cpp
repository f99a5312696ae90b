// `mailgate calendar deadline`: the deadline of a term on the business calendar.
#include <exception>
#include <iostream>

#include "base/iso_time.hpp"
#include "daemon/cli_commands.hpp"
#include "rules/deadline.hpp"
#include "rules/term.hpp"

namespace mailgate::daemon::cli {

int calendar_deadline_command(const Args& args) {
  auto w = args.words;
  std::string from = take_option(w, "--from");
  std::string term_text = take_option(w, "--term");
  if (w.size() != 2 || from.empty() || term_text.empty()) {
    return usage_error("calendar deadline needs --from ISO-DATETIME and --term TERM");
  }
  bool from_file = false;
  auto config = config_or_defaults(args, from_file);
  if (!config) return 2;
  auto loaded = load_rules_or_report(*config);
  if (!loaded) return 2;
  auto offset = loaded->calendar.utc_offset();
  auto at = base::parse_iso_time(from, offset);
  if (!at) return usage_error("--from: not an ISO 8601 date and time: " + from);
  rules::Term term;
  try {
    term = rules::parse_term(term_text);
  } catch (const std::exception& e) {
    return usage_error(std::string("--term: ") + e.what());
  }
  auto d = rules::compute_deadline(loaded->calendar, *at, term, loaded->settings.deadline);
  for (const auto& warning : d.warnings) std::cerr << "mailgate: warning: " << warning << "\n";
  std::cout << rules::format_iso8601(d.at, offset) << "\n";
  return 0;
}

}  // namespace mailgate::daemon::cli
