#include "cases/correspondence.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <functional>

#include <nlohmann/json.hpp>

#include "base/utf8.hpp"
#include "cases/channel_confirmation.hpp"
#include "cases/plan_failure.hpp"
#include "mail/message_id.hpp"
#include "mail/syntax.hpp"

namespace mailgate::cases {
namespace {

using mail::lower_ascii;

std::vector<std::string> reasons_of(const std::string& explanation_json) {
  std::vector<std::string> out;
  auto j = nlohmann::json::parse(explanation_json, nullptr, false);
  if (!j.is_object() || !j.contains("fired") || !j["fired"].is_array()) return out;
  for (const auto& f : j["fired"]) {
    std::string why = f.value("why", "");
    std::string effect = f.value("effect", "");
    if (why.empty() && effect.empty()) continue;
    if (!why.empty() && !effect.empty()) why += " — ";
    out.push_back(why + effect);
  }
  return out;
}

}  // namespace

Correspondence::Correspondence(storage::Store& store, const Settings& settings,
                               const templates::TemplateSet& templates)
    : store_(store),
      settings_(settings),
      outbound_(settings, templates),
      planner_(settings, outbound_) {}

// The only place the planning reads storage.
BatchFacts Correspondence::look_up(const std::vector<storage::Incoming>& batch) {
  BatchKeys keys = planner_.keys(batch);
  BatchFacts facts;
  facts.cases_by_regno = store_.cases_by_regno(keys.regnos);
  facts.cases_by_message_id = store_.cases_by_our_message_id(keys.our_ids);
  facts.directory = store_.clients(keys.senders);
  facts.acknowledgements = store_.acknowledgements_since(
      keys.senders, std::chrono::system_clock::now() - std::chrono::hours(24));
  // Directory channels may be suppressed too, not only the senders.
  std::vector<std::string> all = keys.senders;
  for (const auto& [email, row] : facts.directory) {
    for (const auto& a : row.additional_channels) {
      if (std::find(all.begin(), all.end(), a) == all.end()) all.push_back(a);
    }
  }
  facts.suppressed = store_.suppressed(all);
  std::vector<std::int64_t> case_ids;
  for (const auto* found : {&facts.cases_by_regno, &facts.cases_by_message_id}) {
    for (const auto& [key, c] : *found) case_ids.push_back(c.id);
  }
  facts.pending = store_.pending_channels(
      case_ids, std::chrono::hours(24) * settings_.channel_limits.confirm_days);
  facts.auto_mail = store_.auto_mail_since(
      automatic_mail_kinds(), std::chrono::system_clock::now() - std::chrono::hours(1));
  // Staff alerts are capped per sender (From) and hour, apart from acknowledgements.
  std::vector<std::string> froms;
  for (const auto& in : batch) {
    if (!in.parsed || !in.parsed->from) continue;
    std::string a = lower_ascii(in.parsed->from->address);
    if (!a.empty() && std::find(froms.begin(), froms.end(), a) == froms.end()) froms.push_back(a);
  }
  facts.alerts =
      store_.alerted_cases_since(froms, std::chrono::system_clock::now() - std::chrono::hours(1));
  facts.first_message_raw = [&store = store_](std::int64_t case_id) {
    return store.first_message_raw(case_id);
  };
  facts.command_executed = [&store = store_](const std::string& id, const std::string& digest) {
    return store.command_executed(id, digest);
  };
  return facts;
}

void Correspondence::prepare(std::vector<storage::Incoming>& batch) {
  plans_.clear();
  BatchFacts facts = look_up(batch);
  // Each letter is planned on its own: one whose planning throws is registered flagged
  // plan_failed and the duty address is told; the others keep their plans (issue 12, item 1).
  plans_ = plan_each(batch, settings_, [&](const storage::Incoming& in) {
    if (plan_check_) plan_check_(in);
    return planner_.plan(in, facts);
  });
}

CaseFacts Correspondence::facts(const storage::Incoming& in, const storage::Registration& reg,
                                const LetterPlan& plan) const {
  CaseFacts f;
  f.regno = reg.regno;
  f.registered_at = reg.registered_at;
  const mail::Message& m = *in.parsed;
  f.subject = m.subject;
  f.text = m.text;
  if (m.from) {
    f.client_name = m.from->name;
    f.client_address = lower_ascii(m.from->address);
  }
  f.client_message_id = mail::is_valid_msg_id(m.message_id) ? m.message_id : "";
  f.client_references = m.references;
  f.channels = plan.client_channels;
  if (in.decision) {
    f.deadline = in.decision->deadline;
    f.term = in.decision->term;
    f.urgency = in.decision->urgency;
    f.reasons = reasons_of(in.decision->explanation_json);
    f.kb_links = in.decision->kb_links;
  }
  return f;
}

void Correspondence::compose_channel_mail(const CaseFacts& f, const LetterPlan& plan,
                                          std::vector<storage::OutboxItem>& out) const {
  const std::vector<std::string>& confirmed =
      plan.joined ? plan.joined->channels : plan.client_channels;
  for (const auto& m : plan.channel_mail) {
    CaseFacts own = f;
    own.channels = {m.to};  // a mail names no channel but its own recipient
    nlohmann::json extra = {{"address", mask_address(m.address)},
                            {"code", m.code},
                            {"days", settings_.channel_limits.confirm_days},
                            {"max_additional", settings_.channel_limits.max_additional},
                            {"added", m.change == "added"},
                            {"confirmed", m.change == "confirmed"},
                            {"removed", m.change == "removed"},
                            {"refused", m.change == "refused"}};
    bool primary = !confirmed.empty() && confirmed.front() == m.to;
    // Each on its own, as every other mail of a plan (issue 12, item 2).
    try {
      out.push_back(outbound_.to_other(m.kind, own, primary ? "primary" : "additional", m.to,
                                       m.to == f.client_address ? f.client_name : "", extra, {}));
    } catch (const std::exception& e) {
      spdlog::error("{}: cannot compose its {} to {} ({}); the other mail still goes", f.regno,
                    m.kind, base::utf8::truncate_valid(m.to, 100),
                    base::utf8::truncate_valid(e.what(), 300));
    }
  }
}

std::vector<storage::OutboxItem> Correspondence::compose(const storage::Incoming& in,
                                                         const storage::Registration& reg) const {
  std::vector<storage::OutboxItem> out;
  auto it = plans_.find(in.uid);
  if (it == plans_.end() || !in.parsed) return out;
  const LetterPlan& plan = it->second;
  if (plan.command) return reg.command_refused ? plan.if_refused : plan.ready;
  // Each mail is composed on its own: one that cannot be (a recipient compose refuses)
  // costs only itself, never the case's other mail (issue 12, item 2).
  auto each = [&](const char* what, const std::function<void()>& add) {
    try {
      add();
    } catch (const std::exception& e) {
      spdlog::error("{}: cannot compose its {} ({}); the case's other mail still goes", reg.regno,
                    what, base::utf8::truncate_valid(e.what(), 300));
    }
  };
  CaseFacts f;
  try {
    f = facts(in, reg, plan);
  } catch (const std::exception& e) {
    spdlog::error(
        "{}: cannot gather the facts for its mail ({}); it is registered, nothing is sent",
        reg.regno, base::utf8::truncate_valid(e.what(), 300));
    return out;
  }
  if (plan.joined) {
    f.subject = plan.joined->subject;
    for (const auto& a : plan.alerts) {
      each("follow-up alert", [&] {
        out.push_back(outbound_.to_staff("follow_up_alert", f, a,
                                         {{"officer", {{"name", a.name}, {"email", a.address}}}}));
      });
    }
    compose_channel_mail(f, plan, out);
    return out;
  }
  if (plan.acknowledge) {
    each("acknowledgement", [&] {
      nlohmann::json kb = nlohmann::json::array();
      for (const auto& link : f.kb_links) kb.push_back({{"title", "Справка"}, {"url", link}});
      nlohmann::json refused = nlohmann::json::array();
      for (const auto& a : plan.refused_channels) refused.push_back({{"address", a}});
      auto acks = outbound_.to_client("acknowledgement", f,
                                      {{"kb_links", kb},
                                       {"has_kb_links", !kb.empty()},
                                       {"refused_channels", refused},
                                       {"has_refused_channels", !refused.empty()}});
      out.insert(out.end(), acks.begin(), acks.end());
    });
  }
  compose_channel_mail(f, plan, out);
  compose_alerts(in, plan, f, out);
  return out;
}

void Correspondence::compose_alerts(const storage::Incoming& in, const LetterPlan& plan,
                                    const CaseFacts& f,
                                    std::vector<storage::OutboxItem>& out) const {
  std::string officer_name;
  for (const auto& a : plan.alerts) {
    if (a.channel == "officer" && officer_name.empty()) officer_name = a.name;
  }
  // Item 10: the alert about a suspected forged officer letter says so in its first line.
  bool spoofing =
      std::find(in.flags.begin(), in.flags.end(), "suspected_spoofing") != in.flags.end();
  for (const auto& a : plan.alerts) {
    try {
      if (a.channel == "duty") {
        out.push_back(
            outbound_.to_staff("plan_failure_alert", f, a,
                               {{"failure", {{"reason", plan_failure_reason(in.event_detail)}}}}));
        continue;
      }
      std::string kind = a.channel == "head" ? "head_alert" : "officer_alert";
      out.push_back(outbound_.to_staff(
          kind, f, a,
          {{"officer",
            {{"name", a.channel == "head" ? officer_name : a.name}, {"email", a.address}}},
           {"head", {{"name", a.channel == "head" ? a.name : ""}}},
           {"suspected_spoofing", spoofing}}));
    } catch (const std::exception& e) {
      spdlog::error("{}: cannot compose the alert to {} ({}); the other mail still goes", f.regno,
                    base::utf8::truncate_valid(a.address, 100),
                    base::utf8::truncate_valid(e.what(), 300));
    }
  }
}

}  // namespace mailgate::cases
