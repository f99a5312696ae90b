#pragma once
/// The checks an officer's command by mail passes before it is carried out (issue 12, items
/// 5-8; docs/SECURITY.md), kept apart from the planner so each is unit-tested alone. Pure.
///  - second_factor: the mail answers a staff mail sent to THIS officer about THIS case (the
///    token in its Message-ID, mail/alert_token.hpp), or carries a trusted DKIM pass;
///  - may_act: only the case's officer (after a hand-over: the new one), the head of its unit,
///    or, where the unit allows it (anyone_in_unit), any officer of the unit;
///  - command_digest: what makes two commands "the same" for the replay check;
///  - note_command: the batch's facts see what an earlier letter of the batch did to a case.

#include <cstdint>
#include <optional>
#include <string>

#include "cases/correspondence_plan.hpp"
#include "cases/officer_command.hpp"
#include "cases/settings.hpp"
#include "mail/message.hpp"
#include "storage/store.hpp"

namespace mailgate::cases {

struct FactorVerdict {
  bool ok = false;
  std::string reason;  ///< short English for the log and the case event
};

/// The second factor of `officer`'s command `m` about case `c` (the first is
/// mail::vouch_for_sender): a reference (In-Reply-To / References) to one of our staff mails
/// whose token verifies for this officer's address and this case's number, else a trusted
/// DKIM pass for the officer's domain (mail::trusted_dkim_pass).
FactorVerdict second_factor(const mail::Message& m, const Officer& officer,
                            const storage::CaseRef& c, const Settings& settings);

/// Why `officer` may not act on case `c`, in plain Russian for them; nothing when they may.
/// Allowed: the case's officer (the rules' choice or whoever it was handed to; no officer
/// recorded: the responsible one, cases::responsible_officer), an officer whose address is the
/// head_email of the case's unit, and, when that unit has anyone_in_unit, every officer of it.
std::optional<std::string> may_act(const Settings& settings, const storage::CaseRef& c,
                                   const Officer& officer);

/// sha256 (hex) of the case number, the action, its argument and days, and the command's text
/// with white space runs reduced to one space: the same command on the same case, however it
/// was re-sent (a new Message-ID, other quoting or signature), has the same digest.
std::string command_digest(const std::string& regno, const OfficerCommand& command);

/// What a command planned earlier in the batch did to case `case_id`, copied onto every view of
/// that case in `facts`, so the next letter of the batch is planned against the case as it will
/// be; the command's Message-ID and digest are noted as carried out.
void note_command(BatchFacts& facts, std::int64_t case_id, const storage::CaseUpdate& update);

/// True when a command with this Message-ID or digest was carried out already: earlier in the
/// batch (facts.executed_commands) or before (facts.command_executed, from storage).
bool already_executed(const BatchFacts& facts, const std::string& message_id,
                      const std::string& digest);

}  // namespace mailgate::cases
