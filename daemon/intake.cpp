#include "daemon/intake.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "daemon/intake_batches.hpp"
#include "mail/digest.hpp"

namespace mailgate::daemon {

Intake::Intake(mail::ImapSession& imap, storage::Store& store, IntakeSettings settings,
               Parser parser, Assess assess, const std::atomic<bool>& stop)
    : imap_(imap),
      store_(store),
      settings_(std::move(settings)),
      parser_(std::move(parser)),
      assess_(std::move(assess)),
      stop_(stop) {}

void Intake::prepare() {
  imap_.ensure_folder(settings_.processed_folder);
  imap_.ensure_folder(settings_.quarantine_folder);
}

PassResult Intake::run_pass() {
  PassResult result;
  const auto& mailbox = settings_.mailbox;
  auto status = imap_.select(mailbox);
  auto state = store_.mailbox_state(mailbox);
  if (!state) {
    store_.reset_mailbox_state(mailbox, status.uidvalidity, 0);
    state = storage::MailboxState{status.uidvalidity, 0, 0};
  } else if (state->uidvalidity != status.uidvalidity) {
    // The server renumbered the mailbox (restored from backup, recreated, migrated). UIDs
    // mean nothing now; what is in the mailbox at this moment may already be registered
    // under the old numbers, so it is matched by its bytes. Later arrivals are new.
    spdlog::warn(
        "UIDVALIDITY of {} changed from {} to {}: the {} message(s) now in it are matched to "
        "earlier registrations by sha256",
        mailbox, state->uidvalidity, status.uidvalidity, status.exists);
    store_.reset_mailbox_state(mailbox, status.uidvalidity, status.uidnext);
    state = storage::MailboxState{status.uidvalidity, 0, status.uidnext};
  }
  uidvalidity_ = status.uidvalidity;
  rematch_below_uid_ = state->rematch_below_uid;
  if (status.exists == 0) return result;

  auto uids = imap_.search_all_uids();
  // At or below last_uid: registered by an earlier pass that died before its move.
  std::vector<std::uint32_t> seen;
  std::vector<std::uint32_t> fresh;
  for (auto uid : uids) (uid <= state->last_uid ? seen : fresh).push_back(uid);
  if (!seen.empty()) {
    auto known = store_.registered(mailbox, uidvalidity_, seen);
    std::vector<storage::Registration> done;
    for (auto uid : seen) {
      if (auto it = known.find(uid); it != known.end()) {
        storage::Registration reg;
        reg.uid = uid;
        reg.unparsed = it->second;
        done.push_back(reg);
      } else {
        fresh.push_back(uid);  // not expected; registering it is the safe side
      }
    }
    move_registered(done, result);
    std::sort(fresh.begin(), fresh.end());
  }
  // Cut by count and by the sizes the server reports, so a batch of large letters is never
  // fetched into memory at once; a letter over batch_bytes is taken alone.
  auto sizes = fresh.empty() ? std::map<std::uint32_t, std::uint64_t>{} : imap_.sizes(fresh);
  for (const auto& batch : cut_batches(fresh, sizes, settings_.batch_size, settings_.batch_bytes)) {
    if (stop_) break;
    process_batch(batch, result);
  }
  return result;
}

void Intake::process_batch(const std::vector<std::uint32_t>& uids, PassResult& result) {
  received_ = imap_.internal_dates(uids);
  auto attempts = store_.attempts(settings_.mailbox, uidvalidity_, uids);
  std::vector<std::uint32_t> first_try;
  for (auto uid : uids) {
    auto it = attempts.find(uid);
    if (it == attempts.end()) {
      first_try.push_back(uid);
      continue;
    }
    // Parsing this message was under way when the process died (or failed): take it
    // alone, so the one that kills the parser cannot take its batch-mates down with it.
    if (stop_) return;
    process_single_retry(uid, it->second, result);
  }

  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::pair<std::uint32_t, std::string>> fetched;
  for (auto uid : first_try) {
    if (stop_) break;
    std::string raw;
    try {
      raw = imap_.fetch(settings_.mailbox, uidvalidity_, uid);
    } catch (const mail::ImapError& e) {
      if (e.kind() != mail::ImapError::Kind::not_found) throw;
      spdlog::warn("UID {} vanished from {} before it was fetched", uid, settings_.mailbox);
      continue;
    }
    if (uid < rematch_below_uid_ && resume_by_sha(uid, raw, result)) continue;
    fetched.emplace_back(uid, std::move(raw));
  }
  if (fetched.empty()) return;

  auto t1 = std::chrono::steady_clock::now();
  std::vector<std::uint32_t> counted;
  counted.reserve(fetched.size());
  for (const auto& f : fetched) counted.push_back(f.first);
  store_.count_attempts(settings_.mailbox, uidvalidity_, counted);

  auto t2 = std::chrono::steady_clock::now();
  std::vector<storage::Incoming> batch;
  batch.reserve(fetched.size());
  for (auto& [uid, raw] : fetched) batch.push_back(make_incoming(uid, std::move(raw), true));
  auto t3 = std::chrono::steady_clock::now();
  auto regs = register_with_fallback(batch);
  auto t4 = std::chrono::steady_clock::now();
  move_registered(regs, result);
  auto t5 = std::chrono::steady_clock::now();
  auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
  spdlog::debug(
      "batch of {}: fetch {:.1f} ms, count {:.1f} ms, parse {:.1f} ms, register {:.1f} ms, move "
      "{:.1f} ms",
      batch.size(), ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t3, t4), ms(t4, t5));
}

