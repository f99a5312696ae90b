#include "daemon/assess.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <set>

namespace mailgate::daemon {

namespace {

std::chrono::sys_seconds seconds(storage::TimePoint t) {
  return std::chrono::time_point_cast<std::chrono::seconds>(t);
}

}  // namespace

std::string sender_of(const mail::Message& m) {
  std::string a = m.from ? m.from->address : "";
  std::transform(a.begin(), a.end(), a.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return a;
}

rules::ClientProfile to_profile(const storage::ClientRow* row) {
  rules::ClientProfile p;
  if (row == nullptr) return p;
  p.known = true;
  p.full_name = row->full_name;
  p.position = row->position;
  p.position_category = row->position_category;
  p.organisation = row->organisation;
  p.unit = row->unit;
  return p;
}

rules::History to_history(const storage::SenderHistory* h) {
  rules::History out;
  if (h == nullptr) return out;
  for (auto t : h->earlier_messages) out.earlier_messages.push_back(seconds(t));
  out.open_cases = h->open_cases;
  for (const auto& c : h->past_cases) {
    out.past_cases.push_back({c.regno, seconds(c.received_at), c.text});
  }
  return out;
}

storage::CaseDecision to_case_decision(const rules::Decision& d, const std::string& term) {
  storage::CaseDecision out;
  out.urgency = d.urgency;
  out.score = d.score;
  out.topic = d.topic;
  out.unit = d.unit;
  out.officer = d.officer;
  out.term = term;
  out.deadline = d.deadline;
  auto fired = nlohmann::json::array();
  for (const auto& f : d.fired) {
    fired.push_back({{"id", f.id},
                     {"description", f.description},
                     {"why", f.why},
                     {"effect", f.effect},
                     {"source", f.source}});
  }
  nlohmann::json j = {{"fired", fired},         {"summary", d.summary}, {"notify", d.notify},
                      {"kb_links", d.kb_links}, {"tags", d.tags},       {"warnings", d.warnings}};
  out.explanation_json = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out.notify = d.notify;
  out.kb_links = d.kb_links;
  return out;
}

Assessor::Assessor(storage::Store& store, const RulesHolder& rules, std::string mailbox,
                   int history_days)
    : store_(store), rules_(rules), mailbox_(std::move(mailbox)), history_days_(history_days) {}

void Assessor::operator()(std::vector<storage::Incoming>& batch) const {
  auto loaded = rules_.get();  // one rule set for the whole batch, even across a reload
  std::set<std::string> senders;
  storage::TimePoint earliest = storage::TimePoint::max();
  for (const auto& in : batch) {
    if (!in.parsed) continue;
    senders.insert(sender_of(*in.parsed));
    earliest = std::min(earliest, in.received_at);
  }
  if (senders.empty()) return;
  std::vector<std::string> list(senders.begin(), senders.end());
  auto profiles = store_.clients(list);
  auto histories = store_.histories(list, earliest - std::chrono::hours(24) * history_days_, 20);

  for (auto& in : batch) {
    if (!in.parsed) continue;
    std::string sender = sender_of(*in.parsed);
    auto p = profiles.find(sender);
    auto h = histories.find(sender);
    rules::Appeal appeal;
    appeal.message = &*in.parsed;
    appeal.sender = sender;
    appeal.mailbox = mailbox_;
    appeal.received_at = seconds(in.received_at);
    appeal.profile = to_profile(p != profiles.end() ? &p->second : nullptr);
    appeal.history = to_history(h != histories.end() ? &h->second : nullptr);
    // One letter's failure costs only its own decision (issue 12, item 1): it is registered
    // without one and an officer sees that; the others keep theirs.
    try {
      auto decision = rules::evaluate(loaded->set, appeal, loaded->calendar, loaded->settings);
      for (const auto& w : decision.warnings) spdlog::warn("UID {}: {}", in.uid, w);
      in.decision = to_case_decision(decision, decision.term);
    } catch (const std::exception& e) {
      spdlog::error("UID {}: urgency assessment failed ({}); registering it without a decision",
                    in.uid, e.what());
      in.decision.reset();
    }
    // Later messages of this sender in the same batch see this one as history.
    auto& mine = histories[sender];
    mine.earlier_messages.push_back(in.received_at);
    ++mine.open_cases;
  }
}

}  // namespace mailgate::daemon
