// The administrator's commands on a configured daemon: `check-config` and `migrate`.
#include <exception>
#include <iostream>

#include "daemon/case_settings.hpp"
#include "daemon/cli_commands.hpp"
#include "daemon/rules_runtime.hpp"
#include "daemon/template_loader.hpp"
#include "storage/store.hpp"
#include "templates/template_set.hpp"

namespace mailgate::daemon::cli {

int check_config_command(const Config& config, const std::vector<std::string>& words) {
  if (words.size() != 1) return usage_error("check-config takes no arguments");
  for (const auto& w : insecure_settings(config)) {
    std::cerr << "mailgate: warning: insecure setting: " << w << "\n";
  }
  auto problems = check_rules(config);
  // The templates, checked as the daemon checks them at start.
  try {
    load_templates(config.templates_directory, lint_settings(config));
  } catch (const templates::TemplateError& e) {
    problems.insert(problems.end(), e.errors().begin(), e.errors().end());
  } catch (const std::exception& e) {
    problems.push_back(e.what());
  }
  for (const auto& p : problems) std::cerr << "mailgate: " << p << "\n";
  if (!problems.empty()) return 2;
  std::cout << config.file.string() << ": OK\n";
  return 0;
}

int migrate_command(const Config& config, const std::vector<std::string>& words) {
  if (words.size() != 1) return usage_error("migrate takes no arguments");
  storage::Store store(config.database.url, config.database.password);
  int n = store.migrate();
  std::cout << "applied " << n << " migration(s)\n";
  return 0;
}

}  // namespace mailgate::daemon::cli
