#pragma once
/// What a batch of incoming mail means for the office's correspondence, decided just before
/// registration and carried out inside the registering transaction:
///  - a client's reply about an existing case (the case tag in the subject, or a reference
///    to one of our Message-IDs, from one of that case's channels) joins the case;
///    the same tag from anyone else opens a new case that notes the link (zammad#5064);
///  - loop safety: auto-replies, bounces, lists, no-reply senders and our own mail are
///    registered and flagged, never acknowledged; at most N acknowledgements per sender a
///    day; no automatic mail to an address that failed permanently;
///  - channels: the primary (Reply-To, else From) and additional ones (R3, R8);
///  - the mail: the acknowledgement to every channel, the officer's alert, the head's alert
///    when the rules ask for it, the officer's alert about a follow-up.

#include <map>
#include <string>
#include <vector>

#include "cases/case_actions.hpp"
#include "cases/followup.hpp"
#include "cases/outbound.hpp"
#include "mail/automatic.hpp"
#include "mail/sender_auth.hpp"
#include "storage/store.hpp"
#include "templates/template_set.hpp"

namespace mailgate::cases {

class Correspondence {
 public:
  Correspondence(storage::Store& store, const Settings& settings,
                 const templates::TemplateSet& templates);

  /// Marks follow-ups, loop-safety kinds, channels and flags on the parsed messages of the
  /// batch, and plans the mail each causes. Reads the database (a few queries per batch).
  void prepare(std::vector<storage::Incoming>& batch);
  /// The storage::Composer: the mail planned for this message, now that it has a number.
  /// Never throws: a mail that cannot be composed is logged and left out.
  std::vector<storage::OutboxItem> compose(const storage::Incoming& in,
                                           const storage::Registration& reg) const;

 private:
  struct Plan {
    bool acknowledge = false;
    std::vector<std::string> client_channels;  ///< where client mail goes, primary first
    std::vector<StaffRecipient> alerts;        ///< officer_alert / head_alert recipients
    std::optional<storage::CaseRef> joined;    ///< a follow-up of this case
    std::vector<storage::OutboxItem> ready;    ///< composed already (an officer's command)
    bool command = false;                      ///< an officer's command, not a follow-up
  };

  /// An officer's vouched-for mail about a case: parse and plan the command.
  void plan_command(storage::Incoming& in, const Officer& officer, const storage::CaseRef& c,
                    Plan& plan);

  CaseFacts facts(const storage::Incoming& in, const storage::Registration& reg,
                  const Plan& plan) const;

  storage::Store& store_;
  const Settings& settings_;  ///< outlives this object
  Outbound outbound_;
  CaseTagFinder tags_;
  mail::LoopSettings loop_;
  std::vector<std::string> request_phrases_;
  std::map<std::uint32_t, Plan> plans_;  // by UID, for the batch being registered
};

}  // namespace mailgate::cases
