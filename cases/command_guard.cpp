#include "cases/command_guard.hpp"

#include <string_view>

#include "cases/followup.hpp"
#include "mail/alert_token.hpp"
#include "mail/digest.hpp"
#include "mail/sender_auth.hpp"
#include "mail/syntax.hpp"

namespace mailgate::cases {
namespace {

using mail::lower_ascii;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string squeezed(std::string_view text) {
  std::string out;
  bool gap = false;
  for (char c : text) {
    if (is_space(c)) {
      gap = !out.empty();
      continue;
    }
    if (gap) out += ' ';
    gap = false;
    out += c;
  }
  return out;
}

void apply(storage::CaseRef& c, const storage::CaseUpdate& u) {
  if (!u.status.empty()) c.status = u.status;
  if (u.deadline) c.deadline = u.deadline;
  if (u.extended_days) c.extended_days = u.extended_days;
  if (!u.officer.empty()) c.officer = u.officer;
}

}  // namespace

FactorVerdict second_factor(const mail::Message& m, const Officer& officer,
                            const storage::CaseRef& c, const Settings& settings) {
  const std::string& key = settings.officer_auth.token_key;
  const std::string& domain = settings.office.message_id_domain;
  for (const auto& id : referenced_ids(m)) {
    if (mail::staff_token_verifies(id, domain, key, c.regno, officer.email)) {
      return {true, "answers our mail to " + lower_ascii(officer.email) + " about " + c.regno};
    }
  }
  mail::SenderAuthVerdict dkim = mail::trusted_dkim_pass(m, officer.email, settings.officer_auth);
  if (dkim.vouched) return {true, dkim.reason};
  return {false, "no reference to our mail to " + lower_ascii(officer.email) + " about " + c.regno +
                     ", and no trusted DKIM pass (" + dkim.reason + ")"};
}

std::optional<std::string> may_act(const Settings& settings, const storage::CaseRef& c,
                                   const Officer& officer) {
  const Officer* owner = responsible_officer(settings, c.officer, c.unit);
  std::string unit_id = !c.unit.empty() ? c.unit : owner != nullptr ? owner->unit : "";
  const Unit* unit = find_unit(settings, unit_id);
  std::string email = lower_ascii(officer.email);
  if (owner != nullptr && owner->id == officer.id) return std::nullopt;
  if (unit != nullptr && !unit->head_email.empty() && lower_ascii(unit->head_email) == email) {
    return std::nullopt;
  }
  if (unit != nullptr && unit->anyone_in_unit && officer.unit == unit->id) return std::nullopt;
  std::string who =
      owner != nullptr ? "исполнитель дела (" + owner->name + ")" : "исполнитель дела";
  if (unit != nullptr && !unit->head_email.empty()) {
    who += " и руководитель отдела (" + unit->head_email + ")";
  }
  return "Команда не выполнена: вы не ведёте дело " + c.regno + ". Команды по этому делу " +
         "принимаются только от таких сотрудников: " + who +
         ". Если дело нужно передать вам, попросите исполнителя или руководителя отдела.";
}

std::string command_digest(const std::string& regno, const OfficerCommand& command) {
  // NUL separators: no part contains one, so the parts cannot run into each other.
  std::string data = regno;
  for (std::string_view part : {action_id(command.action), std::string_view(command.argument)}) {
    data += '\0';
    data += part;
  }
  data += '\0';
  data += std::to_string(command.days);
  data += '\0';
  data += squeezed(command.text);
  return mail::sha256_hex(data);
}

void note_command(BatchFacts& facts, std::int64_t case_id, const storage::CaseUpdate& update) {
  for (auto* cases : {&facts.cases_by_regno, &facts.cases_by_message_id}) {
    for (auto& [key, c] : *cases) {
      if (c.id == case_id) apply(c, update);
    }
  }
  if (!update.command_message_id.empty()) {
    facts.executed_commands.insert("id:" + update.command_message_id);
  }
  if (!update.command_digest.empty()) {
    facts.executed_commands.insert("sha:" + update.command_digest);
  }
}

bool already_executed(const BatchFacts& facts, const std::string& message_id,
                      const std::string& digest) {
  if (!message_id.empty() && facts.executed_commands.count("id:" + message_id) != 0) return true;
  if (facts.executed_commands.count("sha:" + digest) != 0) return true;
  return facts.command_executed && facts.command_executed(message_id, digest);
}

}  // namespace mailgate::cases