void Intake::process_single_retry(std::uint32_t uid, int attempts, PassResult& result) {
  std::string raw;
  try {
    raw = imap_.fetch(settings_.mailbox, uidvalidity_, uid);
  } catch (const mail::ImapError& e) {
    if (e.kind() != mail::ImapError::Kind::not_found) throw;
    return;
  }
  if (uid < rematch_below_uid_ && resume_by_sha(uid, raw, result)) return;
  bool parse = attempts < settings_.max_parse_attempts;
  if (parse) {
    spdlog::info("UID {}: parse attempt {} after an earlier failure", uid, attempts + 1);
    store_.count_attempts(settings_.mailbox, uidvalidity_, {uid});
  } else {
    spdlog::warn(
        "UID {}: parsing failed or stopped the daemon {} times; registering it raw and moving "
        "it to {}",
        uid, attempts, settings_.quarantine_folder);
  }
  std::vector<storage::Incoming> one;
  one.push_back(make_incoming(uid, std::move(raw), parse));
  if (!parse) {
    one.back().parse_error =
        "parsing failed or stopped the process " + std::to_string(attempts) + " times";
  }
  move_registered(register_with_fallback(one), result);
}

storage::Incoming Intake::make_incoming(std::uint32_t uid, std::string raw, bool parse) {
  storage::Incoming in;
  in.uid = uid;
  in.sha256 = mail::sha256_hex(raw);
  auto it = received_.find(uid);
  in.received_at = it != received_.end() ? it->second : std::chrono::system_clock::now();
  if (parse) {
    try {
      in.parsed = parser_(raw);
    } catch (const std::exception& e) {
      in.parse_error = e.what();
      spdlog::warn("UID {}: cannot parse ({}); registering it raw", uid, e.what());
    }
  }
  in.raw = std::move(raw);
  return in;
}

std::vector<storage::Registration> Intake::register_with_fallback(
    std::vector<storage::Incoming>& batch) {
  if (assess_) {
    // A failing assessment must not stop registration: the case is registered without a
    // decision and an officer sees that, rather than the mailbox stalling.
    try {
      auto start = std::chrono::steady_clock::now();
      assess_(batch);
      spdlog::debug(
          "assessed {} in {:.1f} ms", batch.size(),
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count());
    } catch (const storage::StoreError&) {
      throw;
    } catch (const std::exception& e) {
      // Assessment and planning fail per letter (Assessor, cases::plan_each); what reaches
      // here failed for the batch as a whole. Decisions already made are kept: resetting them
      // once cost seven cases their urgency and deadline (issue 12, item 1).
      spdlog::error("assessing the batch failed part-way ({}); registering it as far as it got",
                    e.what());
    }
  }
  try {
    return store_.register_batch(settings_.mailbox, uidvalidity_, batch, settings_.registration,
                                 composer_);
  } catch (const storage::StoreError& e) {
    if (e.transient()) throw;
    if (batch.size() > 1) {
      spdlog::warn("the database refused a batch of {} ({}); registering them one by one",
                   batch.size(), e.what());
    }
  }
  // Something in the parsed fields was refused. Register each message alone; one that is
  // still refused keeps only its raw bytes, which the database always takes.
  std::vector<storage::Registration> out;
  for (auto& in : batch) {
    std::vector<storage::Incoming> one;
    one.push_back(std::move(in));
    try {
      auto r = store_.register_batch(settings_.mailbox, uidvalidity_, one, settings_.registration,
                                     composer_);
      out.insert(out.end(), r.begin(), r.end());
      continue;
    } catch (const storage::StoreError& e) {
      if (e.transient()) throw;
      spdlog::warn("UID {}: the database refused its parsed fields ({}); registering it raw",
                   one[0].uid, e.what());
      one[0].parse_error = std::string("database refused parsed fields: ") + e.what();
      one[0].parsed.reset();
    }
    auto r = store_.register_batch(settings_.mailbox, uidvalidity_, one, settings_.registration,
                                   composer_);
    out.insert(out.end(), r.begin(), r.end());
  }
  return out;
}

void Intake::move_registered(const std::vector<storage::Registration>& regs, PassResult& result) {
  std::vector<std::uint32_t> processed;
  std::vector<std::uint32_t> quarantined;
  for (const auto& r : regs) {
    (r.unparsed ? quarantined : processed).push_back(r.uid);
    if (r.regno.empty()) {
      ++result.resumed;
      spdlog::info("UID {}: already registered; moving it", r.uid);
    } else {
      ++result.registered;
      if (r.unparsed) ++result.unparsed;
      spdlog::info("UID {}: registered as {}{}", r.uid, r.regno, r.unparsed ? " (unparsed)" : "");
    }
  }
  imap_.move(processed, settings_.processed_folder);
  imap_.move(quarantined, settings_.quarantine_folder);
  result.moved += processed.size() + quarantined.size();
}

bool Intake::resume_by_sha(std::uint32_t uid, const std::string& raw, PassResult& result) {
  auto unparsed = store_.registered_by_sha(settings_.mailbox, uidvalidity_, mail::sha256_hex(raw));
  if (!unparsed) return false;
  storage::Registration reg;
  reg.uid = uid;
  reg.unparsed = *unparsed;
  move_registered({reg}, result);
  return true;
}

}  // namespace mailgate::daemon
