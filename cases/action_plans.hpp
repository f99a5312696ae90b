#pragma once
/// One planner per officer action, for plan_action (case_actions.hpp): what the action
/// changes in the case and which mail it sends, or why it cannot be carried out. The part
/// every action shares — the closed-case check, the event and the officer's confirmation —
/// stays in plan_action, so a planner holds only what its action means.

#include <string>
#include <variant>
#include <vector>

#include "cases/case_actions.hpp"
#include "cases/outbound.hpp"
#include "cases/settings.hpp"
#include "storage/store.hpp"

namespace mailgate::cases {

/// What plan_action hands every planner.
struct ActionInput {
  const Settings& settings;
  const Outbound& outbound;
  const CaseState& state;
  const ActionRequest& request;
};

/// What an accepted action does; plan_action adds the event and the confirmation.
struct ActionEffects {
  storage::CaseUpdate update;                    ///< without the event
  std::vector<storage::OutboxItem> client_mail;  ///< to the client's channels
  std::vector<storage::OutboxItem> other_mail;   ///< to a competent body or a colleague
  std::vector<std::string> warnings;             ///< for the officer; they do not stop the action
  std::string outcome;                           ///< the confirmation's sentence on what happened
  CaseFacts facts;  ///< the case as the confirmation states it (extend: the new deadline)
};

/// Why the action cannot be carried out, in Russian for the officer, with the findings of
/// the plain-language check when that was the reason.
struct ActionRefusal {
  std::string problem;
  std::vector<std::string> findings;
};

using ActionResult = std::variant<ActionEffects, ActionRefusal>;

/// The planner of `input.request.command.action`, for a case open to commands.
ActionResult plan_effects(const ActionInput& input);

ActionResult plan_answer(const ActionInput& input);
ActionResult plan_refusal(const ActionInput& input);
ActionResult plan_forwarding(const ActionInput& input);
ActionResult plan_transfer(const ActionInput& input);
ActionResult plan_clarification(const ActionInput& input);
ActionResult plan_extension(const ActionInput& input);
ActionResult plan_closing(const ActionInput& input);

}  // namespace mailgate::cases
