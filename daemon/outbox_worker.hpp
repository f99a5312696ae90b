#pragma once
/// The outbox worker: sends due outbox rows over one reused SMTP connection, with retries
/// (exponential backoff with jitter) for 4xx replies and network errors, and a recorded
/// permanent failure (plus an alert to the case's officer) for 5xx replies or when the
/// retries run out. Several workers, in one process or many, may share a database.

#include <atomic>
#include <cstddef>
#include <memory>

#include "cases/outbound.hpp"
#include "cases/settings.hpp"
#include "daemon/config.hpp"
#include "mail/smtp_session.hpp"
#include "storage/store.hpp"
#include "templates/template_set.hpp"

namespace mailgate::daemon {

mail::SmtpSettings smtp_settings(const SmtpConfig& config);

/// The wait before retry number `attempt` (1 = the first retry): min·2^(attempt-1), capped
/// at max, then ±25% jitter so many failed rows do not come back at the same moment.
std::chrono::seconds retry_delay(const OutboxConfig& config, int attempt, double jitter01);

class OutboxWorker {
 public:
  OutboxWorker(const Config& config, const templates::TemplateSet& templates);
  /// Sends everything due now; returns how many rows were handled. Throws StoreError when
  /// the database is unreachable (the caller backs off).
  std::size_t drain(storage::Store& store, const std::atomic<bool>& stop);
  /// Own database connection and SMTP session; runs until `stop`, backing off on errors.
  void run(const std::atomic<bool>& stop);

 private:
  storage::SendOutcome send(const storage::OutboxRow& row);

  const Config& config_;
  cases::Settings workflow_;  ///< before outbound_, which refers to it
  cases::Outbound outbound_;
  std::unique_ptr<mail::SmtpSession> smtp_;
};

/// Sends everything due now with config.outbox.workers threads (for `run --once`); returns
/// how many rows were handled. A thread whose database or SMTP server fails stops early.
std::size_t drain_outbox(const Config& config, const templates::TemplateSet& templates,
                         const std::atomic<bool>& stop);

}  // namespace mailgate::daemon
