#pragma once
/// Loading rule files (TOML, see docs/rules.md). Pure: the daemon reads the `*.toml` files of
/// the configured directory and passes their contents; rules load in file name order.
/// Everything is checked and compiled here, so a rule set that loads cannot fail later on a
/// bad regular expression, an unknown topic or an unreadable term.

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "rules/calendar.hpp"
#include "rules/rule.hpp"

namespace mailgate::rules {

/// The unit and officer ids the main configuration defines; a rule naming any other is an
/// error.
struct Vocabulary {
  std::set<std::string> units;
  std::set<std::string> officers;
};

/// Every problem found in the rule files, each "file:line:column: reason"; what() has them
/// all, one per line.
class RuleError : public std::runtime_error {
 public:
  explicit RuleError(std::vector<std::string> errors);
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::vector<std::string> errors_;
};

/// Loads and compiles the rules; throws RuleError listing every problem of every file.
RuleSet load_rule_set(std::vector<SourceFile> files, const Vocabulary& known);

/// The problems load_rule_set would report, without throwing: for `mailgate check-config`.
std::vector<std::string> check_rule_files(std::vector<SourceFile> files, const Vocabulary& known);

}  // namespace mailgate::rules
