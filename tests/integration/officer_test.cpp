// Officers run a case by mail, end to end in the sandbox: a client writes, the officer gets
// the alert and replies with a command; the daemon checks who sent it, carries it out, and
// the sink and the database show what happened.

#include <gtest/gtest.h>

#include <regex>

#include "harness.hpp"
#include "sink.hpp"

using mailgate::test::header;
using mailgate::test::Sandbox;
using mailgate::test::Sent;
using mailgate::test::sent_to;
using mailgate::test::sink;

namespace {

const std::string kClient = "ivan@example.org";
const std::string kSecond = "second@example.org";

struct Case {
  std::string regno;
  Sent alert;  // the officer's alert
};

// A client's letter asking for a second channel; returns the case and the officer's alert.
// The client's own domain vouches for the letter (a trusted dkim=pass), so the channel takes
// effect at once instead of waiting for the client's confirmation (issue 12, item 3).
Case open_case(Sandbox& sb, const std::string& id = "c1@example.org") {
  mailgate::test::deliver_texts(
      sb, {mailgate::test::mta_pass(sb, "example.org") + "From: Иван Петров <" + kClient +
           ">\r\nTo: work@sandbox.test\r\n"
           "Subject: Вопрос о подарке\r\nMessage-ID: <" +
           id +
           ">\r\n"
           "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           "Коллега подарил мне часы. Можно ли их оставить?\r\n"
           "Дополнительный канал: " +
           kSecond + "\r\n"});
  auto r = sb.mailgate({"run", "--once"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  Case c;
  c.regno = sb.sql("SELECT regno FROM cases ORDER BY id DESC LIMIT 1")[0][0];
  auto alerts = sent_to(sink(sb), sb.env("OFFICER_ADDRESS"));
  EXPECT_FALSE(alerts.empty());
  if (!alerts.empty()) c.alert = alerts.back();
  return c;
}

// The organisation's MTA vouches for the officer: its Authentication-Results on top, above
// the Received it wrote on accepting the mail (issue 12: below it they would be the sender's).
std::string vouched(const Sandbox& sb) {
  return "Authentication-Results: " + sb.env("AUTHSERV_ID") +
         "; dkim=pass header.d=sandbox.test; spf=pass smtp.mailfrom=officer@sandbox.test\r\n"
         "Received: from arm.sandbox.test (arm.sandbox.test [192.0.2.10]) by " +
         sb.env("AUTHSERV_ID") + " with ESMTPS id 1; Tue, 8 Dec 2026 10:00:00 +0300\r\n";
}

// The officer's reply to the alert.
std::string reply(const Sandbox& /*sb*/, const Case& c, const std::string& body,
                  const std::string& auth, const std::string& from = "officer@sandbox.test",
                  const std::string& id = "") {
  static int n = 0;
  std::string message_id = id.empty() ? "<cmd" + std::to_string(++n) + "@sandbox.test>" : id;
  return auth + "From: Исполнитель <" + from + ">\r\nTo: work@sandbox.test\r\n" +
         "Subject: Re: " + c.alert.mail.subject + "\r\nIn-Reply-To: " + c.alert.message_id +
         "\r\nMessage-ID: " + message_id +
         "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n";
}

std::string status(const Sandbox& sb, const std::string& regno) {
  return sb.sql("SELECT status FROM cases WHERE regno = '" + regno + "'")[0][0];
}

void run_once(Sandbox& sb) {
  auto r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

std::vector<Sent> with_subject(const std::vector<Sent>& all, const std::string& part) {
  std::vector<Sent> out;
  for (const auto& s : all) {
    if (s.mail.subject.find(part) != std::string::npos) out.push_back(s);
  }
  return out;
}

}  // namespace

TEST(Officer, AnswerByMailReachesBothChannelsWithoutQuoteOrSignature) {
  Sandbox sb;
  Case c = open_case(sb);
  ASSERT_FALSE(c.alert.message_id.empty());
  EXPECT_EQ(c.alert.mail.reply_to.at(0).address, "work@sandbox.test");
  EXPECT_NE(c.alert.mail.subject.find("[" + c.regno + "]"), std::string::npos);
  EXPECT_NE(c.alert.mail.text.find("ОТВЕТ"), std::string::npos) << "no command reminder";

  mailgate::test::deliver_texts(
      sb, {reply(sb, c,
                 "ОТВЕТ\r\nЧасы можно оставить, если они стоят не больше трёх тысяч рублей.\r\n"
                 "\r\n-- \r\nИсполнитель, отдел профилактики\r\n\r\n> старое письмо\r\n",
                 vouched(sb))});
  run_once(sb);
  EXPECT_EQ(status(sb, c.regno), "answered");
  auto all = sink(sb);
  for (const auto& to : {kClient, kSecond}) {
    auto answers = with_subject(sent_to(all, to), "[" + c.regno + "]");
    ASSERT_EQ(answers.size(), 2u) << to;  // the acknowledgement, then the answer
    const Sent& a = answers[1];
    EXPECT_NE(a.mail.text.find("Часы можно оставить"), std::string::npos) << a.mail.text;
    EXPECT_EQ(a.mail.text.find("старое письмо"), std::string::npos) << a.mail.text;
    EXPECT_EQ(a.mail.text.find("отдел профилактики\n"), std::string::npos) << a.mail.text;
  }
  // The officer is told what was sent where; the history records who and how.
  auto officer = sent_to(all, sb.env("OFFICER_ADDRESS"));
  ASSERT_EQ(officer.size(), 2u);
  EXPECT_NE(officer[1].mail.text.find(kSecond), std::string::npos) << officer[1].mail.text;
  auto ev = sb.sql(
      "SELECT detail->>'officer', detail->>'via', detail->>'command_message_id'"
      " FROM case_events WHERE kind = 'answer'");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0], (std::vector<std::string>{"officer", "mail", "<cmd1@sandbox.test>"}));

  // A command for a case that is already closed changes nothing and says so.
  mailgate::test::deliver_texts(sb, {reply(sb, c, "ОТВЕТ\r\nЕщё раз.", vouched(sb))});
  run_once(sb);
  all = sink(sb);
  EXPECT_EQ(with_subject(sent_to(all, kClient), "[" + c.regno + "]").size(), 2u);
  officer = sent_to(all, sb.env("OFFICER_ADDRESS"));
  ASSERT_EQ(officer.size(), 3u);
  EXPECT_NE(officer[2].mail.text.find("уже закрыто"), std::string::npos) << officer[2].mail.text;
  EXPECT_EQ(status(sb, c.regno), "answered");
}

TEST(Officer, RefusalGateThenAcceptedAfterTheFix) {
  Sandbox sb;
  Case c = open_case(sb);
  mailgate::test::deliver_texts(
      sb, {reply(sb, c,
                 "ОТКАЗ\r\nВаш вопрос рассмотрен.\r\n\r\nПричина: в соответствии с п. 3 ст. 11 "
                 "Федерального закона № 59-ФЗ.",
                 vouched(sb))});
  run_once(sb);
  EXPECT_EQ(status(sb, c.regno), "registered");
  auto all = sink(sb);
  EXPECT_EQ(sent_to(all, kClient).size(), 1u);  // only the acknowledgement
  auto officer = sent_to(all, sb.env("OFFICER_ADDRESS"));
  ASSERT_EQ(officer.size(), 2u);
  EXPECT_NE(officer[1].mail.text.find("только ссылкой на закон"), std::string::npos)
      << officer[1].mail.text;

  mailgate::test::deliver_texts(
      sb, {reply(sb, c,
                 "ОТКАЗ\r\nМы не можем ответить на этот вопрос.\r\n\r\nПричина: в письме нет "
                 "вопроса, только угрозы сотруднику. На такие письма закон разрешает не "
                 "отвечать (ст. 11 Федерального закона № 59-ФЗ).",
                 vouched(sb))});
  run_once(sb);
  EXPECT_EQ(status(sb, c.regno), "refused");
  all = sink(sb);
  ASSERT_EQ(sent_to(all, kClient).size(), 2u);
  ASSERT_EQ(sent_to(all, kSecond).size(), 2u);
  EXPECT_NE(sent_to(all, kClient)[1].mail.text.find("только угрозы"), std::string::npos);
}

TEST(Officer, ForwardingGoesToTheBodyAndTheClientOnBothChannels) {
  Sandbox sb;
  Case c = open_case(sb);
  mailgate::test::deliver_texts(
      sb, {reply(sb, c, "ПЕРЕАДРЕСАЦИЯ gitlo\r\nВопрос о трудовом договоре решает инспекция.",
                 vouched(sb))});
  run_once(sb);
  EXPECT_EQ(status(sb, c.regno), "forwarded");
  auto all = sink(sb);
  auto body = sent_to(all, "gitlo@example.org");
  ASSERT_EQ(body.size(), 1u);
  ASSERT_EQ(body[0].mail.attachments.size(), 1u);
  EXPECT_EQ(body[0].mail.attachments[0].content_type, "message/rfc822");
  EXPECT_NE(body[0].raw.find("c1@example.org"), std::string::npos);  // the original inside
  for (const auto& to : {kClient, kSecond}) {
    auto mine = sent_to(all, to);
    ASSERT_EQ(mine.size(), 2u) << to;
    EXPECT_NE(mine[1].mail.text.find("Государственная инспекция труда"), std::string::npos)
        << mine[1].mail.text;
    EXPECT_NE(mine[1].mail.text.find("gitlo@example.org"), std::string::npos);
  }
  EXPECT_EQ(sb.sql("SELECT forwarded_to, forwarded_at IS NOT NULL FROM cases")[0],
            (std::vector<std::string>{"gitlo", "t"}));
}

TEST(Officer, ExtensionOnceWithANotice) {
  Sandbox sb;
  Case c = open_case(sb);
  auto before = sb.sql("SELECT deadline FROM cases")[0][0];
  mailgate::test::deliver_texts(
      sb, {reply(sb, c, "ПРОДЛЕНИЕ 10\r\nНужен ответ другого ведомства.", vouched(sb))});
  run_once(sb);
  auto row = sb.sql("SELECT extended_days, original_deadline = '" + before +
                    "'::timestamptz, deadline - original_deadline FROM cases");
  EXPECT_EQ(row[0], (std::vector<std::string>{"10", "t", "10 days"}));
  auto all = sink(sb);
  for (const auto& to : {kClient, kSecond}) {
    auto mine = sent_to(all, to);
    ASSERT_EQ(mine.size(), 2u) << to;
    EXPECT_NE(mine[1].mail.text.find("Нужен ответ другого ведомства"), std::string::npos)
        << mine[1].mail.text;
  }
  // A second extension is refused.
  mailgate::test::deliver_texts(sb, {reply(sb, c, "ПРОДЛЕНИЕ 5\r\nЕщё подождите.", vouched(sb))});
  run_once(sb);
  EXPECT_EQ(sb.sql("SELECT extended_days FROM cases")[0][0], "10");
  EXPECT_EQ(sent_to(sink(sb), kClient).size(), 2u);
}

TEST(Officer, ClarificationRoundTrip) {
  Sandbox sb;
  Case c = open_case(sb);
  mailgate::test::deliver_texts(sb,
                                {reply(sb, c, "УТОЧНЕНИЕ\r\nСколько стоят часы?", vouched(sb))});
  run_once(sb);
  EXPECT_EQ(status(sb, c.regno), "waiting_client");
  auto question = sent_to(sink(sb), kClient).back();
  EXPECT_NE(question.mail.text.find("Сколько стоят часы?"), std::string::npos);
  // The client answers the question: it joins the case and the officer hears of it.
  mailgate::test::deliver_texts(
      sb, {"From: Иван Петров <" + kClient + ">\r\nTo: work@sandbox.test\r\nSubject: Re: " +
           question.mail.subject + "\r\nIn-Reply-To: " + question.message_id +
           "\r\nMessage-ID: <c2@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           "Около пяти тысяч рублей.\r\n"});
  run_once(sb);
  EXPECT_EQ(status(sb, c.regno), "registered");
  EXPECT_EQ(sb.sql("SELECT count(*) FROM cases")[0][0], "1");
  auto officer = sent_to(sink(sb), sb.env("OFFICER_ADDRESS"));
  ASSERT_EQ(officer.size(), 3u);  // alert, confirmation, the client's reply
  EXPECT_NE(officer[2].mail.text.find("Около пяти тысяч"), std::string::npos)
      << officer[2].mail.text;
}

TEST(Officer, HandOverAndCloseWithoutAnswer) {
  Sandbox sb;
  Case c = open_case(sb);
  mailgate::test::deliver_texts(
      sb, {reply(sb, c, "передать colleague\r\nПосмотри, пожалуйста.", vouched(sb))});
  run_once(sb);
  EXPECT_EQ(sb.sql("SELECT officer FROM cases")[0][0], "colleague");
  auto colleague = sent_to(sink(sb), "colleague@sandbox.test");
  ASSERT_EQ(colleague.size(), 1u);
  EXPECT_NE(colleague[0].mail.subject.find("[" + c.regno + "]"), std::string::npos);

  Case d = open_case(sb, "c9@example.org");
  d.alert = sent_to(sink(sb), sb.env("OFFICER_ADDRESS")).back();
  std::size_t before = sent_to(sink(sb), kClient).size();
  mailgate::test::deliver_texts(sb, {reply(sb, d, "БЕЗ ОТВЕТА anonymous", vouched(sb))});
  run_once(sb);
  EXPECT_EQ(status(sb, d.regno), "closed");
  EXPECT_EQ(sent_to(sink(sb), kClient).size(), before);  // nobody is told
  EXPECT_EQ(sb.sql("SELECT outcome FROM cases WHERE regno = '" + d.regno + "'")[0][0],
            "no_answer:anonymous");
}

// 59-FZ art. 11: an obscene, unreadable or repeated appeal is closed without an answer on
// the merits, and the client is told why on every channel (an anonymous one tells nobody:
// see above).
TEST(Officer, ClosingWithoutAnswerNoticesReachBothChannels) {
  Sandbox sb;
  const std::vector<std::pair<std::string, std::string>> closings = {
      {"obscene", "Мы не будем отвечать на ваше письмо по существу"},
      {"unreadable", "Мы не смогли прочитать ваше письмо"},
      {"repeat", "Переписка по вашему вопросу закончена"}};
  int n = 0;
  for (const auto& [reason, subject] : closings) {
    SCOPED_TRACE(reason);
    Case c = open_case(sb, "notice" + std::to_string(++n) + "@example.org");
    c.alert = sent_to(sink(sb), sb.env("OFFICER_ADDRESS")).back();
    mailgate::test::deliver_texts(sb, {reply(sb, c, "БЕЗ ОТВЕТА " + reason, vouched(sb))});
    run_once(sb);
    EXPECT_EQ(status(sb, c.regno), "closed");
    EXPECT_EQ(sb.sql("SELECT outcome FROM cases WHERE regno = '" + c.regno + "'")[0][0],
              "no_answer:" + reason);
    for (const auto& address : {kClient, kSecond}) {
      auto notices = with_subject(sent_to(sink(sb), address), subject);
      ASSERT_EQ(notices.size(), 1u) << address;
      const Sent& m = notices[0];
      EXPECT_NE(m.mail.subject.find("[" + c.regno + "]"), std::string::npos) << m.mail.subject;
      EXPECT_EQ(header(m, "Auto-Submitted"), "auto-generated");
      EXPECT_EQ(header(m, "In-Reply-To"), "<notice" + std::to_string(n) + "@example.org>");
      EXPECT_NE(m.mail.text.find(c.regno), std::string::npos) << m.mail.text;
    }
    // Recorded on the case with the channel of each delivery.
    EXPECT_EQ(sb.sql("SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id "
                     "WHERE c.regno = '" +
                     c.regno + "' AND e.kind = 'mail_sent' AND e.detail->>'kind' = 'notice_" +
                     reason + "'")[0][0],
              "2");
  }
}

TEST(Officer, UnknownCommandChangesNothing) {
  Sandbox sb;
  Case c = open_case(sb);
  mailgate::test::deliver_texts(sb, {reply(sb, c, "ОТВТ\r\nТекст.", vouched(sb))});
  run_once(sb);
  EXPECT_EQ(status(sb, c.regno), "registered");
  EXPECT_EQ(sent_to(sink(sb), kClient).size(), 1u);
  auto officer = sent_to(sink(sb), sb.env("OFFICER_ADDRESS"));
  ASSERT_EQ(officer.size(), 2u);
  EXPECT_NE(officer[1].mail.text.find("ОТВТ"), std::string::npos) << officer[1].mail.text;
  EXPECT_NE(officer[1].mail.text.find("ОТВЕТ"), std::string::npos);  // what to write
}

TEST(Officer, SpoofedCommandsAreRegisteredFlaggedAndNotObeyed) {
  Sandbox sb;
  Case c = open_case(sb);
  const std::string answer = "ОТВЕТ\r\nМожно оставить.";
  const std::string real_fail = "Authentication-Results: " + sb.env("AUTHSERV_ID") +
                                "; dkim=fail header.d=sandbox.test; spf=fail "
                                "smtp.mailfrom=officer@sandbox.test\r\n";
  const std::string forged_pass =
      "Authentication-Results: " + sb.env("AUTHSERV_ID") + "; dkim=pass header.d=sandbox.test\r\n";
  mailgate::test::deliver_texts(
      sb, {
              // a forged From with no Authentication-Results
              reply(sb, c, answer, ""),
              // a forged Authentication-Results placed below the real one
              reply(sb, c, answer, real_fail + "Received: from evil\r\n" + forged_pass),
              // dkim=fail
              reply(sb, c, answer, real_fail),
          });
  run_once(sb);
  EXPECT_EQ(status(sb, c.regno), "registered");
  EXPECT_EQ(sb.sql("SELECT count(*) FROM cases WHERE 'suspected_spoofing' = ANY (flags)")[0][0],
            "3");
  EXPECT_EQ(sent_to(sink(sb), kClient).size(), 1u);  // nothing but the acknowledgement
  EXPECT_TRUE(sent_to(sink(sb), "officer@sandbox.test").size() >= 1u);

  // A stranger quoting the tag: a new case that notes the link, no command.
  mailgate::test::deliver_texts(sb, {reply(sb, c, answer, "", "stranger@example.net")});
  run_once(sb);
  EXPECT_EQ(status(sb, c.regno), "registered");
  EXPECT_EQ(sb.sql("SELECT count(*) FROM cases WHERE 'linked:" + c.regno + "' = ANY (flags)")[0][0],
            "1");
  EXPECT_EQ(sent_to(sink(sb), kClient).size(), 1u);
}

TEST(Officer, AttachmentsOfTheOfficersMailGoToTheClient) {
  Sandbox sb;
  Case c = open_case(sb);
  std::string mail = vouched(sb) +
                     "From: Исполнитель <officer@sandbox.test>\r\nTo: work@sandbox.test\r\n"
                     "Subject: Re: " +
                     c.alert.mail.subject + "\r\nIn-Reply-To: " + c.alert.message_id +
                     "\r\nMessage-ID: <att1@sandbox.test>\r\nMIME-Version: 1.0\r\n"
                     "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                     "Content-Type: text/plain; charset=utf-8\r\n\r\nОТВЕТ\r\n"
                     "Памятка о подарках во вложении.\r\n--b\r\n"
                     "Content-Type: application/pdf; name=\"pamyatka.pdf\"\r\n"
                     "Content-Disposition: attachment; filename=\"pamyatka.pdf\"\r\n"
                     "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQgdGVzdA==\r\n--b--\r\n";
  mailgate::test::deliver_texts(sb, {mail});
  run_once(sb);
  EXPECT_EQ(status(sb, c.regno), "answered");
  for (const auto& to : {kClient, kSecond}) {
    auto mine = sent_to(sink(sb), to);
    ASSERT_EQ(mine.size(), 2u) << to;
    ASSERT_EQ(mine[1].mail.attachments.size(), 1u) << to;
    EXPECT_EQ(mine[1].mail.attachments[0].filename, "pamyatka.pdf");
    EXPECT_EQ(mine[1].mail.attachments[0].size, 13u);  // "%PDF-1.4 test"
    EXPECT_NE(mine[1].mail.text.find("Памятка о подарках"), std::string::npos);
  }
}
