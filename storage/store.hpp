#pragma once
/// The intake side of the database: mailbox state, parse attempts, registration, listing.
/// Every write that matters happens in one transaction and is safe to repeat, because a
/// commit can end "in doubt" (pqxx::in_doubt_error) and the process can die at any line.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "mail/message.hpp"

namespace mailgate::storage {

using TimePoint = std::chrono::system_clock::time_point;

/// A database failure, classified the way the daemon reacts to it.
class StoreError : public std::runtime_error {
 public:
  /// transient: the server is unreachable or the commit is in doubt — retry the same work
  /// later. Otherwise the server refused this data — retry it in smaller pieces.
  StoreError(bool transient, const std::string& what)
      : std::runtime_error(what), transient_(transient) {}
  bool transient() const noexcept { return transient_; }

 private:
  bool transient_;
};

struct MailboxState {
  std::uint32_t uidvalidity = 0;
  std::uint32_t last_uid = 0;
  std::uint32_t rematch_below_uid = 0;
};

/// What the urgency rules decided for a new case, as the journal stores it.
struct CaseDecision {
  std::string urgency;  ///< "urgent" or "normal"
  int score = 0;
  std::string topic;
  std::string unit;
  std::string officer;
  std::string term;  ///< "30 days", "2 working days", ...
  std::optional<TimePoint> deadline;
  std::string explanation_json = "[]";  ///< [{id, why, effect, source}]
  std::vector<std::string> notify;      ///< "officer", "unit_head", officer ids
  std::vector<std::string> kb_links;    ///< knowledge-base links for the acknowledgement
};

/// What an officer's action does to a case (see daemon/case_actions.cpp). Empty fields
/// change nothing.
struct CaseUpdate {
  std::string status;   ///< answered, refused, forwarded, waiting_client, closed, registered
  std::string outcome;  ///< answered, refused, forwarded, no_answer:<reason>
  bool close = false;   ///< sets closed_at
  std::optional<TimePoint> deadline;
  std::optional<int> extended_days;  ///< the extension: keeps the old deadline too
  std::string officer;               ///< hand-over: the new officer's id
  std::string forwarded_to;          ///< the competent body's id; sets forwarded_at
  std::string event_kind;            ///< the case event: answered, refused, ...
  std::string event_detail = "{}";   ///< who, through which channel, Message-IDs, text
  /// An officer's command by mail: applied in the registering transaction only while the case
  /// (locked FOR UPDATE) is still in this status, and recorded in executed_commands by these
  /// keys (a second command with the same Message-ID or digest is not carried out). Empty
  /// expected_status: applied as it is (a client's follow-up).
  std::string expected_status;
  std::string command_message_id;
  std::string command_digest;
};

/// A channel of a case: where the client wants to be answered.
struct ChannelRow {
  std::string address;  ///< lower case
  std::string kind;     ///< "primary" or "additional"
  std::string source;   ///< "message", "reply", "request", "directory"
};

/// A channel a client asked for that waits for the client's confirmation from a channel
/// the case already has (issue 12, item 3).
struct PendingChannel {
  std::string address;  ///< lower case
  std::string code;     ///< the one-time code the confirmation mail carries
};

/// Automatic mail queued recently, for the hourly caps (issue 12, item 4).
struct AutoMailCount {
  std::map<std::string, int> by_recipient;  ///< lower-case recipient
  int total = 0;
};

/// One outgoing mail, composed in full, queued in the transaction of its cause.
struct OutboxItem {
  std::string kind;     ///< the template: acknowledgement, officer_alert, ...
  std::string channel;  ///< primary, additional, officer, head
  std::string recipient;
  std::string envelope_from;  ///< "" is the null sender
  std::string message_id;     ///< with angle brackets; unique
  std::string raw;            ///< the RFC 5322 bytes
};

/// One entry of the client directory.
struct ClientRow {
  std::string email;  ///< lower case
  std::string full_name;
  std::string position;
  std::string position_category;
  std::string organisation;
  std::string unit;
  std::vector<std::string> additional_channels;  ///< lower case
};

/// An earlier case of a sender, for the repeat check.
struct PastCaseRow {
  std::string regno;
  TimePoint received_at;
  std::string text;  ///< subject and body, cut to a few thousand characters
};

/// What the journal knows about a sender's earlier appeals.
struct SenderHistory {
  std::vector<TimePoint> earlier_messages;  ///< within the look-back window
  int open_cases = 0;
  std::vector<PastCaseRow> past_cases;  ///< newest first
};

/// One fetched message on its way into the journal.
struct Incoming {
  std::uint32_t uid = 0;
  std::string raw;
  std::string sha256;  ///< hex of raw
  TimePoint received_at;
  std::optional<mail::Message> parsed;   ///< empty: registered raw, status "unparsed"
  std::string parse_error;               ///< why it is unparsed
  std::optional<CaseDecision> decision;  ///< empty for unparsed messages
  /// A follow-up: the message joins this case and takes no number of its own.
  std::optional<std::int64_t> join_case;
  std::string automatic;             ///< loop-safety kind (auto_reply, bounce, ...); "" ordinary
  std::vector<std::string> flags;    ///< added to the (new or joined) case
  std::vector<ChannelRow> channels;  ///< channels to add (a new case: primary first)
  std::vector<std::string> removed_channels;  ///< additional channels the client removed
  std::string event_detail = "{}";            ///< extra facts for the case event, a JSON object
  /// An officer's command carried by this (follow-up) message, applied with it.
  std::optional<CaseUpdate> update;
  std::vector<PendingChannel> pending_channels;  ///< channel requests waiting for confirmation
  std::vector<std::string> confirmed_channels;   ///< requests confirmed now (also in channels)
  std::vector<std::string> cancelled_channels;   ///< requests withdrawn
};

struct Registration {
  std::uint32_t uid = 0;
  std::string regno;  ///< empty when the message was already registered; a follow-up: its case
  bool unparsed = false;
  std::int64_t case_id = 0;  ///< 0 when the message was already registered
  bool follow_up = false;
  TimePoint registered_at;
  /// The officer's command this message carried was not applied: the case changed meanwhile,
  /// or the command was carried out before (CaseUpdate::expected_status).
  bool command_refused = false;
};

/// Composes the mail a registration causes (acknowledgement, alerts). Called inside the
/// registering transaction, once the case has its number, so the mail is queued exactly
/// when the registration commits. Must not throw.
using Composer = std::function<std::vector<OutboxItem>(const Incoming&, const Registration&)>;

struct RegistrationSettings {
  std::string pattern = "УПК-{year}-{seq:06}";
  std::string timezone = "Europe/Moscow";
};

/// One row of `mailgate case list`.
struct CaseSummary {
  std::string regno;
  std::string received_at;  ///< ISO 8601 with offset, in the registration time zone
  std::string from_name;
  std::string from_address;
  std::string subject;
  std::string status;
  std::string sha256;
  std::string message_id;
  std::size_t attachments = 0;
  std::string urgency;  ///< empty when no rules ran
  std::string topic;
  std::string deadline;  ///< ISO 8601 with offset, or empty
  /// auto_reply, bounce, mailing_list, no_reply, own_mail, ack_rate_limited, ack_suppressed,
  /// no_address, linked:<regno>
  std::vector<std::string> flags;
};

/// A due outbox row, with the case facts an alert about it needs.
struct OutboxRow {
  std::int64_t id = 0;
  std::optional<std::int64_t> case_id;
  std::string kind;
  std::string channel;
  std::string recipient;
  std::string envelope_from;
  std::string message_id;
  std::string raw;
  int attempts = 0;     ///< before this one
  std::string regno;    ///< empty without a case
  std::string officer;  ///< the case's officer id, may be empty
  std::string unit;
  std::string subject;  ///< of the message that opened the case
};

/// What became of one send.
struct SendOutcome {
  enum class Verdict { sent, retry, failed } verdict = Verdict::sent;
  std::string detail;              ///< the server's reply or the error, for the case history
  TimePoint retry_at;              ///< for retry
  bool suppress = false;           ///< failed: no automatic mail to this address for a while
  std::vector<OutboxItem> alerts;  ///< failed: queued with the failure (officer alert)
};

/// An existing case, as a follow-up or a command sees it.
struct CaseRef {
  std::int64_t id = 0;
  std::string regno;
  std::string status;
  std::string officer;
  std::string unit;
  std::string subject;
  std::string client_address;         ///< lower case From of the message that opened the case
  std::vector<std::string> channels;  ///< active channel addresses, primary first
  std::string first_message_id;       ///< Message-ID of the message that opened it
  std::string client_name;
  TimePoint registered_at;
  std::optional<TimePoint> deadline;
  std::string term;
  std::string urgency;
  std::optional<int> extended_days;
  std::string text;  ///< of the message that opened it
};

class Store {
 public:
  /// Connects; `password` (may be empty) is passed apart from the URL so it is never logged.
  Store(const std::string& url, const std::string& password);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  /// Applies the migrations not yet applied, each in its own transaction, under an
  /// advisory lock so two starting daemons do not race. Returns how many were applied.
  int migrate();

