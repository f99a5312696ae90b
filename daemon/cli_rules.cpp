// `mailgate rules test`: the urgency decision the rules would take for a message; changes
// nothing.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <exception>
#include <iostream>

#include "base/iso_time.hpp"
#include "daemon/assess.hpp"
#include "daemon/cli_commands.hpp"
#include "mail/parse.hpp"
#include "rules/deadline.hpp"
#include "rules/engine.hpp"
#include "storage/store.hpp"

namespace mailgate::daemon::cli {
namespace {

/// Fills the appeal's profile and history from the journal when a configured one can be
/// reached; returns what the output says of where they came from.
std::string add_journal_facts(const Config& config, bool from_file, rules::Appeal& appeal) {
  if (!from_file) return "no database configured: profile and history are empty";
  try {
    storage::Store store(config.database.url, config.database.password);
    const std::string& sender = appeal.sender;
    auto clients = store.clients({sender});
    auto histories = store.histories(
        {sender}, appeal.received_at - std::chrono::hours(24) * config.rules.history_days, 20);
    auto c = clients.find(sender);
    auto h = histories.find(sender);
    appeal.profile = to_profile(c != clients.end() ? &c->second : nullptr);
    appeal.history = to_history(h != histories.end() ? &h->second : nullptr);
    return "profile and history from the database";
  } catch (const std::exception& e) {
    return std::string("database not reachable (") + e.what() + "): profile and history are empty";
  }
}

void print_json(const rules::Decision& d, const std::string& deadline) {
  nlohmann::json fired = nlohmann::json::array();
  for (const auto& f : d.fired) {
    fired.push_back({{"id", f.id}, {"why", f.why}, {"effect", f.effect}, {"source", f.source}});
  }
  nlohmann::json out = {{"urgency", d.urgency},   {"score", d.score},     {"topic", d.topic},
                        {"unit", d.unit},         {"officer", d.officer}, {"term", d.term},
                        {"deadline", deadline},   {"fired", fired},       {"notify", d.notify},
                        {"kb_links", d.kb_links}, {"tags", d.tags},       {"warnings", d.warnings}};
  std::cout << out.dump() << "\n";
}

void print_text(const rules::Decision& d, const std::string& deadline) {
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
}

}  // namespace

int rules_test_command(const Args& args) {
  auto w = args.words;
  std::string from = take_option(w, "--from");
  std::string at_text = take_option(w, "--at");
  bool json = take_flag(w, "--json");
  if (w.size() != 3) return usage_error("rules test needs one FILE.eml");
  bool from_file = false;
  auto config = config_or_defaults(args, from_file);
  if (!config) return 2;
  auto loaded = load_rules_or_report(*config);
  if (!loaded) return 2;
  auto message = mail::parse_message(read_file(w[2]));
  std::string sender = from.empty() ? sender_of(message) : from;
  std::transform(sender.begin(), sender.end(), sender.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto offset = loaded->calendar.utc_offset();
  std::chrono::sys_seconds at =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  if (!at_text.empty()) {
    auto parsed = base::parse_iso_time(at_text, offset);
    if (!parsed) return usage_error("--at: not an ISO 8601 date and time: " + at_text);
    at = *parsed;
  }

  rules::Appeal appeal;
  appeal.message = &message;
  appeal.sender = sender;
  appeal.mailbox = config->mailbox;
  appeal.received_at = at;
  std::string facts = add_journal_facts(*config, from_file, appeal);
  auto d = rules::evaluate(loaded->set, appeal, loaded->calendar, loaded->settings);
  std::string deadline = rules::format_iso8601(d.deadline, offset);
  if (json) {
    print_json(d, deadline);
    return 0;
  }
  print_text(d, deadline);
  std::cerr << "(" << facts << ")\n";
  return 0;
}

}  // namespace mailgate::daemon::cli
