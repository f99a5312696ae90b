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
#include <vector>

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

IntakeSettings intake_settings(const Config& config) {
  IntakeSettings settings;
  settings.mailbox = config.mailbox;
  settings.processed_folder = config.processed_folder;
  settings.quarantine_folder = config.quarantine_folder;
  settings.batch_size = config.intake.batch_size;
  settings.batch_bytes = config.intake.batch_bytes;
  settings.max_parse_attempts = config.intake.max_parse_attempts;
  settings.registration = {config.registration.pattern, config.registration.timezone};
  return settings;
}

/// Templates are checked in full before anything runs: a broken one is an administrator's
/// error to fix now, not a mail that fails to compose at 3 a.m. Empty after logging why.
std::optional<templates::TemplateSet> load_checked_templates(const Config& config) {
  try {
    return load_templates(
        config.templates_directory,
        {config.min_readability, config.max_sentence_words, config.max_cliches, 2});
  } catch (const templates::TemplateError& e) {
    for (const auto& err : e.errors()) spdlog::error("template: {}", err);
  } catch (const std::exception& e) {
    spdlog::error("templates: {}", e.what());
  }
  return std::nullopt;
}

/// Sending threads: each its own database and SMTP connection; SKIP LOCKED keeps them (and
/// other processes) off each other's rows. Leaving the scope stops and joins them.
class OutboxThreads {
 public:
  OutboxThreads(const Config& config, const templates::TemplateSet& tmpl, int count) {
    for (int i = 0; i < count; ++i) {
      threads_.emplace_back([&config, &tmpl] { OutboxWorker(config, tmpl).run(g_stop); });
    }
  }
  OutboxThreads(const OutboxThreads&) = delete;
  OutboxThreads& operator=(const OutboxThreads&) = delete;
  ~OutboxThreads() {
    g_stop = true;
    for (auto& t : threads_) t.join();
  }

 private:
  std::vector<std::thread> threads_;
};

/// SIGHUP: the new rule files and calendar are checked in full before they replace the old.
void reload_rules_if_asked(const Config& config, RulesHolder& rules) {
  if (!g_reload.exchange(false)) return;
  auto error = rules.reload(config);
  if (error.empty()) {
    spdlog::info("SIGHUP: rules and calendar reloaded ({} rule file(s))", rules.get()->files);
  } else {
    spdlog::error("SIGHUP: the new rules were not loaded; the old ones stay:\n{}", error);
  }
}

/// How one turn of the run loop ended.
enum class Turn { again, done, failed };

/// The run loop's connections, kept from pass to pass and dropped on the error that broke
/// them, and the backoff between failed turns.
class PassLoop {
 public:
  PassLoop(const Config& config, bool once, bool sending, const Parser& parser, RulesHolder& rules,
           const templates::TemplateSet& tmpl, const PlanCheck& plan_check)
      : config_(config),
        once_(once),
        sending_(sending),
        parser_(parser),
        rules_(rules),
        tmpl_(tmpl),
        plan_check_(plan_check),
        settings_(intake_settings(config)),
        workflow_(case_settings(config)),
        backoff_({config.intake.poll_interval, config.intake.max_backoff, 0.5, 1.0}) {}

  /// Connects as needed, runs one pass and sleeps until the next; failed: `once` and the
  /// pass could not run.
  Turn turn() {
    try {
      return connect_and_pass();
    } catch (const mail::ImapError& e) {
      imap_.reset();
      spdlog::error("{}", imap_problem(e, config_));
      return back_off();
    } catch (const storage::StoreError& e) {
      // A refused write that survived the one-by-one fallback, or a lost connection: start
      // over with a new connection (which also drops the mailbox lock).
      store_.reset();
      spdlog::error("database: {}", e.what());
      return back_off();
    }
  }

 private:
  Turn connect_and_pass();
  PassResult run_pass(bool fresh_connection);
  Turn back_off();

  const Config& config_;
  const bool once_;
  const bool sending_;
  const Parser& parser_;
  RulesHolder& rules_;
  const templates::TemplateSet& tmpl_;
  const PlanCheck& plan_check_;  ///< empty but in the test build's fault injection
  const IntakeSettings settings_;
  const cases::Settings workflow_;
  base::Backoff backoff_;  ///< jitter: retries after a shared outage must not come in lockstep
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<mail::ImapSession> imap_;
  bool locked_ = false;
};

