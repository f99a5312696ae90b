#pragma once
/// Applying a rule set to one appeal. The result says what to do (urgency, topic, unit,
/// term and deadline, whom to notify) and why, rule by rule, in Russian for the officer.
///
/// How rules combine (in file name order, then order in the file):
///  - score: every fired rule adds its score;
///  - urgency: a fired rule with urgency = "urgent" makes the appeal urgent whatever the
///    score; otherwise a rule with urgency = "normal" makes it normal whatever the score;
///    otherwise it is urgent when the score reaches EngineSettings::urgent_score;
///  - topic, unit, officer: the first fired rule that sets one wins; later ones are noted;
///  - term: of all terms the fired rules set, the one with the earliest deadline wins (a
///    stricter rule is never undone by a laxer one); none: the settings' term;
///  - notify, kb, tags: collected from all fired rules, each once, in order;
///  - stop: no later rule is tried.
///
/// A RuleSet is immutable once loaded: several threads may evaluate with the same one at
/// the same time (each thread keeps its own stemmer and stem memo).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "rules/appeal.hpp"
#include "rules/calendar.hpp"
#include "rules/deadline.hpp"
#include "rules/prepared.hpp"
#include "rules/rule.hpp"
#include "rules/term.hpp"

namespace mailgate::rules {

/// From the main configuration.
struct EngineSettings {
  /// A score at or above this makes the appeal urgent.
  int urgent_score = 10;
  /// The answer term when no fired rule sets one: 59-FZ art. 12 p. 1.
  Term default_term{30, TermUnit::days};
  /// The term of an appeal found urgent by its score when no fired rule sets a term (an
  /// urgent appeal answered on the 30th day would defeat R10); unset: default_term.
  std::optional<Term> urgent_term = Term{2, TermUnit::working_days};
  std::string default_topic = "other";
  std::string default_unit;  ///< may be empty: the daemon's routing decides
  DeadlineSettings deadline;
};

/// One rule that fired.
struct Fired {
  std::string id;
  std::string description;  ///< the rule's own description
  std::string why;  ///< what in the appeal made it fire: «найдены слова: «подарок»»
  std::string effect;  ///< what it changed: «срочно; тема: конфликт интересов; +10 баллов»
  std::string source;  ///< "30-urgent-any-time.toml:12"
};

struct Decision {
  std::string urgency;  ///< "urgent" or "normal"
  int score = 0;
  std::string topic;
  std::string unit;
  std::string officer;
  std::string term;  ///< canonical form, "2 working days"
  std::chrono::sys_seconds deadline{};
  std::vector<std::string> notify;
  std::vector<std::string> kb_links;
  std::vector<std::string> tags;
  std::vector<Fired> fired;
  /// The outcome in one paragraph of Russian: why urgent or not, topic, term and deadline.
  std::string summary;
  /// For the log: a provisional or missing calendar year, a missing message.
  std::vector<std::string> warnings;
};

/// Evaluates the rules against an appeal already prepared with prepare(); the benchmark and
/// callers that evaluate several rule sets use this form.
Decision evaluate(const RuleSet& rules, const PreparedAppeal& appeal, const Calendar& calendar,
                  const EngineSettings& settings);

/// Prepares the appeal (stems it once) and evaluates the rules.
Decision evaluate(const RuleSet& rules, const Appeal& appeal, const Calendar& calendar,
                  const EngineSettings& settings);

/// A term in Russian: "2 рабочих дня", "30 дней", "4 рабочих часа".
std::string term_text(const Term& term);

}  // namespace mailgate::rules
