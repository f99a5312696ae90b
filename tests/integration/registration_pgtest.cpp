// Registration numbers against a real PostgreSQL: gapless within a year, restarting at 1
// in a new year, and idempotent registration.

#include <gtest/gtest.h>

#include <atomic>
#include <iostream>
#include <thread>

#include "harness.hpp"
#include "mail/digest.hpp"
#include "storage/store.hpp"

using mailgate::storage::Incoming;
using mailgate::storage::Store;
using mailgate::test::Sandbox;

namespace {

Incoming incoming(std::uint32_t uid, const std::string& when_utc) {
  Incoming in;
  in.uid = uid;
  in.raw = mailgate::test::synthetic_message(static_cast<int>(uid));
  in.sha256 = mailgate::mail::sha256_hex(in.raw);
  std::tm tm{};
  strptime(when_utc.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  in.received_at = std::chrono::system_clock::from_time_t(timegm(&tm));
  mailgate::mail::Message m;
  m.subject = "Тема " + std::to_string(uid);
  in.parsed = m;
  return in;
}

TEST(Registration, GaplessWithinYearAndRestartsInNewYear) {
  Sandbox sb;
  Store store(sb.env("PGURL"), "");
  ASSERT_GE(store.migrate(), 1);
  EXPECT_EQ(store.migrate(), 0) << "migrations must apply once";
  store.reset_mailbox_state("INBOX", 77, 0);
  mailgate::storage::RegistrationSettings settings;  // УПК-{year}-{seq:06}, Europe/Moscow

  std::vector<Incoming> batch;
  for (std::uint32_t uid = 1; uid <= 5; ++uid) {
    batch.push_back(incoming(uid, "2026-06-01T10:00:00"));
  }
  auto regs = store.register_batch("INBOX", 77, batch, settings);
  ASSERT_EQ(regs.size(), 5u);
  EXPECT_EQ(regs[0].regno, "УПК-2026-000001");
  EXPECT_EQ(regs[4].regno, "УПК-2026-000005");

  // 31 Dec 21:30 UTC is already 1 January in Moscow: the new year starts at 1.
  auto next = store.register_batch("INBOX", 77, {incoming(6, "2026-12-31T21:30:00")}, settings);
  EXPECT_EQ(next[0].regno, "УПК-2027-000001");
  // 31 Dec 20:30 UTC is still 2026 in Moscow.
  next = store.register_batch("INBOX", 77, {incoming(7, "2026-12-31T20:30:00")}, settings);
  EXPECT_EQ(next[0].regno, "УПК-2026-000006");
  next = store.register_batch("INBOX", 77, {incoming(8, "2027-01-02T09:00:00")}, settings);
  EXPECT_EQ(next[0].regno, "УПК-2027-000002");

  // The same message again is not registered twice and takes no number.
  next = store.register_batch("INBOX", 77, {incoming(3, "2026-06-01T10:00:00")}, settings);
  EXPECT_TRUE(next[0].regno.empty());
  auto after = store.register_batch("INBOX", 77, {incoming(9, "2026-06-02T10:00:00")}, settings);
  EXPECT_EQ(after[0].regno, "УПК-2026-000007") << "an idempotent repeat must not leave a gap";

  auto state = store.mailbox_state("INBOX");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->last_uid, 9u);
}

// Regression: `case list` and a starting daemon migrated at the same moment and one failed
// with a duplicate pg_type row from CREATE TABLE IF NOT EXISTS.
TEST(Registration, ConcurrentMigrationsBothSucceed) {
  Sandbox sb;
  for (int round = 0; round < 5; ++round) {
    sb.sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int i = 0; i < 4; ++i) {
      threads.emplace_back([&] {
        try {
          Store store(sb.env("PGURL"), "");
          store.migrate();
        } catch (const std::exception& e) {
          ++failures;
          std::cerr << e.what() << "\n";
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
  }
}

TEST(Registration, RefusedBatchRollsBackWithoutGaps) {
  Sandbox sb;
  Store store(sb.env("PGURL"), "");
  store.migrate();
  store.reset_mailbox_state("INBOX", 1, 0);
  mailgate::storage::RegistrationSettings settings;
  settings.pattern = "ЛО-УПК-{year}-{seq:06}";
  store.register_batch("INBOX", 1, {incoming(1, "2026-03-01T10:00:00")}, settings);
  // A registration that fails inside its transaction (here: an unknown time zone) must
  // leave neither a message nor a used number behind.
  auto bad = settings;
  bad.timezone = "No/Such_Zone";
  EXPECT_THROW(store.register_batch("INBOX", 1, {incoming(2, "2026-03-01T10:00:00")}, bad),
               mailgate::storage::StoreError);
  auto ok = store.register_batch("INBOX", 1, {incoming(2, "2026-03-01T10:00:00")}, settings);
  EXPECT_EQ(ok[0].regno, "ЛО-УПК-2026-000002");
  auto rows = sb.sql("SELECT count(*) FROM messages");
  EXPECT_EQ(rows[0][0], "2");
}

TEST(Registration, TextThatPostgresRefusesIsCleaned) {
  Sandbox sb;
  Store store(sb.env("PGURL"), "");
  store.migrate();
  store.reset_mailbox_state("INBOX", 1, 0);
  auto in = incoming(1, "2026-03-01T10:00:00");
  static const char kBad[] = "bad\0nul \xff\xfe byte";
  in.parsed->subject = std::string(kBad, sizeof kBad - 1);
  in.parsed->date = "99999-01-01T00:00:00+03:00";
  auto regs = store.register_batch("INBOX", 1, {in}, {});
  EXPECT_FALSE(regs[0].regno.empty());
  auto rows = sb.sql("SELECT subject, sent_at IS NULL FROM messages");
  EXPECT_EQ(rows[0][0], "badnul \xEF\xBF\xBD\xEF\xBF\xBD byte");
  EXPECT_EQ(rows[0][1], "t");
}

}  // namespace
