#include "daemon/cli.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>

namespace mailgate::daemon::cli {

const char* const kUsage =
    "usage: mailgate [--config FILE] COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  run [--once]          poll the work mailbox and register new mail (--once: one pass)\n"
    "  check-config          validate the configuration; exit 0 if good, 2 if not\n"
    "  migrate               apply database migrations\n"
    "  inspect FILE.eml      print how a message parses, as JSON (touches no server)\n"
    "  case list [--status S] [--overdue] [--json]\n"
    "                        list registered cases\n"
    "  case show REGNO       a case and its history\n"
    "  case answer|refuse|clarify REGNO --file TEXT [--attach FILE]... --as OFFICER\n"
    "  case forward REGNO BODY | transfer REGNO OFFICER | extend REGNO DAYS |\n"
    "       close REGNO REASON  --file TEXT --as OFFICER\n"
    "                        an officer's action from the console (same rules as by mail)\n"
    "  rules test FILE.eml [--from ADDRESS] [--at ISO-DATETIME] [--json]\n"
    "                        show the urgency decision for a message; changes nothing\n"
    "  calendar deadline --from ISO-DATETIME --term TERM\n"
    "                        the deadline of a term on the business calendar\n"
    "  template preview NAME [--case REGNO]\n"
    "                        render a mail template with sample (or the case's) data\n"
    "  lint-text [FILE|-]    the plain-language check of a text (R9); exit 1 if it fails\n"
    "  clients import FILE.csv\n"
    "                        add or update the client directory (UTF-8 CSV with a header)\n"
    "\n"
    "The configuration is --config FILE, else $MAILGATE_CONFIG, else "
    "/etc/mailgate/mailgate.toml.\n"
    "Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error.\n";

int usage_error(const std::string& why) {
  std::cerr << "mailgate: " << why << "\n" << kUsage;
  return 2;
}

int brief_usage_error(const std::string& why) {
  std::cerr << "mailgate: " << why << "\n";
  return 2;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string read_input(const std::string& path) {
  if (path == "-") return {std::istreambuf_iterator<char>(std::cin), {}};
  return read_file(path);
}

std::string take_option(std::vector<std::string>& words, const std::string& name) {
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] == name) {
      std::string v = words[i + 1];
      words.erase(words.begin() + static_cast<std::ptrdiff_t>(i),
                  words.begin() + static_cast<std::ptrdiff_t>(i) + 2);
      return v;
    }
  }
  return {};
}

bool take_flag(std::vector<std::string>& words, const std::string& name) {
  auto it = std::find(words.begin(), words.end(), name);
  if (it == words.end()) return false;
  words.erase(it);
  return true;
}

std::optional<Config> load_config_or_report(const Args& args) {
  try {
    return load_config(config_path(args.config));
  } catch (const ConfigError& e) {
    std::cerr << "mailgate: " << e.what() << "\n";
    return std::nullopt;
  }
}

std::optional<Config> config_or_defaults(const Args& args, bool& from_file) {
  auto path = config_path(args.config);
  // Read before any thread starts.
  const char* env = std::getenv("MAILGATE_CONFIG");  // NOLINT(concurrency-mt-unsafe)
  from_file =
      !args.config.empty() || (env != nullptr && *env != '\0') || std::filesystem::exists(path);
  if (from_file) {
    try {
      return load_config(path);
    } catch (const ConfigError& e) {
      std::cerr << "mailgate: " << e.what() << "\n";
      return std::nullopt;
    }
  }
  Config c;
  c.file = "(built-in defaults)";
  c.rules.directory = default_rules_dir();
  c.rules.calendar_directory = c.rules.directory / "calendar";
  c.units.push_back({"prevention", "Отдел профилактики коррупционных правонарушений", ""});
  return c;
}

std::optional<Config> config_or_builtin(const Args& args) {
  auto path = config_path(args.config);
  std::error_code ec;
  if (args.config.empty() && !std::filesystem::exists(path, ec)) return Config{};
  try {
    return load_config(path);
  } catch (const ConfigError& e) {
    std::cerr << "mailgate: " << e.what() << "\n";
    return std::nullopt;
  }
}

std::shared_ptr<const LoadedRules> load_rules_or_report(const Config& config) {
  try {
    return load_rules(config);
  } catch (const ConfigError& e) {
    std::cerr << "mailgate: " << e.what() << "\n";
    return nullptr;
  }
}

}  // namespace mailgate::daemon::cli
