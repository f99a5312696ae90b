// mailgate: the e-mail channel of the office. This file is the composition root's entry: it
// parses the command line and hands it to one of the console commands (daemon/cli_*.cpp).

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "daemon/cli.hpp"
#include "daemon/cli_commands.hpp"
#include "storage/store.hpp"

namespace {

namespace cli = mailgate::daemon::cli;

void setup_logging(const std::string& level) {
  // Plain stderr: journald adds its own timestamps and metadata.
  auto logger = spdlog::stderr_logger_mt("mailgate");
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %l %v");
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

bool is_command(const std::vector<std::string>& w, const char* command, const char* sub) {
  return w[0] == command && w.size() >= 2 && w[1] == sub;
}

int dispatch(const cli::Args& args) {
  const auto& w = args.words;
  const std::string& cmd = w[0];
  // Commands an administrator or writer may run before any configuration exists.
  if (cmd == "inspect") return cli::inspect_command(w);
  if (is_command(w, "rules", "test")) return cli::rules_test_command(args);
  if (is_command(w, "calendar", "deadline")) return cli::calendar_deadline_command(args);
  if (cmd == "lint-text") return cli::lint_text_command(args);
  if (is_command(w, "template", "preview")) return cli::template_preview_command(args);

  auto config = cli::load_config_or_report(args);
  if (!config) return 2;
  if (cmd == "check-config") return cli::check_config_command(*config, w);
  if (cmd == "clients") return cli::clients_command(*config, w);
  setup_logging(config->log_level);
  if (cmd == "run") return cli::run_command(*config, w);
  if (cmd == "migrate") return cli::migrate_command(*config, w);
  if (cmd == "case") return cli::case_command(*config, w);
  return cli::usage_error("unknown command: " + cmd);
}

}  // namespace

int main(int argc, char** argv) {
  cli::Args args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--config") {
      if (i + 1 >= argc) return cli::usage_error("--config needs a FILE");
      args.config = argv[++i];
    } else if (a.rfind("--config=", 0) == 0) {
      args.config = a.substr(9);
    } else if (a == "--help" || a == "-h") {
      std::cout << cli::kUsage;
      return 0;
    } else if (a == "--version") {
      std::cout << "mailgate " MAILGATE_VERSION "\n";
      return 0;
    } else {
      args.words.push_back(a);
    }
  }
  if (args.words.empty()) return cli::usage_error("no command given");
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
