#pragma once
/// The console commands, one family per file (daemon/cli_*.cpp); main() picks one by its
/// words. Each returns the process exit code: 0 success, 1 runtime failure, 2 usage or
/// configuration error.

#include <string>
#include <vector>

#include "daemon/cli.hpp"
#include "daemon/config.hpp"

namespace mailgate::daemon::cli {

// Commands that need no configuration file (cli_inspect, cli_rules, cli_calendar,
// cli_templates).

/// words: {"inspect", FILE.eml}
int inspect_command(const std::vector<std::string>& words);
/// words: {"rules", "test", FILE.eml, options...}
int rules_test_command(const Args& args);
/// words: {"calendar", "deadline", --from ISO-DATETIME, --term TERM}
int calendar_deadline_command(const Args& args);
/// words: {"template", "preview", NAME, [--case REGNO]}
int template_preview_command(const Args& args);
/// words: {"lint-text", [FILE|-]}
int lint_text_command(const Args& args);

// Commands on the configured daemon (cli_admin, cli_clients, cli_run, cli_case).

/// words: {"check-config"}
int check_config_command(const Config& config, const std::vector<std::string>& words);
/// words: {"migrate"}
int migrate_command(const Config& config, const std::vector<std::string>& words);
/// words: {"clients", "import", FILE.csv}
int clients_command(const Config& config, const std::vector<std::string>& words);
/// words: {"run", [--once]}
int run_command(const Config& config, const std::vector<std::string>& words);
/// words: {"case", "list"|"show"|ACTION, ...}
int case_command(const Config& config, const std::vector<std::string>& words);

}  // namespace mailgate::daemon::cli
