#pragma once
/// Urgency assessment of freshly parsed messages, just before they are registered: fills in
/// each Incoming's decision from the rules, the client directory and the sender's history.

#include <chrono>
#include <string>
#include <vector>

#include "daemon/rules_runtime.hpp"
#include "rules/engine.hpp"
#include "storage/store.hpp"

namespace mailgate::daemon {

/// The database facts about one sender, turned into what rules/ takes.
rules::ClientProfile to_profile(const storage::ClientRow* row);
rules::History to_history(const storage::SenderHistory* history);

/// The journal's form of a decision: the explanation as JSON the officer's tools can show.
storage::CaseDecision to_case_decision(const rules::Decision& d, const std::string& term);

/// The sender as the rules see it: the From address, lower case.
std::string sender_of(const mail::Message& m);

class Assessor {
 public:
  Assessor(storage::Store& store, const RulesHolder& rules, std::string mailbox, int history_days);
  /// Decides every parsed message of the batch. Messages of one sender earlier in the same
  /// batch count as that sender's history too.
  void operator()(std::vector<storage::Incoming>& batch) const;

 private:
  storage::Store& store_;
  const RulesHolder& rules_;
  std::string mailbox_;
  int history_days_;
};

}  // namespace mailgate::daemon
