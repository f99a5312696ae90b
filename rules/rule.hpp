#pragma once
/// A rule as the loader compiled it: conditions with their stems, regular expressions and
/// windows worked out in advance, and the actions it takes when it fires. See
/// docs/rules.md for the file format administrators write.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rules/date_window.hpp"
#include "rules/prepared.hpp"
#include "rules/term.hpp"

namespace mailgate::rules {

/// Which text a words or regex condition looks at.
enum class TextField { text, subject, body };

/// The most words a phrase may have (a phrase is a few words, not a sentence).
inline constexpr std::size_t kMaxPhraseWords = 16;

/// A word or a phrase of a rule: consecutive stems.
struct Phrase {
  std::string written;  ///< as the rule wrote it, for messages
  std::vector<std::string> stems;
};

enum class ConditionKind {
  all,
  any,
  not_,
  words,             ///< any of `phrases` occurs in `field`
  regex,             ///< regular expression `regex` matches in `field`
  sender,            ///< the sender's address is one of `values`
  sender_domain,     ///< the sender's domain is one of `values` or a subdomain of one
  profile_known,     ///< the client is in the directory
  profile_is,        ///< profile field `profile` equals one of `values` (case-insensitive)
  profile_words,     ///< profile field `profile` contains one of `phrases`
  history_messages,  ///< at least `at_least` messages, this one included, in `days` days
  history_open,      ///< at least `at_least` open cases
  history_similar,   ///< an earlier case (within `days`, 0 = any) at least `threshold` similar
  attachment_count,  ///< between `at_least` and `at_most` attachments
  attachment_type,   ///< an attachment's content type matches one of `values` ("image/*")
  attachment_name,   ///< an attachment's file name matches one of the globs in `values`
  dates,             ///< the local arrival date is inside `window`
  arrival,           ///< arrival time: `arrival`
  mailbox,           ///< the mailbox is one of `values`
  addressee,         ///< the addressee, or a To/Cc address, is one of `values`
  near_date,         ///< the text names a date from today to `days` days ahead
};

enum class Arrival { office_hours, outside_office_hours, day_off };

struct Condition {
  ConditionKind kind = ConditionKind::all;
  std::vector<Condition> children;  ///< all / any / not (one child)
  TextField field = TextField::text;
  std::vector<Phrase> phrases;
  std::vector<std::string> values;  ///< lower case where compared case-insensitively
  std::size_t regex = 0;            ///< index in the rule set's regex bank
  std::string pattern;              ///< the regex as written, for messages
  ProfileField profile = ProfileField::position;
  int days = 0;
  int at_least = 0;
  int at_most = -1;  ///< -1: no upper bound
  double threshold = 0;
  DateWindow window;
  Arrival arrival = Arrival::office_hours;
};

struct Actions {
  std::optional<std::string> urgency;  ///< "urgent" or "normal"
  int score = 0;
  std::optional<std::string> topic;
  std::optional<std::string> unit;
  std::optional<std::string> officer;
  std::optional<Term> term;
  std::vector<std::string> notify;  ///< "officer", "unit_head" or officer ids
  std::vector<std::string> kb;
  std::vector<std::string> tags;
  bool stop = false;
};

struct Rule {
  std::string id;
  std::string description;        ///< Russian, shown to officers
  std::string source;             ///< "10-declarations.toml:12", where the rule starts
  std::optional<Condition> when;  ///< no condition: the rule always fires
  Actions then;
};

class RegexBank;

/// All rules of all files, in evaluation order (file name order, then order in the file).
class RuleSet {
 public:
  RuleSet();
  RuleSet(std::vector<Rule> rules, std::shared_ptr<const RegexBank> regexes);
  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;
  ~RuleSet();

  const std::vector<Rule>& rules() const { return rules_; }
  const RegexBank& regexes() const { return *regexes_; }

 private:
  std::vector<Rule> rules_;
  std::shared_ptr<const RegexBank> regexes_;
};

/// The consultation topics of R13 plus `other` and `out_of_remit`.
inline const std::vector<std::string>& known_topics() {
  static const std::vector<std::string> topics = {
      "law",          "declarations", "conflict_of_interest", "sites",
      "restrictions", "other",        "out_of_remit"};
  return topics;
}

/// The Russian name of a topic, for explanations; the id itself for an unknown one.
std::string topic_name(const std::string& topic);

}  // namespace mailgate::rules
