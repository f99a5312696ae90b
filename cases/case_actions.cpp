#include "cases/case_actions.hpp"

#include <string>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

#include "base/utf8.hpp"
#include "cases/action_plans.hpp"
#include "cases/case_words.hpp"
#include "cases/command_guard.hpp"
#include "mail/address_rule.hpp"

namespace mailgate::cases {
namespace {

const char* channel_word(const std::string& channel) {
  return channel == "primary"      ? "основной"
         : channel == "additional" ? "дополнительный"
         : channel == "body"       ? "орган"
                                   : "сотрудник";
}

nlohmann::json text_list(const std::vector<std::string>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& i : items) out.push_back({{"text", i}});
  return out;
}

std::string action_word(Action a) {
  switch (a) {
    case Action::answer:
      return "ответ";
    case Action::refuse:
      return "отказ";
    case Action::forward:
      return "переадресация";
    case Action::transfer:
      return "передача дела";
    case Action::clarify:
      return "уточнение";
    case Action::extend:
      return "продление срока";
    case Action::close:
      return "без ответа";
  }
  return "";
}

// The plan for a command that cannot be carried out: no change to the case, only the
// officer is told why.
ActionPlan refused_plan(const Outbound& outbound, const CaseState& state,
                        const ActionRequest& request, const ActionRefusal& refusal) {
  ActionPlan plan;
  plan.accepted = false;
  plan.problem = refusal.problem;
  plan.mail = {command_error_mail(outbound, state.facts, *request.officer, refusal.problem,
                                  refusal.findings)};
  return plan;
}

// The mail an action sends, as the officer's confirmation lists it (`recipients`) and as
// the case's event records it (`sent`).
struct SentMail {
  nlohmann::json recipients = nlohmann::json::array();
  nlohmann::json sent = nlohmann::json::array();
};

SentMail sent_mail(const ActionEffects& effects) {
  SentMail out;
  for (const auto* list : {&effects.client_mail, &effects.other_mail}) {
    for (const auto& m : *list) {
      out.recipients.push_back({{"address", m.recipient}, {"channel", channel_word(m.channel)}});
      out.sent.push_back(
          {{"to", m.recipient}, {"channel", m.channel}, {"message_id", m.message_id}});
    }
  }
  return out;
}

// The event's detail: who gave the command, how, with what, and what it sent.
std::string event_detail(const ActionRequest& request, const ActionEffects& effects,
                         const nlohmann::json& sent) {
  const OfficerCommand& cmd = request.command;
  nlohmann::json detail = {
      {"officer", request.officer->id}, {"via", request.via}, {"text", cmd.text}, {"sent", sent}};
  if (!cmd.argument.empty()) detail["argument"] = cmd.argument;
  if (cmd.days > 0) detail["days"] = cmd.days;
  if (!request.command_message_id.empty()) {
    detail["command_message_id"] = request.command_message_id;
  }
  if (!effects.warnings.empty()) detail["warnings"] = effects.warnings;
  return detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The officer's confirmation: what was done, who was written to, and the warnings.
storage::OutboxItem confirmation(const Outbound& outbound, const ActionRequest& request,
                                 const ActionEffects& effects, const nlohmann::json& recipients) {
  const Officer& officer = *request.officer;
  return outbound.to_staff("command_confirmation", effects.facts,
                           {"officer", officer.email, officer.name},
                           {{"officer", {{"name", officer.name}, {"email", officer.email}}},
                            {"action", action_word(request.command.action)},
                            {"outcome", effects.outcome},
                            {"recipients", recipients},
                            {"has_recipients", !recipients.empty()},
                            {"warnings", text_list(effects.warnings)},
                            {"has_warnings", !effects.warnings.empty()}});
}

// The plan for an accepted command: the action's update with its event, then the client
// mail, the other mail and last the officer's confirmation.
ActionPlan accepted_plan(const Outbound& outbound, const ActionRequest& request,
                         ActionEffects effects) {
  // A channel the one address rule refuses gets nothing (Outbound::to_client leaves it
  // out); the officer is told rather than left to wonder (issue 12, item 2).
  for (const auto& a : effects.facts.channels) {
    if (mail::address_problem(a)) {
      effects.warnings.push_back("Адрес клиента " + base::utf8::truncate_valid(a, 100) +
                                 " записан с ошибкой, на него письмо не отправлено.");
    }
  }
  SentMail mail = sent_mail(effects);
  ActionPlan plan;
  plan.accepted = true;
  plan.update = std::move(effects.update);
  plan.update.event_kind = std::string(action_id(request.command.action));
  plan.update.event_detail = event_detail(request, effects, mail.sent);
  plan.mail = std::move(effects.client_mail);
  plan.mail.insert(plan.mail.end(), effects.other_mail.begin(), effects.other_mail.end());
  plan.mail.push_back(confirmation(outbound, request, effects, mail.recipients));
  return plan;
}

}  // namespace

CaseFacts facts_of(const storage::CaseRef& c) {
  CaseFacts f;
  f.regno = c.regno;
  f.registered_at = c.registered_at;
  f.subject = c.subject;
  f.text = c.text;
  f.client_name = c.client_name;
  f.client_address = c.client_address;
  f.deadline = c.deadline;
  f.term = c.term;
  f.urgency = c.urgency;
  f.client_message_id = c.first_message_id;
  f.channels = c.channels;
  return f;
}

bool open_status(const std::string& status) {
  return status == "registered" || status == "waiting_client";
}

storage::OutboxItem command_error_mail(const Outbound& outbound, const CaseFacts& facts,
                                       const Officer& officer, const std::string& problem,
                                       const std::vector<std::string>& findings) {
  return outbound.to_staff("command_error", facts, {"officer", officer.email, officer.name},
                           {{"officer", {{"name", officer.name}, {"email", officer.email}}},
                            {"problem", problem},
                            {"findings", text_list(findings)},
                            {"has_findings", !findings.empty()}});
}

ActionPlan plan_action(const Settings& settings, const Outbound& outbound, const CaseState& state,
                       const ActionRequest& request) {
  // Issue 12 item 8: only those who run the case act on it, by mail and from the console.
  if (auto refusal = may_act(settings, state.ref, *request.officer)) {
    return refused_plan(outbound, state, request, {*refusal, {}});
  }
  if (!open_status(state.ref.status)) {
    return refused_plan(
        outbound, state, request,
        {"Дело " + state.facts.regno + " уже закрыто (" + status_word(state.ref.status) +
             "). Команда не выполнена, клиенту ничего не отправлено. Если клиент "
             "написал снова, дождитесь нового письма или обратитесь к "
             "руководителю.",
         {}});
  }
  ActionResult result = plan_effects({settings, outbound, state, request});
  if (const auto* refusal = std::get_if<ActionRefusal>(&result)) {
    return refused_plan(outbound, state, request, *refusal);
  }
  return accepted_plan(outbound, request, std::get<ActionEffects>(std::move(result)));
}

}  // namespace mailgate::cases