  /// Session-level advisory lock: only one instance polls a mailbox at a time.
  bool try_lock_mailbox(const std::string& mailbox);

  std::optional<MailboxState> mailbox_state(const std::string& mailbox);
  /// Records a (new) UIDVALIDITY. On a change, messages below `rematch_below_uid` are
  /// matched to earlier registrations by sha256.
  void reset_mailbox_state(const std::string& mailbox, std::uint32_t uidvalidity,
                           std::uint32_t rematch_below_uid);

  /// Parse attempts counted so far for each UID (absent = 0).
  std::map<std::uint32_t, int> attempts(const std::string& mailbox, std::uint32_t uidvalidity,
                                        const std::vector<std::uint32_t>& uids);
  /// Adds one attempt to each UID and commits, before anything is parsed.
  void count_attempts(const std::string& mailbox, std::uint32_t uidvalidity,
                      const std::vector<std::uint32_t>& uids);

  /// Registered UIDs among `uids`, with whether each was registered unparsed.
  std::map<std::uint32_t, bool> registered(const std::string& mailbox, std::uint32_t uidvalidity,
                                           const std::vector<std::uint32_t>& uids);
  /// A message with these raw bytes registered from this mailbox under another UIDVALIDITY:
  /// whether it was unparsed. Nothing if there is none.
  std::optional<bool> registered_by_sha(const std::string& mailbox, std::uint32_t uidvalidity,
                                        const std::string& sha256);

