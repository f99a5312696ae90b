#pragma once
/// The urgency rules and calendar as the daemon runs them: read from their directories,
/// validated in full, and swapped as one piece on SIGHUP so no message is ever judged by
/// half an old and half a new set.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/config.hpp"
#include "rules/calendar.hpp"
#include "rules/engine.hpp"
#include "rules/rule.hpp"

namespace mailgate::daemon {

struct LoadedRules {
  rules::RuleSet set;
  rules::Calendar calendar;
  rules::EngineSettings settings;
  std::size_t files = 0;
};

/// Reads and validates everything; throws ConfigError with every problem, one per line,
/// each "file:line:column: reason".
std::shared_ptr<const LoadedRules> load_rules(const Config& config);

/// The same checks without throwing, for `mailgate check-config`.
std::vector<std::string> check_rules(const Config& config);

/// The current rules; readers take a snapshot, reload replaces it whole.
class RulesHolder {
 public:
  explicit RulesHolder(std::shared_ptr<const LoadedRules> rules) : rules_(std::move(rules)) {}
  std::shared_ptr<const LoadedRules> get() const;
  /// Loads anew; on any error keeps the old set and returns the error text.
  std::string reload(const Config& config);

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const LoadedRules> rules_;
};

}  // namespace mailgate::daemon
