// Issue 12, items 1, 2, 10, 11, 12, end to end on the sandbox's real servers: the attacks as
// the review made them, delivered to the work mailbox, then `mailgate run --once`, then the
// database and the SMTP sink are read.

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "harness.hpp"
#include "sink.hpp"

using mailgate::test::Sandbox;
using mailgate::test::Sent;
using mailgate::test::sent_to;
using mailgate::test::sink;

namespace {

std::string letter(const std::string& from, const std::string& id, const std::string& subject,
                   const std::string& body, const std::string& extra = "") {
  return extra + "From: " + from + "\r\nTo: work@sandbox.test\r\nSubject: " + subject +
         "\r\nMessage-ID: <" + id + ">\r\nDate: Mon, 07 Dec 2026 10:00:00 +0300\r\n" +
         "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n";
}

// A report the shipped rules mark urgent (a bribe).
std::string bribery(int n) {
  std::string a = "client" + std::to_string(n) + "@example.org";
  return letter("Клиент " + std::to_string(n) + " <" + a + ">", "b" + std::to_string(n) + "@x.org",
                "Взятка",
                "Начальник отдела требует взятку за выдачу разрешения. Прошу принять меры.");
}

void run_once(Sandbox& sb) {
  auto r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

std::string one(const Sandbox& sb, const std::string& query) {
  auto rows = sb.sql(query);
  return rows.empty() || rows[0].empty() ? "" : rows[0][0];
}

std::string flags_of(const Sandbox& sb, const std::string& from) {
  return one(sb,
             "SELECT array_to_string(c.flags, ',') FROM cases c JOIN messages m ON m.id = "
             "c.message_id WHERE m.from_address = '" +
                 from + "'");
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// The organisation's MTA vouches for the officer: its Authentication-Results on top.
std::string vouched(const Sandbox& sb) { return mailgate::test::mta_pass(sb, "sandbox.test"); }

}  // namespace

// Item 1: a forged officer letter whose Sender: is cut inside a character once threw in the
// batch plan and cost every letter of the batch its decision, acknowledgement and alert.
TEST(HostileBatch, OneLetterNeverSpoilsItsBatch) {
  Sandbox sb;
  mailgate::test::deliver_texts(sb, {letter("Иван <ivan@example.org>", "first@x.org", "Подарок",
                                            "Можно ли принять подарок от коллег?")});
  run_once(sb);
  std::string tag = one(sb, "SELECT regno FROM cases");
  ASSERT_FALSE(tag.empty());

  std::vector<std::string> batch;
  for (int i = 1; i <= 7; ++i) batch.push_back(bribery(i));
  std::string sender(79, 's');
  sender += "Ж";
  batch.push_back(letter("Исполнитель <officer@sandbox.test>", "bad@x.org", "Re: [" + tag + "]",
                         "ОТВЕТ\r\nПодарок можно оставить.", "Sender: " + sender + "\r\n"));
  for (int i = 8; i <= 10; ++i) batch.push_back(bribery(i));
  mailgate::test::deliver_texts(sb, batch);
  run_once(sb);

  EXPECT_EQ(one(sb, "SELECT count(*) FROM cases"), "12");  // the first case and all 11
  EXPECT_EQ(one(sb, "SELECT count(*) FROM messages"), "12");
  auto all = sink(sb);
  for (int i = 1; i <= 10; ++i) {
    std::string a = "client" + std::to_string(i) + "@example.org";
    SCOPED_TRACE(a);
    auto row = sb.sql(
        "SELECT c.urgency, c.deadline IS NOT NULL FROM cases c JOIN messages m ON m.id = "
        "c.message_id WHERE m.from_address = '" +
        a + "'");
    ASSERT_EQ(row.size(), 1u);
    EXPECT_EQ(row[0], (std::vector<std::string>{"urgent", "t"}));
    EXPECT_EQ(sent_to(all, a).size(), 1u) << "acknowledgement";
    EXPECT_EQ(one(sb,
                  "SELECT count(*) FROM outbox o JOIN cases c ON c.id = o.case_id JOIN "
                  "messages m ON m.id = c.message_id WHERE o.kind = 'officer_alert' AND "
                  "m.from_address = '" +
                      a + "'"),
              "1");
  }
  // The bad one: registered as an ordinary letter, flagged, nobody answered, the command not
  // carried out, the reason stored whole (valid UTF-8, cut by characters).
  EXPECT_EQ(flags_of(sb, "officer@sandbox.test"), "suspected_spoofing");
  EXPECT_EQ(one(sb, "SELECT status FROM cases WHERE regno = '" + tag + "'"), "registered");
  std::string reason =
      one(sb,
          "SELECT e.detail->>'suspected_spoofing' FROM case_events e JOIN cases c ON "
          "c.id = e.case_id JOIN messages m ON m.id = c.message_id WHERE m.from_address = "
          "'officer@sandbox.test'");
  EXPECT_NE(reason.find(sender), std::string::npos) << reason;
  // No acknowledgement went to the officer's address; only alerts (each about one letter).
  for (const Sent& s : sent_to(all, "officer@sandbox.test")) {
    EXPECT_NE(s.mail.subject.find("Новое письмо"), std::string::npos) << s.mail.subject;
  }
  EXPECT_EQ(sent_to(all, "officer@sandbox.test").size(), 1u + 11u) << "the first case and all 11";
}

// Item 1, the other half: a letter whose planning fails (forced by the test build's hook,
// since no real letter makes the planner throw any more) is registered, flagged plan_failed
// and alerted to the duty address (here: the unit's head); its batch-mates keep their plans.
TEST(HostileBatch, LetterWhosePlanFailsIsRegisteredFlaggedAndTheDutyAddressAlerted) {
  Sandbox sb;
  std::vector<std::string> batch;
  for (int i = 1; i <= 3; ++i) batch.push_back(bribery(i));
  batch.push_back(letter("Пётр <petr@example.org>", "fail@x.org", "Жалоба",
                         "Прошу проверить закупку. PLAN-FAIL-MARKER"));
  for (int i = 4; i <= 5; ++i) batch.push_back(bribery(i));
  mailgate::test::deliver_texts(sb, batch);
  auto r = sb.mailgate({"run", "--once"}, {{"MAILGATE_TEST_PLAN_FAIL_MARKER", "PLAN-FAIL-MARKER"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  EXPECT_EQ(one(sb, "SELECT count(*) FROM cases"), "6");
  EXPECT_EQ(flags_of(sb, "petr@example.org"), "plan_failed");
  auto all = sink(sb);
  EXPECT_TRUE(sent_to(all, "petr@example.org").empty()) << "nothing automatic on a failed plan";
  for (int i = 1; i <= 5; ++i) {
    std::string a = "client" + std::to_string(i) + "@example.org";
    SCOPED_TRACE(a);
    EXPECT_EQ(flags_of(sb, a), "");
    EXPECT_EQ(sent_to(all, a).size(), 1u) << "acknowledgement";
  }
  EXPECT_EQ(one(sb, "SELECT count(*) FROM outbox WHERE kind = 'officer_alert'"), "5");
  auto duty = sent_to(all, sb.env("HEAD_ADDRESS"));
  std::size_t failure_alerts = 0;
  for (const Sent& s : duty) {
    if (s.mail.subject.find("Письмо не удалось разобрать") == std::string::npos) continue;
    ++failure_alerts;
    EXPECT_NE(s.mail.text.find("test hook: planning fails for this letter"), std::string::npos)
        << s.mail.text;
  }
  EXPECT_EQ(failure_alerts, 1u);
}

// Item 2: "john..doe"@... and an over-long local part: registered, flagged, no client mail,
// but the officer is alerted.
TEST(HostileBatch, UnusableClientAddressStillAlertsTheOfficer) {
  Sandbox sb;
  std::string long_local(65, 'a');
  mailgate::test::deliver_texts(
      sb, {letter("\"john..doe\"@example.org", "q1@x.org", "Вопрос", "Можно ли принять подарок?"),
           letter(long_local + "@example.org", "q2@x.org", "Вопрос", "Можно ли принять подарок?")});
  run_once(sb);
  EXPECT_EQ(one(sb, "SELECT count(*) FROM cases"), "2");
  for (const auto& row : sb.sql("SELECT array_to_string(flags, ',') FROM cases")) {
    EXPECT_EQ(row[0], "no_address");
  }
  auto all = sink(sb);
  EXPECT_EQ(sent_to(all, sb.env("OFFICER_ADDRESS")).size(), 2u);
  EXPECT_EQ(one(sb, "SELECT count(*) FROM outbox WHERE kind = 'acknowledgement'"), "0");
  EXPECT_EQ(all.size(), 2u);
}

// Item 2: a typo in the "Дополнительный канал:" line is refused and the client is told.
TEST(HostileBatch, MalformedAdditionalChannelIsRefusedWithANote) {
  Sandbox sb;
  mailgate::test::deliver_texts(
      sb, {letter("Иван <ivan@example.org>", "q1@x.org", "Вопрос",
                  "Можно ли принять подарок?\r\nДополнительный канал: x..y@example.org")});
  run_once(sb);
  auto all = sink(sb);
  auto acks = sent_to(all, "ivan@example.org");
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_NE(acks[0].mail.text.find("x..y@example.org"), std::string::npos) << acks[0].mail.text;
  EXPECT_NE(acks[0].mail.text.find("В этих адресах ошибка"), std::string::npos);
  EXPECT_TRUE(sent_to(all, "x..y@example.org").empty());
  EXPECT_EQ(one(sb, "SELECT count(*) FROM case_channels"), "1");
  EXPECT_EQ(sent_to(all, sb.env("OFFICER_ADDRESS")).size(), 1u);
}

// Item 2: a case whose stored client address the rule refuses (the old daemon accepted it):
// the officer's command by mail and `case answer` still work for the good channel, and the
// officer is told the bad one got nothing.
TEST(HostileBatch, CaseWithAnUnusableStoredAddressStillTakesCommands) {
  Sandbox sb;
  auto open = [&](const std::string& id) {
    mailgate::test::deliver_texts(
        sb, {letter("Иван <ivan@example.org>", id, "Вопрос",
                    "Можно ли принять подарок?\r\nДополнительный канал: second@example.org",
                    // the client's domain vouches: the second channel counts at once
                    mailgate::test::mta_pass(sb, "example.org"))});
    run_once(sb);
  };
  open("o1@x.org");
  open("o2@x.org");
  auto regnos = sb.sql("SELECT regno FROM cases ORDER BY id");
  ASSERT_EQ(regnos.size(), 2u);
  sb.sql(
      "UPDATE case_channels SET address = 'john..doe@example.org' WHERE address = "
      "'ivan@example.org'");
  sb.sql("UPDATE messages SET from_address = 'john..doe@example.org'");

  auto alerts = sent_to(sink(sb), sb.env("OFFICER_ADDRESS"));
  ASSERT_EQ(alerts.size(), 2u);
  const Sent& alert = alerts[0];
  mailgate::test::deliver_texts(
      sb, {vouched(sb) + "From: Исполнитель <officer@sandbox.test>\r\nTo: work@sandbox.test\r\n" +
           "Subject: Re: " + alert.mail.subject + "\r\nIn-Reply-To: " + alert.message_id +
           "\r\nMessage-ID: <cmd1@sandbox.test>\r\nMIME-Version: 1.0\r\n" +
           "Content-Type: text/plain; charset=utf-8\r\n\r\nОТВЕТ\r\nПодарок можно оставить, "
           "если он стоит не больше трёх тысяч рублей.\r\n"});
  run_once(sb);
  EXPECT_EQ(one(sb, "SELECT status FROM cases WHERE regno = '" + regnos[0][0] + "'"), "answered");
  auto all = sink(sb);
  EXPECT_EQ(sent_to(all, "second@example.org").size(), 3u) << "two acknowledgements, the answer";
  EXPECT_TRUE(sent_to(all, "john..doe@example.org").empty());
  auto officer = sent_to(all, sb.env("OFFICER_ADDRESS"));
  ASSERT_EQ(officer.size(), 3u);
  EXPECT_NE(officer[2].mail.text.find("john..doe@example.org записан с ошибкой"), std::string::npos)
      << officer[2].mail.text;

  std::ofstream(sb.dir() / "answer.txt")
      << "Подарок можно оставить, если он стоит не больше трёх тысяч рублей.\n";
  auto r = sb.mailgate({"case", "answer", regnos[1][0], "--file",
                        (sb.dir() / "answer.txt").string(), "--as", "officer"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(one(sb, "SELECT status FROM cases WHERE regno = '" + regnos[1][0] + "'"), "answered");
  run_once(sb);
  all = sink(sb);
  EXPECT_EQ(sent_to(all, "second@example.org").size(), 4u);
  EXPECT_TRUE(sent_to(all, "john..doe@example.org").empty());
}

// Item 12: mail From the office's own address is registered and flagged, never acknowledged.
TEST(HostileBatch, OfficesOwnAddressIsNeverAcknowledged) {
  Sandbox sb;
  mailgate::test::deliver_texts(
      sb, {letter("Приёмная <work@sandbox.test>", "own1@x.org", "Вопрос", "Проверка связи."),
           letter("Иван <ivan@example.org>", "own2@x.org", "Вопрос", "Проверка связи.",
                  "Reply-To: work@sandbox.test\r\n")});
  run_once(sb);
  EXPECT_EQ(one(sb, "SELECT count(*) FROM cases"), "2");
  // The first is the office's own letter; the second only names the office as Reply-To, which
  // is no channel (issue 12, item 4): its From is acknowledged, the office never.
  auto flags = sb.sql("SELECT array_to_string(flags, ',') FROM cases ORDER BY id");
  EXPECT_EQ(flags[0][0], "from_office");
  EXPECT_EQ(one(sb, "SELECT count(*) FROM outbox WHERE kind = 'acknowledgement'"), "1");
  EXPECT_EQ(sent_to(sink(sb), "ivan@example.org").size(), 1u);
  EXPECT_TRUE(sent_to(sink(sb), "work@sandbox.test").empty());
}

// Item 11: X-Auto-Response-Suppress stops only the acknowledgement; staff alerts have their
// own per-sender cap (20 an hour by default).
TEST(HostileBatch, AutoResponseSuppressStopsOnlyTheAcknowledgement) {
  Sandbox sb;
  mailgate::test::deliver_texts(sb, {letter("Иван <ivan@example.org>", "s1@x.org", "Взятка",
                                            "Начальник отдела требует взятку. Прошу принять меры.",
                                            "X-Auto-Response-Suppress: All\r\n")});
  run_once(sb);
  auto all = sink(sb);
  EXPECT_TRUE(sent_to(all, "ivan@example.org").empty());
  EXPECT_EQ(sent_to(all, sb.env("OFFICER_ADDRESS")).size(), 1u);
  EXPECT_EQ(one(sb, "SELECT array_to_string(flags, ',') FROM cases"), "ack_suppressed_by_sender");
}

TEST(HostileBatch, StaffAlertsAreRateLimitedPerSender) {
  Sandbox sb;
  std::vector<std::string> batch;
  for (int i = 0; i < 21; ++i) {
    batch.push_back(letter("Иван <ivan@example.org>", "r" + std::to_string(i) + "@x.org",
                           "Вопрос " + std::to_string(i), "Можно ли принять подарок?"));
  }
  batch.push_back(letter("Ольга <olga@example.org>", "olga@x.org", "Вопрос", "Можно ли?"));
  mailgate::test::deliver_texts(sb, batch);
  run_once(sb);
  EXPECT_EQ(one(sb, "SELECT count(*) FROM cases"), "22");
  EXPECT_EQ(one(sb, "SELECT count(*) FROM outbox WHERE kind = 'officer_alert'"), "21");
  EXPECT_EQ(one(sb, "SELECT count(*) FROM cases WHERE 'alert_rate_limited' = ANY (flags)"), "1");
  EXPECT_EQ(flags_of(sb, "olga@example.org"), "");
  // Next run: the cap counts the hour's alerts in the database too.
  mailgate::test::deliver_texts(
      sb, {letter("Иван <ivan@example.org>", "r99@x.org", "Ещё", "Можно ли принять подарок?")});
  run_once(sb);
  EXPECT_EQ(one(sb, "SELECT count(*) FROM outbox WHERE kind = 'officer_alert'"), "21");
}

// Item 10: the alert about a suspected forged officer letter says so in its first line.
TEST(HostileBatch, SuspectedSpoofingAlertSaysSoFirst) {
  Sandbox sb;
  mailgate::test::deliver_texts(sb, {letter("Иван <ivan@example.org>", "first@x.org", "Подарок",
                                            "Можно ли принять подарок от коллег?")});
  run_once(sb);
  std::string tag = one(sb, "SELECT regno FROM cases");
  mailgate::test::deliver_texts(sb, {letter("Исполнитель <officer@sandbox.test>", "forged@x.org",
                                            "Re: [" + tag + "]", "ОТКАЗ\r\nОтказать.")});
  run_once(sb);
  auto alerts = sent_to(sink(sb), sb.env("OFFICER_ADDRESS"));
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(first_line(alerts[0].mail.text).rfind("Здравствуйте", 0), 0u);
  std::string first = first_line(alerts[1].mail.text);
  EXPECT_EQ(first.rfind("Внимание: письмо пришло с адреса сотрудника", 0), 0u) << first;
  EXPECT_NE(first.find("Команды из него не выполнены"), std::string::npos) << first;
  EXPECT_EQ(one(sb, "SELECT status FROM cases WHERE regno = '" + tag + "'"), "registered");
}
