#pragma once
/// What each fuzz target does with one input, shared by the libFuzzer targets (fuzz_*.cpp)
/// and by tests/unit/fuzz_regressions_test.cpp, which replays the saved inputs of
/// tests/data/fuzz-regressions/ through the same code in the ordinary build.
///
/// Each function returns "" when the input was handled as the module promises (loaded, or
/// rejected with the module's own error type), else what went wrong. Crashes and sanitizer
/// reports need no return value: they stop the process.

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/config.hpp"
#include "mail/charset.hpp"
#include "mail/parse.hpp"
#include "rules/calendar.hpp"
#include "rules/deadline.hpp"
#include "rules/engine.hpp"
#include "rules/rule_load.hpp"

namespace mailgate::fuzz {

// --- mime: parse_message and to_json ---------------------------------------------------------

namespace detail {

inline std::string check_text(const char* what, const std::string& s) {
  if (!mail::is_valid_utf8(s)) return std::string(what) + ": not valid UTF-8";
  if (s.find('\0') != std::string::npos) return std::string(what) + ": contains NUL";
  return {};
}

inline std::string check_message(const mail::Message& m) {
  std::vector<std::pair<const char*, const std::string*>> texts = {
      {"message_id", &m.message_id}, {"subject", &m.subject}, {"text", &m.text}};
  if (m.from) texts.insert(texts.end(), {{"from", &m.from->name}, {"from", &m.from->address}});
  for (const auto* list : {&m.to, &m.cc, &m.reply_to}) {
    for (const auto& a : *list)
      texts.insert(texts.end(), {{"to/cc", &a.name}, {"to/cc", &a.address}});
  }
  if (m.date) texts.push_back({"date", &*m.date});
  if (m.in_reply_to) texts.push_back({"in_reply_to", &*m.in_reply_to});
  if (m.auto_submitted) texts.push_back({"auto_submitted", &*m.auto_submitted});
  for (const auto& r : m.references) texts.push_back({"references", &r});
  for (const auto& a : m.attachments) {
    texts.insert(texts.end(), {{"attachment filename", &a.filename},
                               {"attachment content_type", &a.content_type}});
    if (a.sha256.size() != 64) return "attachment sha256: \"" + a.sha256 + "\"";
  }
  for (const auto& d : m.defects) texts.push_back({"defect", &d});
  for (const auto& [what, s] : texts) {
    if (auto problem = check_text(what, *s); !problem.empty()) return problem;
  }
  if (m.defects.size() > 101) return "more than 100 defects plus the summary";

  std::string json = mail::to_json(m);
  auto parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) return "to_json: not a JSON object";
  if (parsed["subject"] != m.subject || parsed["text"] != m.text) {
    return "to_json: subject or text changed on the way";
  }
  return {};
}

inline std::string parse_one(std::string_view raw, const mail::ParseLimits& limits) {
  try {
    return check_message(mail::parse_message(raw, limits));
  } catch (const mail::ParseError&) {
    return {};  // not a message at all: the intake registers the raw bytes as `unparsed`
  }
}

}  // namespace detail

/// Parses with the default ParseLimits and with tiny ones (so that small inputs reach every
/// cap: header bytes, line length, depth, part count) and checks what parse.hpp promises:
/// every string valid UTF-8 without NUL, at most 100 defects plus a summary, and to_json one
/// valid JSON object.
inline std::string check_mime(std::string_view raw) {
  if (auto problem = detail::parse_one(raw, mail::ParseLimits{}); !problem.empty()) {
    return problem;
  }
  mail::ParseLimits tiny;
  tiny.max_header_bytes = 512;
  tiny.max_line_bytes = 100;
  tiny.max_depth = 4;
  tiny.max_parts = 12;
  if (auto problem = detail::parse_one(raw, tiny); !problem.empty()) {
    return "tiny limits: " + problem;
  }
  return {};
}

// --- config: load_config_text ----------------------------------------------------------------

/// The config file's contents must load or be rejected with a ConfigError.
inline std::string check_config(std::string_view text) {
  try {
    daemon::load_config_text(text, "/nonexistent/mailgate-fuzz/mailgate.toml");
  } catch (const daemon::ConfigError&) {
  }
  return {};
}

// --- rules and calendar ------------------------------------------------------------------------

