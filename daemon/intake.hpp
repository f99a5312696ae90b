#pragma once
/// One pass over the work mailbox: every message in it ends registered exactly once and
/// moved out, whatever point the process dies at. The order within a pass is:
///   fetch → count the parse attempt (commit) → parse → register (commit) → move.
/// A message leaves the mailbox only after the commit that registered it, so a crash
/// anywhere leaves it either unregistered in the mailbox (done again next pass) or
/// registered in the mailbox (next pass only moves it).

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "mail/imap_session.hpp"
#include "mail/message.hpp"
#include "storage/store.hpp"

namespace mailgate::daemon {

struct IntakeSettings {
  std::string mailbox = "INBOX";
  std::string processed_folder = "Processed";
  std::string quarantine_folder = "Quarantine";
  std::size_t batch_size = 100;
  /// Bytes of raw mail one batch may hold in memory ([intake] batch_bytes).
  std::uint64_t batch_bytes = 32ULL * 1024 * 1024;
  int max_parse_attempts = 3;
  storage::RegistrationSettings registration;
};

struct PassResult {
  std::size_t registered = 0;  ///< new cases (parsed or not)
  std::size_t unparsed = 0;    ///< of those, registered raw
  std::size_t moved = 0;       ///< messages moved out of the mailbox
  std::size_t resumed = 0;     ///< found registered by an earlier pass, only moved now
};

/// Turns raw bytes into a Message; throws on bytes it cannot parse.
using Parser = std::function<mail::Message(std::string_view raw)>;
/// Decides urgency for the parsed messages of a batch about to be registered.
using Assess = std::function<void(std::vector<storage::Incoming>& batch)>;

class Intake {
 public:
  Intake(mail::ImapSession& imap, storage::Store& store, IntakeSettings settings, Parser parser,
         Assess assess, const std::atomic<bool>& stop);

  /// Mail each registration causes, queued in its transaction (see storage::Composer).
  void set_composer(storage::Composer composer) { composer_ = std::move(composer); }

  /// Creates the folders intake moves messages to. Once per connection.
  void prepare();
  /// Registers and moves everything now in the mailbox (stops early, between messages, when
  /// `stop` is set).
  PassResult run_pass();

 private:
  struct Fetched;
  void process_batch(const std::vector<std::uint32_t>& uids, PassResult& result);
  void process_single_retry(std::uint32_t uid, int attempts, PassResult& result);
  std::vector<storage::Registration> register_with_fallback(std::vector<storage::Incoming>& batch);
  void move_registered(const std::vector<storage::Registration>& regs, PassResult& result);
  storage::Incoming make_incoming(std::uint32_t uid, std::string raw, bool parse);
  bool resume_by_sha(std::uint32_t uid, const std::string& raw, PassResult& result);

  mail::ImapSession& imap_;
  storage::Store& store_;
  IntakeSettings settings_;
  Parser parser_;
  Assess assess_;
  storage::Composer composer_;
  const std::atomic<bool>& stop_;
  std::uint32_t uidvalidity_ = 0;
  std::uint32_t rematch_below_uid_ = 0;
  std::map<std::uint32_t, storage::TimePoint> received_;
};

}  // namespace mailgate::daemon
