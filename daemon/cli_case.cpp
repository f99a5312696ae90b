// The case commands of the console: `case list` filters, `case show`, and the officers'
// actions (`case answer|refuse|forward|transfer|clarify|extend|close`), which follow the
// same rules and the same refusal gate as commands by mail.
#include "daemon/cli_commands.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <variant>

#include "base/terminal_text.hpp"
#include "cases/case_actions.hpp"
#include "cases/case_table.hpp"
#include "cases/case_words.hpp"
#include "cases/officer_command.hpp"
#include "cases/outbound.hpp"
#include "daemon/case_settings.hpp"
#include "daemon/cli.hpp"
#include "daemon/template_loader.hpp"
#include "storage/store.hpp"

namespace mailgate::daemon::cli {
namespace {

using cases::Action;
using cases::ActionRequest;
using cases::CaseState;
using cases::CommandError;
using cases::OfficerCommand;

// The command line an officer would have written first in a mail.
const char* command_word(const std::string& action) {
  if (action == "answer") return "ОТВЕТ";
  if (action == "refuse") return "ОТКАЗ";
  if (action == "forward") return "ПЕРЕАДРЕСАЦИЯ";
  if (action == "transfer") return "ПЕРЕДАТЬ";
  if (action == "clarify") return "УТОЧНЕНИЕ";
  if (action == "extend") return "ПРОДЛЕНИЕ";
  if (action == "close") return "БЕЗ ОТВЕТА";
  return "";
}

bool needs_argument(const std::string& action) {
  return action == "forward" || action == "transfer" || action == "extend" || action == "close";
}

bool open_case(const std::string& status) { return cases::open_status(status); }

/// Now as the deadlines are listed: "2026-04-30T14:00:00+03:00".
std::string now_iso_moscow() {
  auto now = std::chrono::system_clock::now();
  auto t = std::chrono::floor<std::chrono::seconds>(now) + std::chrono::hours(3);
  auto day = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd(day);
  std::chrono::hh_mm_ss hms(t - day);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld+03:00", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), long(hms.hours().count()),
                long(hms.minutes().count()), long(hms.seconds().count()));
  return buf;
}

bool is_case_action(const std::string& word) { return *command_word(word) != '\0'; }

/// words: {"case", "list", options...}
int case_list(const Config& config, const std::vector<std::string>& words) {
  bool json = false;
  bool overdue = false;
  std::string status;
  for (std::size_t i = 2; i < words.size(); ++i) {
    if (words[i] == "--json") {
      json = true;
    } else if (words[i] == "--overdue") {
      overdue = true;
    } else if (words[i] == "--status" && i + 1 < words.size()) {
      status = words[++i];
    } else {
      return brief_usage_error("unknown option for case list: " + words[i]);
    }
  }
  storage::Store store(config.database.url, config.database.password);
  auto cases = store.list_cases(config.registration.timezone);
  // ISO 8601 strings with the same offset compare like the moments they name.
  std::string now_iso = now_iso_moscow();
  std::vector<storage::CaseSummary> shown;
  for (auto& c : cases) {
    if (!status.empty() && c.status != status) continue;
    if (overdue && !(open_case(c.status) && !c.deadline.empty() && c.deadline < now_iso)) continue;
    shown.push_back(std::move(c));
  }
  if (json) {
    for (const auto& c : shown) std::cout << cases::case_json(c) << "\n";
  } else {
    std::cout << cases::case_table(shown);
  }
  return 0;
}

/// words: {"case", "show", REGNO}
int case_show(const Config& config, const std::vector<std::string>& words) {
  if (words.size() != 3) return brief_usage_error("case show needs one REGNO");
  storage::Store store(config.database.url, config.database.password);
  auto found = store.cases_by_regno({words[2]});
  auto it = found.find(words[2]);
  if (it == found.end()) {
    std::cerr << "mailgate: no case " << words[2] << "\n";
    return 1;
  }
  const storage::CaseRef& c = it->second;
  // Everything that came from a letter is shown through base::visible_line: a subject or a
  // name must not drive the terminal (clear it, rewrite a line, reverse the text).
  using base::visible_line;
  std::cout << "Дело " << visible_line(c.regno) << "\n"
            << "Статус: " << cases::status_word(c.status) << " (" << visible_line(c.status) << ")\n"
            << "Клиент: " << visible_line(c.client_name.empty() ? "" : c.client_name + " ") << "<"
            << visible_line(c.client_address) << ">\n"
            << "Тема: " << visible_line(c.subject) << "\n"
            << "Зарегистрировано: " << cases::long_date_moscow(c.registered_at) << "\n"
            << "Ответить до: " << (c.deadline ? cases::long_date_moscow(*c.deadline) : "—")
            << (c.extended_days ? " (продлено на " + std::to_string(*c.extended_days) + " дн.)"
                                : "")
            << "\n"
            << "Исполнитель: " << (c.officer.empty() ? "—" : visible_line(c.officer)) << "\n"
            << "Каналы:";
  for (const auto& ch : c.channels) std::cout << " " << visible_line(ch);
  std::cout << "\n\nИстория:\n";
  for (const auto& e : store.case_events(c.id, config.registration.timezone)) {
    std::string when = e.at.substr(0, 19);
    std::replace(when.begin(), when.end(), 'T', ' ');
    auto d = nlohmann::json::parse(e.detail_json, nullptr, false);
    std::string facts;
    for (const char* key : {"officer", "via", "to", "channel", "kind", "message_id",
                            "command_message_id", "reply", "address", "argument", "days"}) {
      if (d.is_object() && d.contains(key) && !d[key].is_null()) {
        facts += std::string(facts.empty() ? "" : ", ") + key + "=" +
                 (d[key].is_string() ? d[key].get<std::string>() : d[key].dump());
      }
    }
    std::cout << "  " << visible_line(when) << "  " << cases::event_word(e.kind) << " ["
              << visible_line(e.kind) << "]" << (facts.empty() ? "" : "  " + visible_line(facts))
              << "\n";
  }
  return 0;
}

/// The words of `case ACTION REGNO [ARG] options...`.
struct ActionWords {
  std::string action;
  std::string regno;
  std::string argument;  ///< forward, transfer, extend, close: what the command word takes
  std::string file;
  std::string as;
  std::vector<std::string> attach;
};

/// Fills `out`; returns 0, or the exit code after a usage error.
int parse_action_words(const std::vector<std::string>& words, ActionWords& out) {
  const std::string& action = out.action = words[1];
  if (words.size() < 3) return brief_usage_error("case " + action + " needs a REGNO");
  out.regno = words[2];
  std::size_t i = 3;
  if (needs_argument(action)) {
    if (words.size() < 4 || words[3].rfind("--", 0) == 0) {
      return brief_usage_error("case " + action + " needs " +
                               (action == "forward"    ? "the body's id"
                                : action == "transfer" ? "the officer's id"
                                : action == "extend"
                                    ? "the number of days"
                                    : "a reason (anonymous, obscene, unreadable, repeat)"));
    }
    out.argument = words[3];
    i = 4;
  }
  for (; i < words.size(); ++i) {
    if (words[i] == "--file" && i + 1 < words.size()) {
      out.file = words[++i];
    } else if (words[i] == "--as" && i + 1 < words.size()) {
      out.as = words[++i];
    } else if (words[i] == "--attach" && i + 1 < words.size()) {
      out.attach.push_back(words[++i]);
    } else {
      return brief_usage_error("unknown option for case " + action + ": " + words[i]);
    }
  }
  if (out.as.empty()) {
    return brief_usage_error("case " + action + " needs --as OFFICER (an id or e-mail)");
  }
  return 0;
}

/// The officer's command as if it came by mail; returns 0, or the exit code after saying
/// why not.
int make_request(const Config& config, const ActionWords& w, ActionRequest& request) {
  const Officer* officer = nullptr;
  for (const auto& o : config.officers) {
    if (o.id == w.as || o.email == w.as) officer = &o;
  }
  if (officer == nullptr) return brief_usage_error("--as " + w.as + ": not a configured officer");
  std::string text = w.file.empty() ? "" : read_input(w.file);
  // The same parser as mail: the same rules for what the text must contain.
  auto parsed = cases::parse_officer_command(std::string(command_word(w.action)) + " " +
                                             w.argument + "\n" + text);
  if (auto* error = std::get_if<CommandError>(&parsed)) {
    std::cerr << "mailgate: " << error->message << "\n";
    return 1;
  }
  request.command = std::get<OfficerCommand>(parsed);
  request.officer = officer;
  request.via = "console";
  for (const auto& path : w.attach) {
    request.attachments.push_back({std::filesystem::path(path).filename().string(),
                                   "application/octet-stream", read_input(path)});
  }
  return 0;
}

/// Plans the action on the case as it is now and records it with its mail.
int carry_out(const Config& config, const ActionWords& w, const ActionRequest& request) {
  auto tmpl = load_templates(config.templates_directory, lint_settings(config));
  const cases::Settings settings = case_settings(config);
  cases::Outbound outbound(settings, tmpl);
  storage::Store store(config.database.url, config.database.password);
  auto found = store.cases_by_regno({w.regno});
  auto it = found.find(w.regno);
  if (it == found.end()) {
    std::cerr << "mailgate: no case " << w.regno << "\n";
    return 1;
  }
  CaseState state;
  state.ref = it->second;
  state.facts = cases::facts_of(state.ref);
  state.extended_days = state.ref.extended_days;
  if (request.command.action == Action::forward) {
    state.first_message_raw = store.first_message_raw(state.ref.id);
  }
  cases::ActionPlan plan = cases::plan_action(settings, outbound, state, request);
  if (!plan.accepted) {
    std::cerr << "mailgate: not done: " << plan.problem << "\n";
    // The error mail's findings are for mail; at the console the lint says the same.
    return 1;
  }
  if (!store.act(state.ref.id, state.ref.status, plan.update, plan.mail)) {
    std::cerr << "mailgate: " << w.regno << " changed meanwhile; nothing done, try again\n";
    return 1;
  }
  std::cout << w.regno << ": " << w.action << " recorded; " << plan.mail.size()
            << " mail(s) queued:\n";
  for (const auto& m : plan.mail) {
    std::cout << "  " << m.kind << " → " << m.recipient << " (" << m.channel << ")\n";
  }
  return 0;
}

/// words: {"case", ACTION, REGNO, [ARG], options...}
int case_action(const Config& config, const std::vector<std::string>& words) {
  ActionWords w;
  if (int code = parse_action_words(words, w); code != 0) return code;
  ActionRequest request;
  if (int code = make_request(config, w, request); code != 0) return code;
  return carry_out(config, w, request);
}

}  // namespace

int case_command(const Config& config, const std::vector<std::string>& words) {
  if (words.size() >= 2 && words[1] == "list") return case_list(config, words);
  if (words.size() >= 2 && words[1] == "show") return case_show(config, words);
  if (words.size() >= 2 && is_case_action(words[1])) return case_action(config, words);
  return usage_error("unknown case command");
}

}  // namespace mailgate::daemon::cli
