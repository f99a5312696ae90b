// Issue 12, items 5-8, end to end in the sandbox: officers' commands by mail that must not
// run — without the second factor (a reply to an alert sent to that very officer, or a trusted
// DKIM pass), twice in one batch, replayed, or from an officer who does not run the case.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "harness.hpp"
#include "sink.hpp"

using mailgate::test::Sandbox;
using mailgate::test::Sent;
using mailgate::test::sent_to;
using mailgate::test::sink;

namespace {

const std::string kClient = "ivan@example.org";
const std::string kOfficer = "officer@sandbox.test";
const std::string kColleague = "colleague@sandbox.test";

struct Case {
  std::string regno;
  Sent alert;  // the officer's alert
};

void run_once(Sandbox& sb) {
  auto r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

Case open_case(Sandbox& sb, const std::string& id = "c1@example.org") {
  mailgate::test::deliver_texts(
      sb, {"From: Иван Петров <" + kClient + ">\r\nTo: work@sandbox.test\r\n" +
           "Subject: Вопрос о подарке\r\nMessage-ID: <" + id +
           ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           "Коллега подарил мне часы. Можно ли их оставить?\r\n"});
  run_once(sb);
  Case c;
  c.regno = sb.sql("SELECT regno FROM cases ORDER BY id DESC LIMIT 1")[0][0];
  auto alerts = sent_to(sink(sb), kOfficer);
  EXPECT_FALSE(alerts.empty());
  if (!alerts.empty()) c.alert = alerts.back();
  return c;
}

// The Received our MX writes on accepting a mail; Authentication-Results above it are its own.
std::string our_received(const Sandbox& sb) {
  return "Received: from arm.sandbox.test (arm.sandbox.test [192.0.2.10]) by " +
         sb.env("AUTHSERV_ID") + " with ESMTPS id 1; Tue, 8 Dec 2026 10:00:00 +0300\r\n";
}

// Our MX vouches for the organisation's servers only (SPF): the first factor, not the second.
std::string spf_only(const Sandbox& sb, const std::string& from) {
  return "Authentication-Results: " + sb.env("AUTHSERV_ID") + "; spf=pass smtp.mailfrom=" + from +
         "\r\n" + our_received(sb);
}

// Our MX verified the officer's domain's DKIM signature: both factors.
std::string dkim_pass(const Sandbox& sb) {
  return "Authentication-Results: " + sb.env("AUTHSERV_ID") +
         "; dkim=pass header.d=sandbox.test\r\n" + our_received(sb);
}

// A command mail about case `c`; `in_reply_to` empty: it names no mail of ours.
std::string command(const Case& c, const std::string& body, const std::string& auth,
                    const std::string& in_reply_to, const std::string& message_id,
                    const std::string& from = kOfficer) {
  return auth + "From: <" + from + ">\r\nTo: work@sandbox.test\r\nSubject: Re: [" + c.regno +
         "] Вопрос о подарке\r\n" +
         (in_reply_to.empty() ? "" : "In-Reply-To: " + in_reply_to + "\r\n") +
         "Message-ID: " + message_id +
         "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n";
}

std::string one(const Sandbox& sb, const std::string& query) { return sb.sql(query)[0][0]; }

std::string status(const Sandbox& sb, const Case& c) {
  return one(sb, "SELECT status FROM cases WHERE regno = '" + c.regno + "'");
}

int spoofing_flags(const Sandbox& sb) {
  return std::stoi(one(sb, "SELECT count(*) FROM cases WHERE 'suspected_spoofing' = ANY (flags)"));
}

const std::string kAnswer =
    "ОТВЕТ\r\nЧасы можно оставить, если они стоят меньше трёх тысяч рублей.";

}  // namespace

// Item 7 (a): vouched for by the organisation's servers (as before), but no reply to an alert
// of this officer and no DKIM pass: refused and handled as suspected spoofing.
TEST(HostileCommands, CommandWithoutTheOfficersAlertIsRefusedAsSpoofing) {
  Sandbox sb;
  Case c = open_case(sb);
  mailgate::test::deliver_texts(
      sb, {command(c, kAnswer, spf_only(sb, kOfficer), "", "<a1@sandbox.test>")});
  run_once(sb);
  EXPECT_EQ(status(sb, c), "registered");
  EXPECT_EQ(spoofing_flags(sb), 1);
  EXPECT_EQ(sent_to(sink(sb), kClient).size(), 1u);  // the acknowledgement only
  EXPECT_EQ(one(sb, "SELECT count(*) FROM executed_commands"), "0");
}

// Item 7 (b): the same, as a reply to the officer's own alert: carried out.
TEST(HostileCommands, ReplyToTheOfficersOwnAlertIsCarriedOut) {
  Sandbox sb;
  Case c = open_case(sb);
  ASSERT_FALSE(c.alert.message_id.empty());
  mailgate::test::deliver_texts(
      sb, {command(c, kAnswer, spf_only(sb, kOfficer), c.alert.message_id, "<b1@sandbox.test>")});
  run_once(sb);
  EXPECT_EQ(status(sb, c), "answered");
  EXPECT_EQ(spoofing_flags(sb), 0);
  EXPECT_EQ(sent_to(sink(sb), kClient).size(), 2u);
}

// Item 7 (c): a colleague answering the officer's alert (forwarded to them, say): the token
// names the officer, not the colleague.
TEST(HostileCommands, ReplyToAnotherOfficersAlertIsRefused) {
  Sandbox sb;
  Case c = open_case(sb);
  mailgate::test::deliver_texts(sb, {command(c, kAnswer, spf_only(sb, kColleague),
                                             c.alert.message_id, "<c1@sandbox.test>", kColleague)});
  run_once(sb);
  EXPECT_EQ(status(sb, c), "registered");
  EXPECT_EQ(spoofing_flags(sb), 1);
  EXPECT_EQ(sent_to(sink(sb), kClient).size(), 1u);
  EXPECT_TRUE(sent_to(sink(sb), kColleague).empty());
}

// Item 7 (d): a DKIM pass under our authserv-id, but below the Received our MX wrote: the
// sender wrote it, so it vouches for nothing.
TEST(HostileCommands, AuthenticationResultsBelowOurReceivedAreNotTrusted) {
  Sandbox sb;
  Case c = open_case(sb);
  std::string forged = our_received(sb) + "Authentication-Results: " + sb.env("AUTHSERV_ID") +
                       "; dkim=pass header.d=sandbox.test; spf=pass "
                       "smtp.mailfrom=officer@sandbox.test\r\n";
  mailgate::test::deliver_texts(sb, {command(c, kAnswer, forged, "", "<d1@sandbox.test>")});
  run_once(sb);
  EXPECT_EQ(status(sb, c), "registered");
  EXPECT_EQ(spoofing_flags(sb), 1);
  EXPECT_EQ(sent_to(sink(sb), kClient).size(), 1u);
  // The same verdict above our Received is our MX's own: a DKIM pass is the second factor.
  mailgate::test::deliver_texts(sb, {command(c, kAnswer, dkim_pass(sb), "", "<d2@sandbox.test>")});
  run_once(sb);
  EXPECT_EQ(status(sb, c), "answered");
}

// Item 5: an answer and a refusal for one case in one batch: the client gets one of them, the
// officer an error mail for the other.
TEST(HostileCommands, AnswerAndRefusalInOneBatchOnlyTheFirstRuns) {
  Sandbox sb;
  Case c = open_case(sb);
  const std::string refusal =
      "ОТКАЗ\r\nМы не можем ответить на этот вопрос.\r\n\r\nПричина: в письме нет вопроса, "
      "только угрозы сотруднику. На такие письма закон разрешает не отвечать (ст. 11 "
      "Федерального закона № 59-ФЗ).";
  mailgate::test::deliver_texts(
      sb, {command(c, kAnswer, dkim_pass(sb), c.alert.message_id, "<e1@sandbox.test>"),
           command(c, refusal, dkim_pass(sb), c.alert.message_id, "<e2@sandbox.test>")});
  run_once(sb);
  EXPECT_EQ(status(sb, c), "answered");
  auto client = sent_to(sink(sb), kClient);
  ASSERT_EQ(client.size(), 2u);  // the acknowledgement and the answer, no refusal
  EXPECT_NE(client[1].mail.text.find("Часы можно оставить"), std::string::npos);
  auto officer = sent_to(sink(sb), kOfficer);
  ASSERT_EQ(officer.size(), 3u);  // the alert, the confirmation, the error (in either order)
  bool told = false;
  for (const auto& m : officer) told = told || m.mail.text.find("уже закрыто") != std::string::npos;
  EXPECT_TRUE(told) << officer[1].mail.text << "\n---\n" << officer[2].mail.text;
  EXPECT_EQ(one(sb, "SELECT count(*) FROM case_events WHERE kind IN ('answer', 'refuse')"), "1");
}

// Item 5: two extensions in one batch: one is granted (the limit is one), and the deadline the
// case was registered with stays the original one.
TEST(HostileCommands, TwoExtensionsInOneBatchExtendOnce) {
  Sandbox sb;
  Case c = open_case(sb);
  std::string first = one(sb, "SELECT deadline FROM cases");
  mailgate::test::deliver_texts(
      sb, {command(c, "ПРОДЛЕНИЕ 10\r\nНужен ответ другого ведомства.", dkim_pass(sb),
                   c.alert.message_id, "<f1@sandbox.test>"),
           command(c, "ПРОДЛЕНИЕ 20\r\nЕщё подождите.", dkim_pass(sb), c.alert.message_id,
                   "<f2@sandbox.test>")});
  run_once(sb);
  EXPECT_EQ(sb.sql("SELECT extended_days, original_deadline = '" + first +
                   "'::timestamptz, deadline - original_deadline FROM cases")[0],
            (std::vector<std::string>{"10", "t", "10 days"}));
  EXPECT_EQ(one(sb, "SELECT count(*) FROM case_events WHERE kind = 'extend'"), "1");
  auto officer = sent_to(sink(sb), kOfficer);
  ASSERT_EQ(officer.size(), 3u);  // the alert, the confirmation, the refusal of the second
}

// Item 6: the same command mail delivered twice in one batch, again in a later pass, and
// re-sent with a new Message-ID: carried out once.
TEST(HostileCommands, ReplayedCommandRunsOnce) {
  Sandbox sb;
  Case c = open_case(sb);
  // A question to the client leaves the case open to commands, so only the replay check
  // stands between a replay and a second question.
  std::string question = command(c, "УТОЧНЕНИЕ\r\nСколько стоят часы?", dkim_pass(sb),
                                 c.alert.message_id, "<g1@sandbox.test>");
  mailgate::test::deliver_texts(sb, {question, question});
  run_once(sb);
  EXPECT_EQ(status(sb, c), "waiting_client");
  EXPECT_EQ(sent_to(sink(sb), kClient).size(), 2u);  // the acknowledgement and one question
  mailgate::test::deliver_texts(sb, {question});
  run_once(sb);
  std::string resent = command(c, "УТОЧНЕНИЕ\r\n  Сколько стоят   часы?\r\n", dkim_pass(sb),
                               c.alert.message_id, "<g2@sandbox.test>");
  mailgate::test::deliver_texts(sb, {resent});
  run_once(sb);
  EXPECT_EQ(sent_to(sink(sb), kClient).size(), 2u);
  EXPECT_EQ(one(sb, "SELECT count(*) FROM executed_commands"), "1");
  EXPECT_EQ(one(sb, "SELECT count(*) FROM case_events WHERE kind = 'clarify'"), "1");
  EXPECT_EQ(one(sb, "SELECT count(*) FROM messages"), "5");  // every letter is registered
  EXPECT_EQ(one(sb, "SELECT 'replayed_command' = ANY (flags) FROM cases"), "t");
  // The officer hears once for each replay that it was not carried out again.
  auto officer = sent_to(sink(sb), kOfficer);
  ASSERT_EQ(officer.size(), 5u);  // alert, confirmation, three notes
  EXPECT_NE(officer[4].mail.text.find("уже выполнена"), std::string::npos) << officer[4].mail.text;
}

// Item 8: a colleague of the same unit, with a valid DKIM pass, may not act on the officer's
// case: a clear refusal. With anyone_in_unit = true for the unit, they may.
TEST(HostileCommands, OnlyTheCasesOfficerOrHeadMayActUnlessTheUnitAllowsAnyone) {
  Sandbox sb;
  Case c = open_case(sb);
  std::string dkim_colleague = dkim_pass(sb);
  mailgate::test::deliver_texts(
      sb, {command(c, kAnswer, dkim_colleague, "", "<h1@sandbox.test>", kColleague)});
  run_once(sb);
  EXPECT_EQ(status(sb, c), "registered");
  EXPECT_EQ(spoofing_flags(sb), 0);
  EXPECT_EQ(sent_to(sink(sb), kClient).size(), 1u);
  auto refusal = sent_to(sink(sb), kColleague);
  ASSERT_EQ(refusal.size(), 1u);
  EXPECT_NE(refusal[0].mail.text.find("вы не ведёте дело"), std::string::npos)
      << refusal[0].mail.text;

  // The unit lets any of its officers act.
  std::ifstream in(sb.config());
  std::stringstream text;
  text << in.rdbuf();
  std::string config = text.str();
  std::string head = "head_email = \"head@sandbox.test\"\n";
  auto at = config.find(head);
  ASSERT_NE(at, std::string::npos);
  config.insert(at + head.size(), "anyone_in_unit = true\n");
  std::ofstream(sb.config()) << config;
  mailgate::test::deliver_texts(
      sb, {command(c, kAnswer, dkim_colleague, "", "<h2@sandbox.test>", kColleague)});
  run_once(sb);
  EXPECT_EQ(status(sb, c), "answered");
  EXPECT_EQ(sent_to(sink(sb), kClient).size(), 2u);
}