  /// Registers the batch in ONE transaction: raw bytes, parsed fields, attachments, a case
  /// with the next gapless number of its year, and an audit event; advances last_uid.
  /// Messages already registered (same mailbox, UIDVALIDITY and UID) are skipped.
  /// Follow-ups (join_case) are recorded on their case instead. `compose` (may be empty)
  /// gives the mail each registration causes; it is queued in the same transaction.
  std::vector<Registration> register_batch(const std::string& mailbox, std::uint32_t uidvalidity,
                                           const std::vector<Incoming>& batch,
                                           const RegistrationSettings& settings,
                                           const Composer& compose = {});

  std::vector<CaseSummary> list_cases(const std::string& timezone);

  // ---- outbox (storage/outbox.cpp) ----
  /// Locks one due row (FOR UPDATE SKIP LOCKED, so two workers never take the same one),
  /// calls `send` while holding it, records the outcome and commits. False: nothing due.
  /// A crash between the server's acceptance and the commit sends the row again later:
  /// the only way to a duplicate, and it carries the same Message-ID.
  bool send_one(const std::function<SendOutcome(const OutboxRow&)>& send, int suppress_days);
  /// Queues mail outside a registration (e.g. a command's replies), in one transaction.
  void queue(std::optional<std::int64_t> case_id, const std::vector<OutboxItem>& mail);
  /// Acknowledgements queued to each address since `since` (lower-case keys).
  std::map<std::string, int> acknowledgements_since(const std::vector<std::string>& addresses,
                                                    TimePoint since);
  /// New cases each sender (the From of the letter that opened it, lower case) caused an
  /// officer or head alert for since `since`: the per-sender cap on staff alerts.
  std::map<std::string, int> alerted_cases_since(const std::vector<std::string>& senders,
                                                 TimePoint since);
  /// Addresses (lower case) under suppression now, among these.
  std::set<std::string> suppressed(const std::vector<std::string>& addresses);
  /// Mail of these kinds queued since `since`: to each recipient, and in all.
  AutoMailCount auto_mail_since(const std::vector<std::string>& kinds, TimePoint since);
  /// Channel requests of these cases still waiting for confirmation and younger than
  /// `max_age` (storage/channels.cpp), by case id.
  std::map<std::int64_t, std::vector<PendingChannel>> pending_channels(
      const std::vector<std::int64_t>& case_ids, std::chrono::hours max_age);
  /// Counts of outbox rows by status, for tests and `mailgate outbox`.
  std::map<std::string, int> outbox_counts();

  // ---- cases (storage/cases.cpp) ----
  /// Applies an action from the console: the update, its event and its mail, in ONE
  /// transaction, only if the case is still in `expected_status` (false if it is not).
  bool act(std::int64_t case_id, const std::string& expected_status, const CaseUpdate& update,
           const std::vector<OutboxItem>& mail);
  /// One row of a case's history.
  struct Event {
    std::string at;  ///< ISO 8601 in the registration time zone
    std::string kind;
    std::string detail_json;
  };
  /// The case's history, oldest first.
  std::vector<Event> case_events(std::int64_t case_id, const std::string& timezone);
  /// The raw bytes of the message that opened the case (for forwarding it whole).
  std::string first_message_raw(std::int64_t case_id);
  /// Cases by registration number; absent ones are not in the map.
  std::map<std::string, CaseRef> cases_by_regno(const std::vector<std::string>& regnos);
  /// Whether a command with this Message-ID or digest was carried out (executed_commands).
  bool command_executed(const std::string& message_id, const std::string& digest);
  /// Cases that our Message-IDs (outbox rows) belong to, by Message-ID.
  std::map<std::string, CaseRef> cases_by_our_message_id(const std::vector<std::string>& ids);

  /// Adds or updates directory entries in ONE transaction. Returns how many were written.
  std::size_t import_clients(const std::vector<ClientRow>& rows);
  /// Directory entries for these addresses (lower case); absent ones are not in the map.
  std::map<std::string, ClientRow> clients(const std::vector<std::string>& emails);
  /// Each sender's history: messages since `since`, open cases, and up to `past_limit`
  /// earlier cases with their text.
  std::map<std::string, SenderHistory> histories(const std::vector<std::string>& emails,
                                                 TimePoint since, std::size_t past_limit);

 private:
  void prepare_registration();

  struct Conn;  // a pqxx::connection; kept out of this header
  std::unique_ptr<Conn> conn_;
  bool prepared_ = false;
  bool outbox_prepared_ = false;
};

}  // namespace mailgate::storage