Turn PassLoop::connect_and_pass() {
  if (!store_) {
    store_ = std::make_unique<storage::Store>(config_.database.url, config_.database.password);
    if (int n = store_->migrate(); n > 0) spdlog::info("applied {} database migration(s)", n);
    locked_ = false;
  }
  if (!locked_) {
    locked_ = store_->try_lock_mailbox(config_.mailbox);
    if (!locked_) {
      spdlog::warn("another mailgate instance is polling {}; waiting", config_.mailbox);
      if (once_) return Turn::failed;
      sleep_unless_stopped(config_.intake.poll_interval);
      return Turn::again;
    }
  }
  bool fresh_connection = !imap_;
  if (!imap_) {
    imap_ = std::make_unique<mail::ImapSession>(config_.imap);
    imap_->connect();
  }
  auto r = run_pass(fresh_connection);
  if (backoff_.failures() > 0) spdlog::info("servers reachable again; intake resumed");
  backoff_.reset();
  if (r.registered + r.resumed > 0) {
    spdlog::info("pass done: {} registered ({} unparsed), {} resumed, {} moved", r.registered,
                 r.unparsed, r.resumed, r.moved);
  }
  if (once_) {
    // --once: what this pass queued is sent before the process ends.
    if (sending_) {
      std::size_t n = drain_outbox(config_, tmpl_, g_stop);
      if (n > 0) spdlog::info("outbox: {} mail handled", n);
    }
    return Turn::done;
  }
  sleep_unless_stopped(config_.intake.poll_interval);
  return Turn::again;
}

PassResult PassLoop::run_pass(bool fresh_connection) {
  Assessor assessor(*store_, rules_, config_.mailbox, config_.rules.history_days);
  cases::Correspondence correspondence(*store_, workflow_, tmpl_);
  if (plan_check_) correspondence.set_plan_check(plan_check_);
  auto assess = [&](std::vector<storage::Incoming>& batch) {
    assessor(batch);
    correspondence.prepare(batch);
  };
  Intake intake(*imap_, *store_, settings_, parser_, assess, g_stop);
  intake.set_composer([&](const storage::Incoming& in, const storage::Registration& reg) {
    return correspondence.compose(in, reg);
  });
  if (fresh_connection) intake.prepare();
  return intake.run_pass();
}

Turn PassLoop::back_off() {
  if (once_) return Turn::failed;
  auto wait = backoff_.next();
  spdlog::info("retrying in {:.1f} s", static_cast<double>(wait.count()) / 1000.0);
  sleep_unless_stopped(wait);
  return Turn::again;
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

int run_service(const Config& config, bool once, const Parser& parser, RulesHolder& rules,
                const PlanCheck& plan_check) {
  spdlog::info("mailgate starting: mailbox {} on {}:{} as {}", config.mailbox, config.imap.host,
               config.imap.port, config.imap.user);
  // Said at every start, so an insecure setting never becomes a forgotten one.
  for (const auto& w : insecure_settings(config)) spdlog::warn("insecure setting: {}", w);
  auto tmpl = load_checked_templates(config);
  if (!tmpl) return 2;
  bool sending = !config.smtp.host.empty() && !config.office.address.empty();
  if (!sending) {
    spdlog::warn("no [smtp] host or [office] address: outgoing mail waits in the outbox");
  }
  if (!config.officers.empty() && config.officer_auth.token_key.empty()) {
    spdlog::warn(
        "no [officer_auth] token_key_file: officers' commands by mail are carried out only "
        "with a trusted DKIM pass");
  }
  PassLoop loop(config, once, sending, parser, rules, *tmpl, plan_check);
  OutboxThreads workers(config, *tmpl, sending && !once ? config.outbox.workers : 0);
  while (!g_stop) {
    reload_rules_if_asked(config, rules);
    Turn turn = loop.turn();
    if (turn == Turn::failed) return 1;
    if (turn == Turn::done) break;
  }
  spdlog::info("mailgate stopped");
  return 0;
}

}  // namespace mailgate::daemon
