#include "cases/plan_failure.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "base/utf8.hpp"
#include "mail/syntax.hpp"

namespace mailgate::cases {

std::vector<StaffRecipient> duty_recipients(const Settings& settings) {
  const std::string own = mail::lower_ascii(settings.office.address);
  std::vector<StaffRecipient> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& address) {
    std::string a = mail::lower_ascii(address);
    if (a.empty() || a == own || !seen.insert(a).second) return;
    out.push_back({"duty", address, ""});
  };
  add(settings.office.duty_address);
  if (out.empty()) {
    for (const Unit& u : settings.units) add(u.head_email);
  }
  return out;
}

LetterPlan failed_plan(const Settings& settings, const std::string& reason) {
  LetterPlan plan;
  plan.flags.push_back("plan_failed");
  // The reason comes from an exception that may quote the letter: valid UTF-8, cut short.
  nlohmann::json detail = {{"plan_failed", base::utf8::truncate_valid(reason, 300)}};
  plan.event_detail = detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  plan.alerts = duty_recipients(settings);
  return plan;
}

std::string plan_failure_reason(const std::string& event_detail) {
  auto j = nlohmann::json::parse(event_detail, nullptr, false);
  if (!j.is_object() || !j.contains("plan_failed") || !j["plan_failed"].is_string()) return "";
  return j["plan_failed"].get<std::string>();
}

std::map<std::uint32_t, LetterPlan> plan_each(std::vector<storage::Incoming>& batch,
                                              const Settings& settings, const PlanOne& plan_one) {
  std::map<std::uint32_t, LetterPlan> plans;
  for (auto& in : batch) {
    if (!in.parsed) continue;
    LetterPlan plan;
    try {
      plan = plan_one(in);
    } catch (const storage::StoreError&) {
      throw;  // the database, not the letter: the batch is retried
    } catch (const std::exception& e) {
      spdlog::error(
          "UID {}: cannot plan its correspondence ({}); registering it flagged "
          "plan_failed and telling the duty address",
          in.uid, base::utf8::truncate_valid(e.what(), 300));
      plan = failed_plan(settings, e.what());
    }
    mark(in, plan);
    plans[in.uid] = std::move(plan);
  }
  return plans;
}

}  // namespace mailgate::cases
