#pragma once
/// What each letter of an incoming batch means, decided without storage: the planner gets
/// what the batch refers to (BatchFacts, read by cases::Correspondence in one place) and
/// returns a LetterPlan per letter — the marks registration records with it and the mail it
/// causes. Kept apart from storage so every decision can be unit-tested without a server.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cases/channel_requests.hpp"
#include "cases/followup.hpp"
#include "cases/outbound.hpp"
#include "cases/settings.hpp"
#include "mail/automatic.hpp"
#include "storage/store.hpp"

namespace mailgate::cases {

/// What to look up for a batch: each once, in the order first seen.
struct BatchKeys {
  std::vector<std::string> regnos;   ///< case tags in subjects
  std::vector<std::string> our_ids;  ///< our Message-IDs the letters refer to
  std::vector<std::string> senders;  ///< primary addresses, lower case
};

/// What the batch refers to, as storage had it just before registration.
struct BatchFacts {
  std::map<std::string, storage::CaseRef> cases_by_regno;
  std::map<std::string, storage::CaseRef> cases_by_message_id;  ///< by our Message-ID
  std::map<std::string, storage::ClientRow> directory;          ///< by sender address
  /// Acknowledgements to each sender in the last 24 hours. The planner counts the ones it
  /// plans here too, so the daily cap also holds within one batch.
  std::map<std::string, int> acknowledgements;
  std::set<std::string> suppressed;  ///< addresses no automatic mail goes to
  /// Channel requests of the cases referred to that wait for the client's confirmation.
  std::map<std::int64_t, std::vector<storage::PendingChannel>> pending;
  /// Automatic mail of the last hour (cases/channel_confirmation.hpp): the planner counts
  /// the mail it plans here too, so the hourly caps also hold within one batch.
  storage::AutoMailCount auto_mail;
  /// Letters each sender (From, lower case) caused staff alerts for in the last hour; the
  /// planner counts the ones it plans too, so the hourly cap holds within one batch.
  std::map<std::string, int> alerts;
  /// The raw message that opened a case, for forwarding it whole. A function because only a
  /// forward command needs it, and that is rare.
  std::function<std::string(std::int64_t case_id)> first_message_raw;
  /// Officers' commands carried out before this batch, by Message-ID or digest (replays).
  std::function<bool(const std::string& message_id, const std::string& digest)> command_executed;
  /// ... and in this batch so far: "id:<Message-ID>", "sha:<digest>" (cases/command_guard).
  std::set<std::string> executed_commands;
};

/// A mail about a case's channels (cases/channel_confirmation.hpp): a confirmation request
/// to the primary channel, or a notice of a change to each confirmed channel.
struct ChannelLetter;

struct ChannelMail {
  std::string kind;     ///< channel_confirmation or channel_notice
  std::string to;       ///< a confirmed channel of the case
  std::string change;   ///< requested, added, confirmed, removed, refused
  std::string address;  ///< the channel changed (named masked in the mail)
  std::string code;     ///< a confirmation's one-time code
};

/// What one letter means.
struct LetterPlan {
  // What registration records with the letter (copied onto storage::Incoming).
  std::string automatic;                      ///< loop-safety kind; "" for an ordinary letter
  std::vector<std::string> flags;             ///< added to the new or joined case
  std::vector<storage::ChannelRow> channels;  ///< a new case: primary first
  std::vector<std::string> removed_channels;  ///< a follow-up: additional channels removed
  std::optional<std::string> event_detail;    ///< a JSON object for the case event
  std::optional<std::int64_t> join_case;      ///< a follow-up or command: its case
  std::optional<storage::CaseUpdate> update;  ///< what a follow-up or command does to it
  std::vector<storage::PendingChannel> pending_channels;  ///< channel requests to confirm
  std::vector<std::string> confirmed_channels;            ///< requests confirmed by this letter
  std::vector<std::string> cancelled_channels;            ///< requests withdrawn by this letter

