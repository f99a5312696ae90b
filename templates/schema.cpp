#include "templates/schema.hpp"

namespace mailgate::templates {
namespace {

// Every template: the office, the case, the client and the client's channels. Built when
// first needed rather than at static initialisation, where a throwing allocation could not be
// caught (cert-err58-cpp).
const std::vector<std::string>& common_variables() {
  static const std::vector<std::string> common = {
      "office.name", "office.address",     "office.hours", "office.phone",   "office.email",
      "case.regno",  "case.registered_on", "case.subject", "case.summary",   "case.deadline_on",
      "case.term",   "case.urgency",       "client.name",  "client.address",
  };
  return common;
}
ListSchema channels_list() { return {"channels", {"address"}}; }

TemplateSchema make(std::string name, std::string description, std::vector<std::string> extra,
                    std::vector<ListSchema> extra_lists = {}) {
  TemplateSchema s;
  s.name = std::move(name);
  s.description = std::move(description);
  s.variables = common_variables();
  s.variables.insert(s.variables.end(), extra.begin(), extra.end());
  s.lists.push_back(channels_list());
  s.lists.insert(s.lists.end(), extra_lists.begin(), extra_lists.end());
  for (const ListSchema& l : s.lists) s.variables.push_back("has_" + l.name);
  return s;
}

std::vector<TemplateSchema> build() {
  const std::vector<std::string> alert = {"officer.name",      "officer.email", "unit.name",
                                          "head.name",         "excerpt",       "command_help",
                                          "suspected_spoofing"};
  const ListSchema explanation = {"explanation", {"why"}};
  return {
      make("acknowledgement", "клиенту: письмо зарегистрировано, срок ответа, что будет дальше", {},
           {{"kb_links", {"title", "url"}}, {"refused_channels", {"address"}}}),
      make("forwarding_notice",
           "клиенту: письмо переслано в другой орган, который решает такие вопросы",
           {"body.name", "body.address", "body.phone", "body.email", "text"}),
      make("answer", "клиенту: ответ сотрудника", {"text"}),
      make("refusal", "клиенту: отказ с объяснением причин", {"text"}),
      make("clarification_request", "клиенту: сотрудник просит уточнить вопрос", {"text"}),
      make("extension_notice", "клиенту: срок ответа продлён",
           {"text", "new_deadline_on", "extension_days"}),
      make("notice_anonymous",
           "автору без имени или адреса (не отправляется: писать некому; шаблон для полноты)",
           {"text"}),
      make("notice_obscene",
           "клиенту: в письме оскорбления или угрозы, на вопросы по существу не отвечаем",
           {"text"}),
      make("notice_unreadable", "клиенту: текст письма нельзя прочитать", {"text"}),
      make("officer_alert", "сотруднику: новое письмо, срочность и срок", alert, {explanation}),
      make("head_alert", "руководителю: новое письмо и кому оно поручено", alert, {explanation}),
      make("delivery_failure_alert", "сотруднику: письмо клиенту не доставлено",
           {"officer.name", "failed.address", "failed.reason", "failed.subject"}),
      make("follow_up_alert", "сотруднику: клиент снова написал по этому делу",
           {"officer.name", "excerpt"}),
      make("forwarding_cover",
           "другому органу: сопроводительное письмо к письму клиента, пересланному туда",
           {"body.name", "body.address", "body.email", "text", "officer.name", "officer.email"}),
      make("notice_repeat",
           "клиенту: переписка по вопросу, на который уже много раз ответили, закончена", {"text"}),
      make("channel_confirmation",
           "клиенту на основной адрес: подтвердить новый адрес для ответов кодом",
           {"address", "code", "days"}),
      make("channel_notice",
           "клиенту на каждый подтверждённый адрес: адрес добавлен, подтверждён, удалён или не "
           "добавлен",
           {"address", "added", "confirmed", "removed", "refused", "max_additional"}),
      make("command_confirmation", "сотруднику: команда выполнена, что стало с делом",
           {"officer.name", "action", "outcome"},
           {{"recipients", {"address", "channel"}}, {"warnings", {"text"}}}),
      make("plan_failure_alert",
           "дежурному: письмо зарегистрировано, но разобрать его не удалось, никому не ответили",
           {"failure.reason", "excerpt"}),
      make("command_error",
           "сотруднику: команда не понята или не разрешена, клиенту ничего не отправлено",
           {"officer.name", "problem", "command_help"}, {{"findings", {"text"}}}),
  };
}

}  // namespace

bool TemplateSchema::has_variable(std::string_view path) const {
  for (const auto& v : variables) {
    if (v == path) return true;
  }
  return false;
}

const ListSchema* TemplateSchema::list(std::string_view list_name) const {
  for (const auto& l : lists) {
    if (l.name == list_name) return &l;
  }
  return nullptr;
}

const std::vector<TemplateSchema>& template_schemas() {
  static const std::vector<TemplateSchema> all = build();
  return all;
}

const TemplateSchema* find_schema(std::string_view name) {
  for (const auto& s : template_schemas()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::vector<std::string> template_names() {
  std::vector<std::string> names;
  for (const auto& s : template_schemas()) names.push_back(s.name);
  return names;
}

}  // namespace mailgate::templates
