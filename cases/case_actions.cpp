#include "cases/case_actions.hpp"

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
  ActionPlan plan;
  const OfficerCommand& cmd = request.command;
  const Officer& officer = *request.officer;
  const CaseFacts& facts = state.facts;
  auto refuse = [&](const std::string& problem, const std::vector<std::string>& findings = {}) {
    plan.accepted = false;
    plan.problem = problem;
    plan.mail = {command_error_mail(outbound, facts, officer, problem, findings)};
    return plan;
  };
  if (!open_status(state.ref.status)) {
    return refuse("Дело " + facts.regno + " уже закрыто (" + state.ref.status +
                  "). Команда не выполнена. Если клиент написал снова, дождитесь нового письма "
                  "или обратитесь к руководителю.");
  }

  storage::CaseUpdate& u = plan.update;
  std::vector<std::string> warnings;
  std::vector<storage::OutboxItem> client_mail;
  std::vector<storage::OutboxItem> other_mail;
  std::string outcome;
  nlohmann::json text_ctx = {{"text", cmd.text}};
  CaseFacts f = facts;

  switch (cmd.action) {
    case Action::answer: {
      // Ordinary answers get the plain-language check as a warning, never held back.
      warnings = lint_findings(settings, cmd.text);
      client_mail = outbound.to_client("answer", f, text_ctx, request.attachments);
      u.status = "answered";
      u.outcome = "answered";
      u.close = true;
      outcome = "Дело закрыто: клиенту дан ответ.";
      break;
    }
    case Action::refuse: {
      // R11: the grounds must be readable without opening a legal act.
      if (templates::only_legal_citations(cmd.grounds,
                                          settings.plain_language.min_explanation_words)) {
        return refuse(
            "В отказе причина названа только ссылкой на закон. Объясните простыми словами, "
            "почему вопрос не может быть решён. Ссылку на закон можно оставить рядом с "
            "объяснением.");
      }
      auto findings = lint_findings(settings, cmd.text);
      if (!findings.empty()) {
        return refuse(
            "Текст отказа не прошёл проверку на понятность. Исправьте его и "
            "отправьте команду снова.",
            findings);
      }
      client_mail = outbound.to_client("refusal", f, text_ctx, request.attachments);
      u.status = "refused";
      u.outcome = "refused";
      u.close = true;
      outcome = "Дело закрыто: клиенту направлен отказ с объяснением причины.";
      break;
    }
    case Action::forward: {
      const Body* body = nullptr;
      for (const auto& b : settings.bodies) {
        if (b.id == cmd.argument) body = &b;
      }
      if (body == nullptr) {
        std::string known;
        for (const auto& b : settings.bodies) known += (known.empty() ? "" : ", ") + b.id;
        return refuse("Не знаю органа с кодом «" + cmd.argument + "». Известные коды: " +
                      (known.empty() ? "справочник органов пуст" : known) + ".");
      }
      nlohmann::json body_ctx = {{"name", body->name},
                                 {"address", body->address},
                                 {"phone", body->phone},
                                 {"email", body->email}};
      client_mail =
          outbound.to_client("forwarding_notice", f, {{"text", cmd.text}, {"body", body_ctx}});
      std::vector<mail::OutgoingAttachment> original;
      if (!state.first_message_raw.empty()) {
        original.push_back({"", "message/rfc822", state.first_message_raw});
      }
      other_mail.push_back(
          outbound.to_other("forwarding_cover", f, "body", body->email, body->name,
                            {{"text", cmd.text},
                             {"body", body_ctx},
                             {"officer", {{"name", officer.name}, {"email", officer.email}}}},
                            original));
      // 59-FZ art. 8 p. 3: forwarded within 7 days of registration.
      auto days = std::chrono::duration_cast<std::chrono::hours>(std::chrono::system_clock::now() -
                                                                 f.registered_at)
                      .count() /
                  24;
      if (days > settings.actions.forward_within_days) {
        warnings.push_back("Переадресация позже " +
                           templates::days(settings.actions.forward_within_days) +
                           " со дня регистрации (прошло " + templates::days(days) + ").");
      }
      u.status = "forwarded";
      u.outcome = "forwarded";
      u.close = true;
      u.forwarded_to = body->id;
      outcome = "Дело закрыто: письмо переслано в «" + body->name + "», клиент уведомлён.";
      break;
    }
    case Action::transfer: {
      const Officer* to = nullptr;
      for (const auto& o : settings.officers) {
        if (o.id == cmd.argument) to = &o;
      }
      if (to == nullptr) {
        std::string known;
        for (const auto& o : settings.officers) known += (known.empty() ? "" : ", ") + o.id;
        return refuse("Не знаю сотрудника с кодом «" + cmd.argument +
                      "». Известные коды: " + known + ".");
      }
      other_mail.push_back(
          outbound.to_staff("officer_alert", f, {"officer", to->email, to->name},
                            {{"officer", {{"name", to->name}, {"email", to->email}}}}));
      u.officer = to->id;
      outcome = "Дело передано сотруднику " + to->name + ".";
      break;
    }
    case Action::clarify: {
      client_mail = outbound.to_client("clarification_request", f, text_ctx, request.attachments);
      u.status = "waiting_client";
      outcome = "Клиенту задан вопрос. Его ответ придёт вам отдельным письмом.";
      break;
    }
    case Action::extend: {
      int used = state.extended_days ? 1 : 0;
      if (used >= settings.actions.max_extensions) {
        return refuse("Срок по этому делу уже продлевали. Продлить его можно только один раз.");
      }
      if (cmd.days > settings.actions.max_extension_days) {
        return refuse("Срок можно продлить не больше чем на " +
                      templates::days(settings.actions.max_extension_days) + ".");
      }
      if (!f.deadline) return refuse("У дела нет срока ответа, продлевать нечего.");
      auto new_deadline = *f.deadline + std::chrono::hours(24 * cmd.days);
      client_mail = outbound.to_client("extension_notice", f,
                                       {{"text", cmd.text},
                                        {"new_deadline_on", long_date_moscow(new_deadline)},
                                        {"extension_days", templates::days(cmd.days)}});
      u.deadline = new_deadline;
      u.extended_days = cmd.days;
      f.deadline = new_deadline;
      outcome = "Срок продлён на " + templates::days(cmd.days) + ", до " +
                long_date_moscow(new_deadline) + ". Клиент уведомлён.";
      break;
    }
    case Action::close: {
      const std::string& reason = cmd.argument;
      std::string notice = reason == "obscene"      ? "notice_obscene"
                           : reason == "unreadable" ? "notice_unreadable"
                           : reason == "repeat"     ? "notice_repeat"
                                                    : "";
      // 59-FZ art. 11 p. 1: an anonymous appeal gets no answer; nobody is told.
      if (!notice.empty()) client_mail = outbound.to_client(notice, f, text_ctx);
      u.status = "closed";
      u.outcome = "no_answer:" + reason;
      u.close = true;
      outcome = notice.empty() ? "Дело закрыто без ответа (анонимное обращение)."
                               : "Дело закрыто без ответа. Клиент уведомлён.";
      break;
    }
  }

  nlohmann::json recipients = nlohmann::json::array();
  nlohmann::json sent = nlohmann::json::array();
  for (const auto* list : {&client_mail, &other_mail}) {
    for (const auto& m : *list) {
      recipients.push_back({{"address", m.recipient}, {"channel", channel_word(m.channel)}});
      sent.push_back({{"to", m.recipient}, {"channel", m.channel}, {"message_id", m.message_id}});
    }
  }
  plan.accepted = true;
  u.event_kind = std::string(action_id(cmd.action));
  nlohmann::json detail = {
      {"officer", officer.id}, {"via", request.via}, {"text", cmd.text}, {"sent", sent}};
  if (!cmd.argument.empty()) detail["argument"] = cmd.argument;
  if (cmd.days > 0) detail["days"] = cmd.days;
  if (!request.command_message_id.empty())
    detail["command_message_id"] = request.command_message_id;
  if (!warnings.empty()) detail["warnings"] = warnings;
  u.event_detail = detail.dump();
  plan.mail = client_mail;
  plan.mail.insert(plan.mail.end(), other_mail.begin(), other_mail.end());
  plan.mail.push_back(
      outbound.to_staff("command_confirmation", f, {"officer", officer.email, officer.name},
                        {{"officer", {{"name", officer.name}, {"email", officer.email}}},
                         {"action", action_word(cmd.action)},
                         {"outcome", outcome},
                         {"recipients", recipients},
                         {"has_recipients", !recipients.empty()},
                         {"warnings", text_list(warnings)},
                         {"has_warnings", !warnings.empty()}}));
  return plan;
}

}  // namespace mailgate::cases