  // The mail it causes, composed once the letter has its number.
  bool acknowledge = false;
  std::vector<std::string> client_channels;   ///< where client mail goes, primary first
  std::vector<StaffRecipient> alerts;         ///< officer_alert / head_alert recipients
  std::vector<std::string> refused_channels;  ///< requested addresses refused, told the client
  std::optional<storage::CaseRef> joined;     ///< a follow-up of this case
  std::vector<storage::OutboxItem> ready;     ///< composed already (an officer's command)
  bool command = false;                       ///< an officer's command, not a follow-up
  /// An accepted command's mail instead of `ready` when registration finds the case changed
  /// meanwhile or the command carried out already (storage::Registration::command_refused).
  std::vector<storage::OutboxItem> if_refused;
  std::vector<ChannelMail> channel_mail;  ///< confirmations and change notices
};

/// Copies the marks of `plan` onto the letter registration will record.
void mark(storage::Incoming& in, const LetterPlan& plan);

class LetterPlanner {
 public:
  /// `outbound` composes an officer command's replies, which are decided with the command.
  LetterPlanner(const Settings& settings, const Outbound& outbound);

  /// What `batch` refers to, to be looked up before planning.
  BatchKeys keys(const std::vector<storage::Incoming>& batch) const;
  /// The plan for one parsed letter. Letters of a batch are planned in order with the same
  /// `facts`, which count the acknowledgements planned so far. Mail from an officer about a
  /// case is a command when it is vouched for (else flagged suspected_spoofing); mail about
  /// a case from its own channels joins it; everything else opens a case, noting a case it
  /// names but does not belong to (linked:<regno>).
  LetterPlan plan(const storage::Incoming& in, BatchFacts& facts) const;

 private:
  /// What a letter says about itself.
  struct Letter {
    const storage::Incoming* in = nullptr;
    mail::Automatic automatic = mail::Automatic::none;
    std::string from;            ///< lower case
    std::string primary;         ///< where answers go: the From (confirmed by writing); lower case
    ChannelRequests requests;    ///< a Reply-To other than From is one more request
    bool authenticated = false;  ///< a trusted pass for the From's own domain
    bool suppress_ack = false;   ///< X-Auto-Response-Suppress: no acknowledgement, alerts go
  };

  Letter read(const storage::Incoming& in) const;
  std::optional<storage::CaseRef> referred_case(const mail::Message& m,
                                                const BatchFacts& facts) const;
  const Officer* officer_at(const std::string& address) const;
  /// An officer's vouched-for mail about a case: parse and plan the command.
  void plan_command(const Letter& letter, const Officer& officer, const storage::CaseRef& c,
                    const BatchFacts& facts, LetterPlan& plan) const;
  /// A letter from one of the case's own channels: it joins the case.
  void plan_follow_up(const Letter& letter, const storage::CaseRef& c, BatchFacts& facts,
                      LetterPlan& plan) const;
  /// A letter that opens a case.
  void plan_new_case(const Letter& letter, BatchFacts& facts, LetterPlan& plan) const;
  void add_channels(const Letter& letter, const BatchFacts& facts, LetterPlan& plan) const;
  static ChannelLetter channel_letter(const Letter& letter);
  void decide_acknowledgement(const Letter& letter, BatchFacts& facts, LetterPlan& plan) const;
  void add_staff_alerts(const Letter& letter, LetterPlan& plan) const;
  /// Under the per-sender hourly cap of staff alerts? Counts this letter when it is.
  bool alert_allowed(const Letter& letter, BatchFacts& facts, LetterPlan& plan) const;

  const Settings& settings_;  ///< outlives this object
  const Outbound& outbound_;  ///< outlives this object
  CaseTagFinder tags_;
  mail::LoopSettings loop_;
  std::vector<std::string> request_phrases_;
};

}  // namespace mailgate::cases
