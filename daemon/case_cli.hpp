#pragma once
/// The case commands of the console: `case list` filters, `case show`, and the officers'
/// actions (`case answer|refuse|forward|transfer|clarify|extend|close`), which follow the
/// same rules and the same refusal gate as commands by mail.

#include <string>
#include <vector>

#include "daemon/config.hpp"

namespace mailgate::daemon {

/// words: {"case", "list", options...}
int case_list_command(const Config& config, const std::vector<std::string>& words);
/// words: {"case", "show", REGNO}
int case_show_command(const Config& config, const std::vector<std::string>& words);
/// words: {"case", ACTION, REGNO, [ARG], options...}
int case_action_command(const Config& config, const std::vector<std::string>& words);

bool is_case_action(const std::string& word);

}  // namespace mailgate::daemon
