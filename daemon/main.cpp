// mailgate: the e-mail channel of the office. This file is the composition root: it reads
// the configuration and wires mail/, storage/ (and later rules/, templates/) together.

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "daemon/case_table.hpp"
#include "daemon/config.hpp"
#include "daemon/service.hpp"
#include "mail/parse.hpp"
#include "storage/store.hpp"

namespace {

using mailgate::daemon::Config;
using mailgate::daemon::ConfigError;

const char* const kUsage =
    "usage: mailgate [--config FILE] COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  run [--once]          poll the work mailbox and register new mail (--once: one pass)\n"
    "  check-config          validate the configuration; exit 0 if good, 2 if not\n"
    "  migrate               apply database migrations\n"
    "  inspect FILE.eml      print how a message parses, as JSON (touches no server)\n"
    "  case list [--json]    list registered cases\n"
    "\n"
    "The configuration is --config FILE, else $MAILGATE_CONFIG, else "
    "/etc/mailgate/mailgate.toml.\n"
    "Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error.\n";

struct Args {
  std::string config;
  std::vector<std::string> words;  // command and its arguments, flags included
};

int usage_error(const std::string& why) {
  std::cerr << "mailgate: " << why << "\n" << kUsage;
  return 2;
}

void setup_logging(const std::string& level) {
  // Plain stderr: journald adds its own timestamps and metadata.
  auto logger = spdlog::stderr_logger_mt("mailgate");
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %l %v");
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

mailgate::daemon::Parser make_parser() {
  mailgate::mail::ParseLimits limits;
  mailgate::daemon::Parser parser = [limits](std::string_view raw) {
    return mailgate::mail::parse_message(raw, limits);
  };
#ifdef MAILGATE_TEST_HOOKS
  // Test hook: simulate a message that kills the parser (the crash-loop test). Compiled
  // out of production builds (-DMAILGATE_TEST_HOOKS=OFF).
  if (const char* marker = std::getenv("MAILGATE_TEST_CRASH_MARKER"); marker && *marker) {
    parser = [inner = parser, m = std::string(marker)](std::string_view raw) {
      if (raw.find(m) != std::string_view::npos) std::abort();
      return inner(raw);
    };
  }
#endif
  return parser;
}

int cmd_inspect(const std::vector<std::string>& words) {
  if (words.size() != 2) return usage_error("inspect needs one FILE.eml");
  std::ifstream in(words[1], std::ios::binary);
  if (!in) {
    std::cerr << "mailgate: cannot read " << words[1] << "\n";
    return 1;
  }
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    std::cout << mailgate::mail::to_json(mailgate::mail::parse_message(raw)) << "\n";
  } catch (const mailgate::mail::ParseError& e) {
    std::cerr << "mailgate: " << words[1] << ": cannot parse: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

int cmd_case_list(const Config& config, const std::vector<std::string>& words) {
  bool json = false;
  for (std::size_t i = 2; i < words.size(); ++i) {
    if (words[i] == "--json") {
      json = true;
    } else {
      return usage_error("unknown option for case list: " + words[i]);
    }
  }
  mailgate::storage::Store store(config.database.url, config.database.password);
  auto cases = store.list_cases(config.registration.timezone);
  if (json) {
    for (const auto& c : cases) std::cout << mailgate::daemon::case_json(c) << "\n";
  } else {
    std::cout << mailgate::daemon::case_table(cases);
  }
  return 0;
}

int dispatch(const Args& args) {
  const auto& w = args.words;
  const std::string& cmd = w[0];
  if (cmd == "inspect") return cmd_inspect(w);

  Config config;
  try {
    config = mailgate::daemon::load_config(mailgate::daemon::config_path(args.config));
  } catch (const ConfigError& e) {
    std::cerr << "mailgate: " << e.what() << "\n";
    return 2;
  }
  if (cmd == "check-config") {
    if (w.size() != 1) return usage_error("check-config takes no arguments");
    std::cout << config.file.string() << ": OK\n";
    return 0;
  }
  setup_logging(config.log_level);
  if (cmd == "run") {
    bool once = false;
    for (std::size_t i = 1; i < w.size(); ++i) {
      if (w[i] == "--once") {
        once = true;
      } else {
        return usage_error("unknown option for run: " + w[i]);
      }
    }
    mailgate::daemon::install_signal_handlers();
    return mailgate::daemon::run_service(config, once, make_parser());
  }
  if (cmd == "migrate") {
    if (w.size() != 1) return usage_error("migrate takes no arguments");
    mailgate::storage::Store store(config.database.url, config.database.password);
    int n = store.migrate();
    std::cout << "applied " << n << " migration(s)\n";
    return 0;
  }
  if (cmd == "case") {
    if (w.size() >= 2 && w[1] == "list") return cmd_case_list(config, w);
    return usage_error("unknown case command");
  }
  return usage_error("unknown command: " + cmd);
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--config") {
      if (i + 1 >= argc) return usage_error("--config needs a FILE");
      args.config = argv[++i];
    } else if (a.rfind("--config=", 0) == 0) {
      args.config = a.substr(9);
    } else if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--version") {
      std::cout << "mailgate " MAILGATE_VERSION "\n";
      return 0;
    } else {
      args.words.push_back(a);
    }
  }
  if (args.words.empty()) return usage_error("no command given");
  try {
    return dispatch(args);
  } catch (const mailgate::storage::StoreError& e) {
    std::cerr << "mailgate: database: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "mailgate: " << e.what() << "\n";
    return 1;
  }
}