namespace detail {

inline rules::SourceFile read_calendar_file(const std::string& rules_dir, const std::string& name) {
  std::ifstream in(rules_dir + "/calendar/" + name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return {name, text.str()};
}

inline std::chrono::sys_seconds msk(int y, unsigned mo, unsigned d, int h, int mi) {
  using namespace std::chrono;
  return sys_seconds(sys_days(year_month_day{year(y), month(mo), day(d)})) + hours(h) +
         minutes(mi) - hours(3);
}

/// An appeal that gives every condition kind something to look at.
struct FixedAppeal {
  mail::Message message;
  rules::Appeal appeal;

  FixedAppeal() {
    message.subject = "Срочно: справка о доходах, уведомление о подарке";
    message.text =
        "Добрый день! Прошу разъяснить порядок представления справки о доходах, расходах, "
        "об имуществе за 2025 год. Срок — до 30.04.2026, 17 апреля комиссия. Конфликт "
        "интересов? Сайт https://lenobl.example/anticorruption не открывается.\n"
        "С уважением, Иванова М.П., начальник сектора";
    message.from = mail::Address{"Иванова", "m.ivanova@edu.lenobl.example"};
    message.to.push_back({"Отдел", "antikor@lenobl.example"});
    message.cc.push_back({"", "head@lenobl.example"});
    message.attachments.push_back({"справка.pdf", "application/pdf", 12345, "", false});
    message.attachments.push_back({"scan 1.JPG", "image/jpeg", 99, "", true});
    appeal.message = &message;
    appeal.sender = "m.ivanova@edu.lenobl.example";
    appeal.mailbox = "INBOX";
    appeal.addressee = "antikor@lenobl.example";
    appeal.received_at = msk(2026, 4, 15, 19, 30);
    appeal.profile = {true,
                      "Иванова Мария Петровна",
                      "Начальник сектора",
                      "head_of_executive_body",
                      "Комитет финансов",
                      "prevention"};
    appeal.history.earlier_messages = {msk(2026, 4, 1, 10, 0), msk(2025, 1, 1, 0, 0)};
    appeal.history.open_cases = 2;
    appeal.history.past_cases.push_back(
        {"УПК-2026-000012", msk(2026, 3, 2, 11, 0), "Справка о доходах за 2025 год"});
  }
  FixedAppeal(const FixedAppeal&) = delete;
};

/// Walks a loaded calendar through one year: every day, and deadlines of each kind of term
/// from a few moments of the year.
inline std::string query_calendar(const rules::Calendar& c, int y) {
  using namespace std::chrono;
  for (sys_days d = sys_days(year(y) / January / 1); d <= sys_days(year(y) / December / 31);
       d += days{1}) {
    year_month_day ymd(d);
    if (c.is_working_day(ymd)) {
      auto office = c.office_day(ymd);
      if (!office || office->end <= office->start) return "office_day: no office time";
    }
    (void)c.is_shortened(ymd);
  }
  (void)c.is_provisional(year(y));
  (void)c.source(year(y));
  const rules::Term terms[] = {
      {1, rules::TermUnit::days},          {30, rules::TermUnit::days},
      {2, rules::TermUnit::working_days},  {1, rules::TermUnit::working_hours},
      {4, rules::TermUnit::working_hours}, {40, rules::TermUnit::working_hours}};
  const sys_seconds local_moments[] = {sys_days(year(y) / January / 1) + 0min,
                                       sys_days(year(y) / May / 8) + 12h + 30min,
                                       sys_days(year(y) / December / 31) + 23h + 59min + 59s};
  for (sys_seconds local : local_moments) {
    sys_seconds registered = local - c.utc_offset();
    for (const rules::Term& term : terms) {
      for (bool shift : {true, false}) {
        rules::Deadline d = rules::compute_deadline(c, registered, term, {shift});
        if (d.at < registered) return "compute_deadline: the deadline is before registration";
        (void)rules::format_iso8601(d.at, c.utc_offset());
      }
    }
  }
  return {};
}

}  // namespace detail

/// One rule file: check_rule_files must report its problems; a file without problems must
/// also load with load_rule_set and evaluate against a fixed appeal.
inline std::string check_rules(std::string_view text, const std::string& rules_dir) {
  static const rules::Vocabulary vocabulary{{"prevention", "hr", "legal"}, {"ivanova", "smirnova"}};
  static const detail::FixedAppeal fixed;
  static const rules::Calendar calendar =
      rules::Calendar::load(detail::read_calendar_file(rules_dir, "office_hours.toml"),
                            {detail::read_calendar_file(rules_dir, "2025.toml"),
                             detail::read_calendar_file(rules_dir, "2026.toml"),
                             detail::read_calendar_file(rules_dir, "2027.toml")});
  std::string file(text);
  if (!rules::check_rule_files({{"fuzz.toml", file}}, vocabulary).empty()) return {};
  try {
    rules::RuleSet set = rules::load_rule_set({{"fuzz.toml", file}}, vocabulary);
    rules::evaluate(set, fixed.appeal, calendar, rules::EngineSettings{});
  } catch (const rules::RuleError& e) {
    return std::string("check_rule_files found no problem, load_rule_set did: ") + e.what();
  }
  return {};
}

/// The input as office_hours.toml next to the shipped 2026.toml, and as a year file next to
/// the shipped office hours; what loads is then queried across its year.
inline std::string check_calendar(std::string_view text, const std::string& rules_dir) {
  static const rules::SourceFile office =
      detail::read_calendar_file(rules_dir, "office_hours.toml");
  static const rules::SourceFile y2026 = detail::read_calendar_file(rules_dir, "2026.toml");
  rules::SourceFile input{"fuzz.toml", std::string(text)};
  try {
    auto c = rules::Calendar::load(input, {y2026});
    if (auto problem = detail::query_calendar(c, 2026); !problem.empty()) {
      return "as office hours: " + problem;
    }
  } catch (const rules::CalendarError&) {
  }
  try {
    auto c = rules::Calendar::load(office, {input});
    // It loaded, so it is valid TOML with a year = 1970..9999 the calendar now has.
    auto y = toml::parse(text)["year"].value<std::int64_t>().value_or(0);
    if (!c.has_year(std::chrono::year(static_cast<int>(y)))) return "the loaded year is missing";
    if (auto problem = detail::query_calendar(c, static_cast<int>(y)); !problem.empty()) {
      return "as a year file: " + problem;
    }
  } catch (const rules::CalendarError&) {
  }
  return {};
}

}  // namespace mailgate::fuzz
