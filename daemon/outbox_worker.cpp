#include "daemon/outbox_worker.hpp"

#include "base/backoff.hpp"
#include "daemon/case_settings.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>
#include <thread>

namespace mailgate::daemon {

mail::SmtpSettings smtp_settings(const SmtpConfig& c) {
  mail::SmtpSettings s;
  s.host = c.host;
  s.port = c.port;
  s.security = c.security == "smtps"      ? mail::SmtpSettings::Security::smtps
               : c.security == "starttls" ? mail::SmtpSettings::Security::starttls
                                          : mail::SmtpSettings::Security::none;
  s.ca_file = c.ca_file;
  s.insecure_ok = c.insecure_ok;
  s.user = c.user;
  s.password = c.password;
  s.helo_name = c.helo_name;
  s.timeout = c.timeout;
  return s;
}

std::chrono::seconds retry_delay(const OutboxConfig& config, int attempt, double jitter01) {
  auto wait =
      base::backoff_delay({config.min_backoff, config.max_backoff, 0.75, 1.25}, attempt, jitter01);
  return std::chrono::seconds(std::max<long long>(1, static_cast<long long>(wait.count())));
}

OutboxWorker::OutboxWorker(const Config& config, const templates::TemplateSet& templates)
    : config_(config), workflow_(case_settings(config)), outbound_(workflow_, templates) {}

storage::SendOutcome OutboxWorker::send(const storage::OutboxRow& row) {
  using V = storage::SendOutcome::Verdict;
  storage::SendOutcome out;
  if (!smtp_) smtp_ = std::make_unique<mail::SmtpSession>(smtp_settings(config_.smtp));
  mail::SmtpResult r = smtp_->send(row.envelope_from, row.recipient, row.raw);
  out.detail = r.reply;
  int attempt = row.attempts + 1;
  if (r.kind == mail::SmtpResult::Kind::sent) {
    out.verdict = V::sent;
    spdlog::info("{}: {} sent to {} ({})", row.regno.empty() ? "outbox" : row.regno, row.kind,
                 row.recipient, row.channel);
    return out;
  }
  bool permanent = r.kind == mail::SmtpResult::Kind::permanent;
  if (!permanent && attempt < config_.outbox.max_attempts) {
    static thread_local std::mt19937 rng{std::random_device{}()};
    auto delay =
        retry_delay(config_.outbox, attempt, std::uniform_real_distribution<double>(0, 1)(rng));
    out.verdict = V::retry;
    out.retry_at = std::chrono::system_clock::now() + delay;
    spdlog::warn("{}: {} to {} deferred ({}); attempt {} of {}, next in {} s", row.regno, row.kind,
                 row.recipient, r.reply, attempt, config_.outbox.max_attempts, delay.count());
    return out;
  }
  out.verdict = V::failed;
  if (!permanent) out.detail = "gave up after " + std::to_string(attempt) + " attempts: " + r.reply;
  spdlog::error("{}: {} to {} failed for good: {}", row.regno, row.kind, row.recipient, out.detail);
  bool to_client = row.channel == "primary" || row.channel == "additional";
  out.suppress = to_client;
  // The officer hears of it; never the client again on that channel, and never an alert
  // about an alert (that way lies a loop).
  if (to_client && row.case_id && !row.regno.empty()) {
    if (const Officer* o = cases::responsible_officer(workflow_, row.officer, row.unit)) {
      cases::CaseFacts f;
      f.regno = row.regno;
      f.registered_at = std::chrono::system_clock::now();
      f.subject = row.subject;
      try {
        out.alerts.push_back(outbound_.to_staff(
            "delivery_failure_alert", f, {"officer", o->email, o->name},
            {{"officer", {{"name", o->name}, {"email", o->email}}},
             {"failed",
              {{"address", row.recipient}, {"reason", out.detail}, {"subject", row.subject}}}}));
      } catch (const std::exception& e) {
        spdlog::error("{}: cannot compose the delivery failure alert: {}", row.regno, e.what());
      }
    }
  }
  return out;
}

std::size_t OutboxWorker::drain(storage::Store& store, const std::atomic<bool>& stop) {
  std::size_t n = 0;
  while (!stop && store.send_one([this](const storage::OutboxRow& row) { return send(row); },
                                 config_.outbox.suppress_failed_days)) {
    ++n;
  }
  return n;
}

std::size_t drain_outbox(const Config& config, const templates::TemplateSet& templates,
                         const std::atomic<bool>& stop) {
  std::atomic<std::size_t> total{0};
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(config.outbox.workers));
  for (int i = 0; i < config.outbox.workers; ++i) {
    threads.emplace_back([&] {
      try {
        storage::Store store(config.database.url, config.database.password);
        OutboxWorker worker(config, templates);
        total += worker.drain(store, stop);
      } catch (const std::exception& e) {
        spdlog::error("outbox: {}", e.what());
      }
    });
  }
  for (auto& t : threads) t.join();
  return total;
}

void OutboxWorker::run(const std::atomic<bool>& stop) {
  std::unique_ptr<storage::Store> store;
  // Errors in a row wait 2, 4, 8... poll intervals, up to max_backoff, without jitter (one
  // worker's database or SMTP outage). The message names the wait before the doubling, as
  // it always has.
  base::Backoff backoff({2 * config_.outbox.poll_interval, config_.outbox.max_backoff});
  auto wait = config_.outbox.poll_interval;
  auto sleep = [&](std::chrono::seconds total) {
    for (auto slept = std::chrono::milliseconds(0); !stop && slept < total;
         slept += std::chrono::milliseconds(100)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  };
  auto back_off = [&] { wait = std::chrono::duration_cast<std::chrono::seconds>(backoff.next()); };
  while (!stop) {
    try {
      if (!store) {
        store = std::make_unique<storage::Store>(config_.database.url, config_.database.password);
      }
      drain(*store, stop);
      backoff.reset();
      wait = config_.outbox.poll_interval;
    } catch (const storage::StoreError& e) {
      spdlog::error("outbox: {}; retrying in {} s", e.what(), wait.count());
      store.reset();
      back_off();
    } catch (const std::exception& e) {
      spdlog::error("outbox: {}; retrying in {} s", e.what(), wait.count());
      smtp_.reset();
      back_off();
    }
    sleep(wait);
  }
}

}  // namespace mailgate::daemon
