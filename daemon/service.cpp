#include "daemon/service.hpp"

#include "base/backoff.hpp"
#include "cases/correspondence.hpp"
#include "daemon/assess.hpp"
#include "daemon/case_settings.hpp"
#include "daemon/outbox_worker.hpp"
#include "daemon/template_loader.hpp"

#include <spdlog/spdlog.h>

#include <csignal>
#include <memory>
#include <optional>
#include <thread>

namespace mailgate::daemon {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<bool> g_reload{false};

extern "C" void on_signal(int sig) {
  if (sig == SIGHUP) {
    g_reload.store(true);
  } else {
    g_stop.store(true);
  }
}

/// Sleeps in short steps so a stop request is honoured within a fraction of a second.
void sleep_unless_stopped(std::chrono::milliseconds total) {
  auto until = std::chrono::steady_clock::now() + total;
  while (!g_stop && !g_reload && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

std::string imap_problem(const mail::ImapError& e, const Config& c) {
  switch (e.kind()) {
    case mail::ImapError::Kind::auth:
      return "the IMAP server refused the login of user \"" + c.imap.user +
             "\": check imap.user and imap.password_file (" + e.what() + ")";
    case mail::ImapError::Kind::unavailable:
      return std::string("cannot reach the IMAP server: ") + e.what();
    default:
      return std::string("IMAP server error: ") + e.what();
  }
}

}  // namespace

std::atomic<bool>& stop_flag() { return g_stop; }

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

int run_service(const Config& config, bool once, const Parser& parser, RulesHolder& rules) {
  IntakeSettings settings;
  settings.mailbox = config.mailbox;
  settings.processed_folder = config.processed_folder;
  settings.quarantine_folder = config.quarantine_folder;
  settings.batch_size = config.intake.batch_size;
  settings.max_parse_attempts = config.intake.max_parse_attempts;
  settings.registration = {config.registration.pattern, config.registration.timezone};
  const cases::Settings workflow = case_settings(config);

  std::unique_ptr<storage::Store> store;
  std::unique_ptr<mail::ImapSession> imap;
  bool locked = false;
  // Jitter: retries from several daemons or after a shared outage must not come in lockstep.
  base::Backoff backoff({config.intake.poll_interval, config.intake.max_backoff, 0.5, 1.0});

  spdlog::info("mailgate starting: mailbox {} on {}:{} as {}", config.mailbox, config.imap.host,
               config.imap.port, config.imap.user);
  // Templates are checked in full before anything runs: a broken one is an administrator's
  // error to fix now, not a mail that fails to compose at 3 a.m.
  std::optional<templates::TemplateSet> tmpl;
  try {
    tmpl =
        load_templates(config.templates_directory,
                       {config.min_readability, config.max_sentence_words, config.max_cliches, 2});
  } catch (const templates::TemplateError& e) {
    for (const auto& err : e.errors()) spdlog::error("template: {}", err);
    return 2;
  } catch (const std::exception& e) {
    spdlog::error("templates: {}", e.what());
    return 2;
  }
  bool sending = !config.smtp.host.empty() && !config.office.address.empty();
  if (!sending)
    spdlog::warn("no [smtp] host or [office] address: outgoing mail waits in the outbox");
  // Sending threads: each its own database and SMTP connection; SKIP LOCKED keeps them
  // (and other processes) off each other's rows.
  std::vector<std::thread> workers;
  if (sending && !once) {
    for (int i = 0; i < config.outbox.workers; ++i) {
      workers.emplace_back([&] { OutboxWorker(config, *tmpl).run(g_stop); });
    }
  }
  struct Joiner {
    std::vector<std::thread>& threads;
    ~Joiner() {
      g_stop = true;
      for (auto& t : threads) t.join();
    }
  } joiner{workers};
  while (!g_stop) {
    if (g_reload.exchange(false)) {
      // The new rule files and calendar are checked in full before they replace the old.
      auto error = rules.reload(config);
      if (error.empty()) {
        spdlog::info("SIGHUP: rules and calendar reloaded ({} rule file(s))", rules.get()->files);
      } else {
        spdlog::error("SIGHUP: the new rules were not loaded; the old ones stay:\n{}", error);
      }
    }
    try {
      if (!store) {
        store = std::make_unique<storage::Store>(config.database.url, config.database.password);
        if (int n = store->migrate(); n > 0) spdlog::info("applied {} database migration(s)", n);
        locked = false;
      }
      if (!locked) {
        locked = store->try_lock_mailbox(config.mailbox);
        if (!locked) {
          spdlog::warn("another mailgate instance is polling {}; waiting", config.mailbox);
          if (once) return 1;
          sleep_unless_stopped(config.intake.poll_interval);
          continue;
        }
      }
      bool fresh_connection = !imap;
      if (!imap) {
        imap = std::make_unique<mail::ImapSession>(config.imap);
        imap->connect();
      }
      Assessor assessor(*store, rules, config.mailbox, config.rules.history_days);
      cases::Correspondence correspondence(*store, workflow, *tmpl);
      auto assess = [&](std::vector<storage::Incoming>& batch) {
        assessor(batch);
        correspondence.prepare(batch);
      };
      Intake intake(*imap, *store, settings, parser, assess, g_stop);
      intake.set_composer([&](const storage::Incoming& in, const storage::Registration& reg) {
        return correspondence.compose(in, reg);
      });
      if (fresh_connection) intake.prepare();
      auto r = intake.run_pass();
      if (backoff.failures() > 0) spdlog::info("servers reachable again; intake resumed");
      backoff.reset();
      if (r.registered + r.resumed > 0) {
        spdlog::info("pass done: {} registered ({} unparsed), {} resumed, {} moved", r.registered,
                     r.unparsed, r.resumed, r.moved);
      }
      if (once) {
        // --once: what this pass queued is sent before the process ends.
        if (sending) {
          std::size_t n = drain_outbox(config, *tmpl, g_stop);
          if (n > 0) spdlog::info("outbox: {} mail handled", n);
        }
        break;
      }
      sleep_unless_stopped(config.intake.poll_interval);
    } catch (const mail::ImapError& e) {
      imap.reset();
      spdlog::error("{}", imap_problem(e, config));
      if (once) return 1;
      auto wait = backoff.next();
      spdlog::info("retrying in {:.1f} s", static_cast<double>(wait.count()) / 1000.0);
      sleep_unless_stopped(wait);
    } catch (const storage::StoreError& e) {
      // A refused write that survived the one-by-one fallback, or a lost connection: start
      // over with a new connection (which also drops the mailbox lock).
      store.reset();
      spdlog::error("database: {}", e.what());
      if (once) return 1;
      auto wait = backoff.next();
      spdlog::info("retrying in {:.1f} s", static_cast<double>(wait.count()) / 1000.0);
      sleep_unless_stopped(wait);
    }
  }
  spdlog::info("mailgate stopped");
  return 0;
}

}  // namespace mailgate::daemon
