#pragma once
/// What an officer's command does to a case (59-FZ arts. 8, 11, 12; R5-R8, R11, R14): the
/// case update, the mail to the client's channels, the covering letter to a competent body,
/// the alert to a colleague, and the officer's confirmation — or, when the command cannot
/// be carried out, only a reply to the officer saying why. Pure apart from composing mail:
/// the caller applies the plan in one transaction (by mail: with the registration of the
/// officer's message; from the console: Store::act).

#include <optional>
#include <string>
#include <vector>

#include "cases/officer_command.hpp"
#include "cases/outbound.hpp"
#include "mail/compose.hpp"
#include "storage/store.hpp"

namespace mailgate::cases {

struct ActionRequest {
  OfficerCommand command;
  const Officer* officer = nullptr;                   ///< who gives it
  std::string via;                                    ///< "mail" or "console"
  std::string command_message_id;                     ///< the officer's mail, when by mail
  std::vector<mail::OutgoingAttachment> attachments;  ///< go to the client with the text
};

/// The case as an action needs it.
struct CaseState {
  storage::CaseRef ref;
  CaseFacts facts;  ///< regno, dates, client, channels, deadline, term
  std::optional<int> extended_days;
  std::string first_message_raw;  ///< for forwarding
};

struct ActionPlan {
  bool accepted = false;
  storage::CaseUpdate update;             ///< when accepted
  std::vector<storage::OutboxItem> mail;  ///< client mail, letters, confirmation or error
  std::string problem;                    ///< when refused: why, in Russian
};

/// What mail about an existing case says about it.
CaseFacts facts_of(const storage::CaseRef& c);

/// Statuses in which a case is still open to commands.
bool open_status(const std::string& status);

ActionPlan plan_action(const Settings& settings, const Outbound& outbound, const CaseState& state,
                       const ActionRequest& request);

/// The officer's reply for a command that could not even be parsed, or came for a case that
/// does not accept it.
storage::OutboxItem command_error_mail(const Outbound& outbound, const CaseFacts& facts,
                                       const Officer& officer, const std::string& problem,
                                       const std::vector<std::string>& findings = {});

}  // namespace mailgate::cases
