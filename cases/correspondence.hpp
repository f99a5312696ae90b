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

#include <cstdint>
#include <functional>
#include <map>
#include <utility>
#include <vector>

#include "cases/correspondence_plan.hpp"
#include "cases/outbound.hpp"
#include "storage/store.hpp"
#include "templates/template_set.hpp"

namespace mailgate::cases {

class Correspondence {
 public:
  Correspondence(storage::Store& store, const Settings& settings,
                 const templates::TemplateSet& templates);

  /// Marks follow-ups, loop-safety kinds, channels and flags on the parsed messages of the
  /// batch, and plans the mail each causes. Reads the database (a few queries per batch,
  /// all in look_up); the decisions are LetterPlanner's.
  void prepare(std::vector<storage::Incoming>& batch);
  /// Called with each letter before it is planned; what it throws fails that letter's plan
  /// alone. The composition root sets it only for the test build's fault injection.
  void set_plan_check(std::function<void(const storage::Incoming&)> check) {
    plan_check_ = std::move(check);
  }
  /// The storage::Composer: the mail planned for this message, now that it has a number.
  /// Never throws: a mail that cannot be composed is logged and left out, the others go.
  std::vector<storage::OutboxItem> compose(const storage::Incoming& in,
                                           const storage::Registration& reg) const;

 private:
  /// What the batch refers to, read from storage.
  BatchFacts look_up(const std::vector<storage::Incoming>& batch);

  CaseFacts facts(const storage::Incoming& in, const storage::Registration& reg,
                  const LetterPlan& plan) const;
  /// The plan's confirmations and channel notices (cases/channel_confirmation.hpp).
  void compose_channel_mail(const CaseFacts& f, const LetterPlan& plan,
                            std::vector<storage::OutboxItem>& out) const;
  /// The staff alerts of a new case, each composed on its own.
  void compose_alerts(const storage::Incoming& in, const LetterPlan& plan, const CaseFacts& f,
                      std::vector<storage::OutboxItem>& out) const;

  storage::Store& store_;
  const Settings& settings_;  ///< outlives this object
  Outbound outbound_;
  LetterPlanner planner_;
  std::function<void(const storage::Incoming&)> plan_check_;
  std::map<std::uint32_t, LetterPlan> plans_;  // by UID, for the batch being registered
};

}  // namespace mailgate::cases
