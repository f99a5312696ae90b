#pragma once
/// One letter never spoils its batch (issue 12, item 1): each letter is planned on its own,
/// and a letter whose planning throws is still registered — flagged plan_failed, with the
/// reason in its case event — and the office's duty address is told; the other letters keep
/// their plans. Pure: the planning itself is passed in, so a failure can be injected in tests.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "cases/correspondence_plan.hpp"
#include "cases/settings.hpp"
#include "storage/store.hpp"

namespace mailgate::cases {

/// Where alerts about mail the daemon could not handle go: office.duty_address when set,
/// else every unit head (each once). Never the office's own address, whose mail comes back
/// into intake. The recipients' channel is "duty".
std::vector<StaffRecipient> duty_recipients(const Settings& settings);

/// The plan of a letter whose planning failed: a new case flagged plan_failed, the reason in
/// the event detail, no client mail, an alert (plan_failure_alert) to the duty recipients.
LetterPlan failed_plan(const Settings& settings, const std::string& reason);

/// The reason recorded in a failed plan's event detail ("" when it is not one).
std::string plan_failure_reason(const std::string& event_detail);

/// Plans one letter (LetterPlanner::plan with the batch's facts, in the daemon).
using PlanOne = std::function<LetterPlan(const storage::Incoming&)>;

/// Plans every parsed letter of `batch` in order, each on its own: a letter whose planning
/// throws gets failed_plan. Marks each letter (mark) and returns the plans by UID.
std::map<std::uint32_t, LetterPlan> plan_each(std::vector<storage::Incoming>& batch,
                                              const Settings& settings, const PlanOne& plan_one);

}  // namespace mailgate::cases
