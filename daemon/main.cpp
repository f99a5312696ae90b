// mailgate: the e-mail channel of the office. This file is the composition root: it reads
// the configuration and wires mail/, storage/ (and later rules/, templates/) together.

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "base/iso_time.hpp"
#include "cases/case_table.hpp"
#include "cases/clients_csv.hpp"
#include "daemon/assess.hpp"
#include "daemon/case_cli.hpp"
#include "daemon/case_settings.hpp"
#include "daemon/config.hpp"
#include "daemon/rules_runtime.hpp"
#include "daemon/service.hpp"
#include "daemon/template_loader.hpp"
#include "mail/parse.hpp"
#include "rules/deadline.hpp"
#include "rules/term.hpp"
#include "storage/store.hpp"
#include "templates/cliches.hpp"
#include "templates/plain_language.hpp"
#include "templates/sample_context.hpp"
#include "templates/schema.hpp"
#include "templates/template_set.hpp"

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

mailgate::daemon::Parser make_parser(const mailgate::mail::ParseLimits& limits) {
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

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// For commands an administrator may run before any configuration exists: the shipped
/// rules and calendar with the office's one unit.
Config default_config() {
  Config c;
  c.file = "(built-in defaults)";
  c.rules.directory = mailgate::daemon::default_rules_dir();
  c.rules.calendar_directory = c.rules.directory / "calendar";
  c.units.push_back({"prevention", "Отдел профилактики коррупционных правонарушений", ""});
  return c;
}

/// The configuration if one is named or present, else the built-in defaults.
std::optional<Config> optional_config(const Args& args, bool& from_file) {
  auto path = mailgate::daemon::config_path(args.config);
  const char* env = std::getenv("MAILGATE_CONFIG");
  from_file =
      !args.config.empty() || (env != nullptr && *env != '\0') || std::filesystem::exists(path);
  if (!from_file) return default_config();
  try {
    return mailgate::daemon::load_config(path);
  } catch (const ConfigError& e) {
    std::cerr << "mailgate: " << e.what() << "\n";
    return std::nullopt;
  }
}

/// The rules and calendar, or null after printing why they cannot be loaded.
std::shared_ptr<const mailgate::daemon::LoadedRules> load_rules_or_report(const Config& config) {
  try {
    return mailgate::daemon::load_rules(config);
  } catch (const ConfigError& e) {
    std::cerr << "mailgate: " << e.what() << "\n";
    return nullptr;
  }
}

/// Takes "--name VALUE" out of the words; empty if absent.
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

int cmd_rules_test(const Args& args) {
  auto w = args.words;
  std::string from = take_option(w, "--from");
  std::string at_text = take_option(w, "--at");
  bool json = take_flag(w, "--json");
  if (w.size() != 3) return usage_error("rules test needs one FILE.eml");
  bool from_file = false;
  auto config = optional_config(args, from_file);
  if (!config) return 2;
  auto loaded = load_rules_or_report(*config);
  if (!loaded) return 2;
  auto message = mailgate::mail::parse_message(read_file(w[2]));
  std::string sender = from.empty() ? mailgate::daemon::sender_of(message) : from;
  std::transform(sender.begin(), sender.end(), sender.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto offset = loaded->calendar.utc_offset();
  std::chrono::sys_seconds at =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  if (!at_text.empty()) {
    auto parsed = mailgate::base::parse_iso_time(at_text, offset);
    if (!parsed) return usage_error("--at: not an ISO 8601 date and time: " + at_text);
    at = *parsed;
  }

  mailgate::rules::Appeal appeal;
  appeal.message = &message;
  appeal.sender = sender;
  appeal.mailbox = config->mailbox;
  appeal.received_at = at;
  std::string facts = "no database configured: profile and history are empty";
  if (from_file) {
    // History and profile from the journal when it can be reached; the test changes nothing.
    try {
      mailgate::storage::Store store(config->database.url, config->database.password);
      auto clients = store.clients({sender});
      auto histories =
          store.histories({sender}, at - std::chrono::hours(24) * config->rules.history_days, 20);
      auto c = clients.find(sender);
      auto h = histories.find(sender);
      appeal.profile = mailgate::daemon::to_profile(c != clients.end() ? &c->second : nullptr);
      appeal.history = mailgate::daemon::to_history(h != histories.end() ? &h->second : nullptr);
      facts = "profile and history from the database";
    } catch (const std::exception& e) {
      facts =
          std::string("database not reachable (") + e.what() + "): profile and history are empty";
    }
  }
  auto d = mailgate::rules::evaluate(loaded->set, appeal, loaded->calendar, loaded->settings);
  std::string deadline = mailgate::rules::format_iso8601(d.deadline, offset);
  if (json) {
    nlohmann::json fired = nlohmann::json::array();
    for (const auto& f : d.fired) {
      fired.push_back({{"id", f.id}, {"why", f.why}, {"effect", f.effect}, {"source", f.source}});
    }
    nlohmann::json out = {
        {"urgency", d.urgency},   {"score", d.score},     {"topic", d.topic},
        {"unit", d.unit},         {"officer", d.officer}, {"term", d.term},
        {"deadline", deadline},   {"fired", fired},       {"notify", d.notify},
        {"kb_links", d.kb_links}, {"tags", d.tags},       {"warnings", d.warnings}};
    std::cout << out.dump() << "\n";
    return 0;
  }
  std::cout << "Срочность: " << (d.urgency == "urgent" ? "срочно" : "обычно")
            << " (баллы: " << d.score << ")\n"
            << "Тема: " << d.topic << "\n"
            << "Подразделение: " << (d.unit.empty() ? "—" : d.unit) << "\n"
            << "Срок: " << d.term << ", до " << deadline << "\n";
  if (!d.summary.empty()) std::cout << d.summary << "\n";
  for (const auto& f : d.fired) {
    std::cout << "  • " << f.id << ": " << f.why;
    if (!f.effect.empty()) std::cout << " → " << f.effect;
    std::cout << "\n";
  }
  for (const auto& warning : d.warnings) std::cout << "  ! " << warning << "\n";
  std::cerr << "(" << facts << ")\n";
  return 0;
}

int cmd_calendar_deadline(const Args& args) {
  auto w = args.words;
  std::string from = take_option(w, "--from");
  std::string term_text = take_option(w, "--term");
  if (w.size() != 2 || from.empty() || term_text.empty()) {
    return usage_error("calendar deadline needs --from ISO-DATETIME and --term TERM");
  }
  bool from_file = false;
  auto config = optional_config(args, from_file);
  if (!config) return 2;
  auto loaded = load_rules_or_report(*config);
  if (!loaded) return 2;
  auto offset = loaded->calendar.utc_offset();
  auto at = mailgate::base::parse_iso_time(from, offset);
  if (!at) return usage_error("--from: not an ISO 8601 date and time: " + from);
  mailgate::rules::Term term;
  try {
    term = mailgate::rules::parse_term(term_text);
  } catch (const std::exception& e) {
    return usage_error(std::string("--term: ") + e.what());
  }
  auto d =
      mailgate::rules::compute_deadline(loaded->calendar, *at, term, loaded->settings.deadline);
  for (const auto& warning : d.warnings) std::cerr << "mailgate: warning: " << warning << "\n";
  std::cout << mailgate::rules::format_iso8601(d.at, offset) << "\n";
  return 0;
}

int cmd_clients_import(const Config& config, const std::vector<std::string>& w) {
  if (w.size() != 3) return usage_error("clients import needs one FILE.csv");
  mailgate::cases::ClientsCsv csv;
  try {
    csv = mailgate::cases::parse_clients_csv(w[2], read_file(w[2]));
  } catch (const std::exception& e) {
    std::cerr << "mailgate: " << e.what() << "\n";
    return 1;
  }
  for (const auto& p : csv.problems) std::cerr << "mailgate: skipped " << p << "\n";
  mailgate::storage::Store store(config.database.url, config.database.password);
  store.migrate();
  auto n = store.import_clients(csv.rows);
  std::cout << "imported " << n << " client(s), skipped " << csv.problems.size() << " row(s)\n";
  return 0;
}

// The thresholds of the config when there is one; the defaults otherwise (a writer can check
// a text without a configured daemon).
std::optional<Config> optional_config(const Args& args, int& exit_code) {
  auto path = mailgate::daemon::config_path(args.config);
  std::error_code ec;
  if (args.config.empty() && !std::filesystem::exists(path, ec)) return Config{};
  try {
    return mailgate::daemon::load_config(path);
  } catch (const ConfigError& e) {
    std::cerr << "mailgate: " << e.what() << "\n";
    exit_code = 2;
    return std::nullopt;
  }
}

int cmd_lint_text(const Args& args) {
  const auto& w = args.words;
  if (w.size() > 2) return usage_error("lint-text takes one FILE (or - for standard input)");
  std::string label = w.size() == 2 ? w[1] : "-";
  std::string text;
  if (label == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    std::ifstream in(label, std::ios::binary);
    if (!in) {
      std::cerr << "mailgate: cannot read " << label << "\n";
      return 1;
    }
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  int code = 0;
  auto config = optional_config(args, code);
  if (!config) return code;
  namespace t = mailgate::templates;
  auto report = t::check_plain_language(text, lint_settings(*config),
                                        t::parse_cliche_list(t::shipped_cliche_list()));
  std::cout << t::format_report(report, label == "-" ? "stdin" : label);
  return report.passed ? 0 : 1;
}

int cmd_template_preview(const Args& args) {
  const auto& w = args.words;
  if (w.size() < 3) return usage_error("template preview needs a NAME");
  std::string name = w[2];
  std::string regno;
  for (std::size_t i = 3; i < w.size(); ++i) {
    if (w[i] == "--case" && i + 1 < w.size()) {
      regno = w[++i];
    } else {
      return usage_error("unknown option for template preview: " + w[i]);
    }
  }
  int code = 0;
  auto config = optional_config(args, code);
  if (!config) return code;
  if (config->templates_directory.empty()) {
    config->templates_directory = mailgate::daemon::default_templates_dir();
  }
  namespace t = mailgate::templates;
  t::TemplateSet set;
  try {
    set = mailgate::daemon::load_templates(config->templates_directory, lint_settings(*config));
  } catch (const t::TemplateError& e) {
    for (const auto& err : e.errors()) std::cerr << "mailgate: " << err << "\n";
    return 2;
  }
  if (t::find_schema(name) == nullptr) {
    std::string names;
    for (const auto& n : t::template_names()) names += " " + n;
    return usage_error("unknown template \"" + name + "\"; templates:" + names);
  }
  nlohmann::json ctx = t::sample_context(name);
  if (!regno.empty()) {
    // The case's own facts over the sample: what its client would read.
    mailgate::storage::Store store(config->database.url, config->database.password);
    auto found = store.cases_by_regno({regno});
    auto it = found.find(regno);
    if (it == found.end()) {
      std::cerr << "mailgate: no case " << regno << "\n";
      return 1;
    }
    nlohmann::json channels = nlohmann::json::array();
    for (const auto& c : it->second.channels) channels.push_back({{"address", c}});
    ctx.merge_patch(
        {{"case",
          {{"regno", regno}, {"subject", it->second.subject}, {"summary", it->second.subject}}},
         {"client", {{"address", it->second.client_address}}},
         {"channels", channels},
         {"office",
          {{"name", config->office.name},
           {"address", config->office.reception_address},
           {"hours", config->office.reception_hours},
           {"phone", config->office.phone},
           {"email", config->office.address}}}});
  }
  auto r = set.render(name, ctx);
  std::cout << "Subject: "
            << (regno.empty() ? "[" + ctx["case"].value("regno", "") + "] " : "[" + regno + "] ")
            << r.subject << "\n\n"
            << r.text;
  if (!r.html.empty()) std::cout << "\n--- HTML ---\n" << r.html;
  return 0;
}

int dispatch(const Args& args) {
  const auto& w = args.words;
  const std::string& cmd = w[0];
  if (cmd == "inspect") return cmd_inspect(w);
  if (cmd == "rules" && w.size() >= 2 && w[1] == "test") return cmd_rules_test(args);
  if (cmd == "calendar" && w.size() >= 2 && w[1] == "deadline") return cmd_calendar_deadline(args);
  if (cmd == "lint-text") return cmd_lint_text(args);
  if (cmd == "template" && w.size() >= 2 && w[1] == "preview") return cmd_template_preview(args);

  Config config;
  try {
    config = mailgate::daemon::load_config(mailgate::daemon::config_path(args.config));
  } catch (const ConfigError& e) {
    std::cerr << "mailgate: " << e.what() << "\n";
    return 2;
  }
  if (cmd == "check-config") {
    if (w.size() != 1) return usage_error("check-config takes no arguments");
    auto problems = mailgate::daemon::check_rules(config);
    {
      // The templates, checked as the daemon checks them at start.
      try {
        mailgate::daemon::load_templates(config.templates_directory, lint_settings(config));
      } catch (const mailgate::templates::TemplateError& e) {
        problems.insert(problems.end(), e.errors().begin(), e.errors().end());
      } catch (const std::exception& e) {
        problems.push_back(e.what());
      }
    }
    for (const auto& p : problems) std::cerr << "mailgate: " << p << "\n";
    if (!problems.empty()) return 2;
    std::cout << config.file.string() << ": OK\n";
    return 0;
  }
  if (cmd == "clients") {
    if (w.size() >= 2 && w[1] == "import") return cmd_clients_import(config, w);
    return usage_error("unknown clients command");
  }
  setup_logging(config.log_level);
  if (cmd == "run") {
    // First of all, so that a stop request during a slow start (rules, templates, a
    // database that is not up yet) is a clean stop, not a kill.
    mailgate::daemon::install_signal_handlers();
    bool once = false;
    for (std::size_t i = 1; i < w.size(); ++i) {
      if (w[i] == "--once") {
        once = true;
      } else {
        return usage_error("unknown option for run: " + w[i]);
      }
    }
    auto loaded = load_rules_or_report(config);
    if (!loaded) return 2;
    mailgate::daemon::RulesHolder rules(loaded);
    return mailgate::daemon::run_service(config, once, make_parser(config.limits), rules);
  }
  if (cmd == "migrate") {
    if (w.size() != 1) return usage_error("migrate takes no arguments");
    mailgate::storage::Store store(config.database.url, config.database.password);
    int n = store.migrate();
    std::cout << "applied " << n << " migration(s)\n";
    return 0;
  }
  if (cmd == "case") {
    if (w.size() >= 2 && w[1] == "list") return mailgate::daemon::case_list_command(config, w);
    if (w.size() >= 2 && w[1] == "show") return mailgate::daemon::case_show_command(config, w);
    if (w.size() >= 2 && mailgate::daemon::is_case_action(w[1])) {
      return mailgate::daemon::case_action_command(config, w);
    }
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
