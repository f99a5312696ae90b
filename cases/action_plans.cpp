#include "cases/action_plans.hpp"

#include <chrono>

#include <nlohmann/json.hpp>

#include "templates/cliches.hpp"
#include "templates/legal_citation.hpp"
#include "templates/plain_language.hpp"
#include "templates/russian_text.hpp"

namespace mailgate::cases {
namespace {

std::vector<std::string> lint_findings(const Settings& settings, const std::string& text) {
  // Parsed once: the list is compiled in and never changes while the process runs.
  static const std::vector<std::string> cliches =
      templates::parse_cliche_list(templates::shipped_cliche_list());
  auto report = templates::check_plain_language(text, settings.plain_language, cliches);
  std::vector<std::string> out;
  if (!report.readability_ok) {
    out.push_back("Текст трудно читать: удобочитаемость " +
                  templates::decimal(report.readability, 1) + ", нужно не меньше " +
                  templates::decimal(report.settings.min_readability, 1) +
                  ". Пишите короче и проще.");
  }
  for (const auto& f : report.findings) {
    out.push_back("Строка " + std::to_string(f.line) + ": " + f.message);
  }
  return out;
}

// Effects that start from the case as it is.
ActionEffects effects_of(const ActionInput& input) {
  ActionEffects e;
  e.facts = input.state.facts;
  return e;
}

nlohmann::json text_context(const ActionInput& input) {
  return {{"text", input.request.command.text}};
}

nlohmann::json body_context(const Body& body) {
  return {
      {"name", body.name}, {"address", body.address}, {"phone", body.phone}, {"email", body.email}};
}

const Body* find_body(const Settings& settings, const std::string& id) {
  const Body* body = nullptr;
  for (const auto& b : settings.bodies) {
    if (b.id == id) body = &b;
  }
  return body;
}

const Officer* find_officer(const Settings& settings, const std::string& id) {
  const Officer* officer = nullptr;
  for (const auto& o : settings.officers) {
    if (o.id == id) officer = &o;
  }
  return officer;
}

// 59-FZ art. 8 p. 3: forwarded within 7 days of registration; later is allowed but the
// officer is told.
void warn_if_late_forwarding(const Settings& settings, const CaseFacts& f,
                             std::vector<std::string>& warnings) {
  auto days = std::chrono::duration_cast<std::chrono::hours>(std::chrono::system_clock::now() -
                                                             f.registered_at)
                  .count() /
              24;
  if (days > settings.actions.forward_within_days) {
    warnings.push_back("Переадресация позже " +
                       templates::days(settings.actions.forward_within_days) +
                       " со дня регистрации (прошло " + templates::days(days) + ").");
  }
}

}  // namespace

ActionResult plan_effects(const ActionInput& input) {
  switch (input.request.command.action) {
    case Action::answer:
      return plan_answer(input);
    case Action::refuse:
      return plan_refusal(input);
    case Action::forward:
      return plan_forwarding(input);
    case Action::transfer:
      return plan_transfer(input);
    case Action::clarify:
      return plan_clarification(input);
    case Action::extend:
      return plan_extension(input);
    case Action::close:
      return plan_closing(input);
  }
  return plan_answer(input);
}

ActionResult plan_answer(const ActionInput& input) {
  const ActionRequest& request = input.request;
  ActionEffects e = effects_of(input);
  // Ordinary answers get the plain-language check as a warning, never held back.
  e.warnings = lint_findings(input.settings, request.command.text);
  e.client_mail =
      input.outbound.to_client("answer", e.facts, text_context(input), request.attachments);
  e.update.status = "answered";
  e.update.outcome = "answered";
  e.update.close = true;
  e.outcome = "Дело закрыто: клиенту дан ответ.";
  return e;
}

ActionResult plan_refusal(const ActionInput& input) {
  const ActionRequest& request = input.request;
  const OfficerCommand& cmd = request.command;
  // R11: the grounds must be readable without opening a legal act.
  if (templates::only_legal_citations(cmd.grounds,
                                      input.settings.plain_language.min_explanation_words)) {
    return ActionRefusal{
        "В отказе причина названа только ссылкой на закон. Объясните простыми словами, "
        "почему вопрос не может быть решён. Ссылку на закон можно оставить рядом с "
        "объяснением.",
        {}};
  }
  auto findings = lint_findings(input.settings, cmd.text);
  if (!findings.empty()) {
    return ActionRefusal{
        "Текст отказа не прошёл проверку на понятность. Исправьте его и "
        "отправьте команду снова.",
        findings};
  }
  ActionEffects e = effects_of(input);
  e.client_mail =
      input.outbound.to_client("refusal", e.facts, text_context(input), request.attachments);
  e.update.status = "refused";
  e.update.outcome = "refused";
  e.update.close = true;
  e.outcome = "Дело закрыто: клиенту направлен отказ с объяснением причины.";
  return e;
}

ActionResult plan_forwarding(const ActionInput& input) {
  const OfficerCommand& cmd = input.request.command;
  const Officer& officer = *input.request.officer;
  const Body* body = find_body(input.settings, cmd.argument);
  if (body == nullptr) {
    std::string known;
    for (const auto& b : input.settings.bodies) known += (known.empty() ? "" : ", ") + b.id;
    return ActionRefusal{"Не знаю органа с кодом «" + cmd.argument + "». Известные коды: " +
                             (known.empty() ? "справочник органов пуст" : known) + ".",
                         {}};
  }
  ActionEffects e = effects_of(input);
  nlohmann::json body_ctx = body_context(*body);
  e.client_mail = input.outbound.to_client("forwarding_notice", e.facts,
                                           {{"text", cmd.text}, {"body", body_ctx}});
  std::vector<mail::OutgoingAttachment> original;
  if (!input.state.first_message_raw.empty()) {
    original.push_back({"", "message/rfc822", input.state.first_message_raw});
  }
  e.other_mail.push_back(
      input.outbound.to_other("forwarding_cover", e.facts, "body", body->email, body->name,
                              {{"text", cmd.text},
                               {"body", body_ctx},
                               {"officer", {{"name", officer.name}, {"email", officer.email}}}},
                              original));
  warn_if_late_forwarding(input.settings, e.facts, e.warnings);
  e.update.status = "forwarded";
  e.update.outcome = "forwarded";
  e.update.close = true;
  e.update.forwarded_to = body->id;
  e.outcome = "Дело закрыто: письмо переслано в «" + body->name + "», клиент уведомлён.";
  return e;
}

ActionResult plan_transfer(const ActionInput& input) {
  const OfficerCommand& cmd = input.request.command;
  const Officer* to = find_officer(input.settings, cmd.argument);
  if (to == nullptr) {
    std::string known;
    for (const auto& o : input.settings.officers) known += (known.empty() ? "" : ", ") + o.id;
    return ActionRefusal{
        "Не знаю сотрудника с кодом «" + cmd.argument + "». Известные коды: " + known + ".", {}};
  }
  ActionEffects e = effects_of(input);
  e.other_mail.push_back(
      input.outbound.to_staff("officer_alert", e.facts, {"officer", to->email, to->name},
                              {{"officer", {{"name", to->name}, {"email", to->email}}}}));
  e.update.officer = to->id;
  e.outcome = "Дело передано сотруднику " + to->name + ".";
  return e;
}

ActionResult plan_clarification(const ActionInput& input) {
  ActionEffects e = effects_of(input);
  e.client_mail = input.outbound.to_client("clarification_request", e.facts, text_context(input),
                                           input.request.attachments);
  e.update.status = "waiting_client";
  e.outcome = "Клиенту задан вопрос. Его ответ придёт вам отдельным письмом.";
  return e;
}

ActionResult plan_extension(const ActionInput& input) {
  const OfficerCommand& cmd = input.request.command;
  const Settings& settings = input.settings;
  int used = input.state.extended_days ? 1 : 0;
  if (used >= settings.actions.max_extensions) {
    return ActionRefusal{"Срок по этому делу уже продлевали. Продлить его можно только один раз.",
                         {}};
  }
  if (cmd.days > settings.actions.max_extension_days) {
    return ActionRefusal{"Срок можно продлить не больше чем на " +
                             templates::days(settings.actions.max_extension_days) + ".",
                         {}};
  }
  ActionEffects e = effects_of(input);
  if (!e.facts.deadline) return ActionRefusal{"У дела нет срока ответа, продлевать нечего.", {}};
  auto new_deadline = *e.facts.deadline + std::chrono::hours(24 * cmd.days);
  e.client_mail = input.outbound.to_client("extension_notice", e.facts,
                                           {{"text", cmd.text},
                                            {"new_deadline_on", long_date_moscow(new_deadline)},
                                            {"extension_days", templates::days(cmd.days)}});
  e.update.deadline = new_deadline;
  e.update.extended_days = cmd.days;
  e.facts.deadline = new_deadline;
  e.outcome = "Срок продлён на " + templates::days(cmd.days) + ", до " +
              long_date_moscow(new_deadline) + ". Клиент уведомлён.";
  return e;
}

ActionResult plan_closing(const ActionInput& input) {
  const std::string& reason = input.request.command.argument;
  std::string notice = reason == "obscene"      ? "notice_obscene"
                       : reason == "unreadable" ? "notice_unreadable"
                       : reason == "repeat"     ? "notice_repeat"
                                                : "";
  ActionEffects e = effects_of(input);
  // 59-FZ art. 11 p. 1: an anonymous appeal gets no answer; nobody is told.
  if (!notice.empty()) {
    e.client_mail = input.outbound.to_client(notice, e.facts, text_context(input));
  }
  e.update.status = "closed";
  e.update.outcome = "no_answer:" + reason;
  e.update.close = true;
  e.outcome = notice.empty() ? "Дело закрыто без ответа (анонимное обращение)."
                             : "Дело закрыто без ответа. Клиент уведомлён.";
  return e;
}

}  // namespace mailgate::cases
