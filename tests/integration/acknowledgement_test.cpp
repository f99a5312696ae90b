// Acknowledgements, channels, follow-ups, delivery failures and loop safety, end to end:
// client mail delivered to the sandbox's work mailbox, `mailgate run --once`, then the SMTP
// sink and the database are read.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "harness.hpp"
#include "mail/parse.hpp"
#include "sink.hpp"

using mailgate::test::Sandbox;

namespace {

using mailgate::test::header;
using mailgate::test::Sent;
using mailgate::test::sent_to;
using mailgate::test::sink;

void deliver(Sandbox& sb, const std::vector<std::string>& messages) {
  mailgate::test::deliver_texts(sb, messages);
}

std::string client_mail(const std::string& from, const std::string& id, const std::string& subject,
                        const std::string& body, const std::string& extra_headers = "") {
  return "From: Иван Петров <" + from + ">\r\nTo: work@sandbox.test\r\nSubject: " + subject +
         "\r\nMessage-ID: <" + id + ">\r\nDate: Wed, 25 Nov 2026 10:00:00 +0300\r\n" +
         extra_headers + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
         body + "\r\n";
}

}  // namespace

TEST(Acknowledgement, ReachesBothChannelsWithNumberDeadlineAndHeaders) {
  Sandbox sb;
  // The client's own domain vouches for the letter (a trusted dkim=pass), so the requested
  // channel counts at once; without it, it would wait for confirmation (HostileChannels).
  deliver(sb, {client_mail("ivan@example.org", "q1@example.org", "Вопрос о подарке",
                           "Можно ли принять подарок?\r\nДополнительный канал: "
                           "Second@Example.org",
                           mailgate::test::mta_pass(sb, "example.org"))});
  auto r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto regno = sb.sql("SELECT regno FROM cases")[0][0];
  auto all = sink(sb);
  auto primary = sent_to(all, "ivan@example.org");
  auto second = sent_to(all, "second@example.org");
  ASSERT_EQ(primary.size(), 1u) << r.err;
  ASSERT_EQ(second.size(), 1u);
  const Sent& ack = primary[0];
  EXPECT_EQ(ack.from, "work@sandbox.test");
  EXPECT_NE(ack.mail.subject.find("[" + regno + "]"), std::string::npos) << ack.mail.subject;
  EXPECT_EQ(header(ack, "Auto-Submitted"), "auto-replied");
  EXPECT_EQ(ack.mail.in_reply_to.value_or(""), "<q1@example.org>");
  EXPECT_NE(header(ack, "X-Mailgate-Loop"), "");
  EXPECT_TRUE(ack.mail.date.has_value());
  EXPECT_NE(ack.mail.text.find(regno), std::string::npos);
  EXPECT_NE(ack.mail.text.find("Мы ответим вам до "), std::string::npos) << ack.mail.text;
  EXPECT_NE(ack.mail.text.find("Суворовский"), std::string::npos);
  // Each channel is its own delivery, recorded on the case.
  EXPECT_NE(ack.message_id, second[0].message_id);
  auto sent = sb.sql(
      "SELECT channel, recipient, status FROM outbox WHERE kind = 'acknowledgement'"
      " ORDER BY channel DESC");
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0], (std::vector<std::string>{"primary", "ivan@example.org", "sent"}));
  EXPECT_EQ(sent[1], (std::vector<std::string>{"additional", "second@example.org", "sent"}));
  EXPECT_EQ(sb.sql("SELECT count(*) FROM case_events WHERE kind = 'mail_sent'")[0][0], "3");
  // The officer is alerted, with the office as Reply-To.
  auto officer = sent_to(all, sb.env("OFFICER_ADDRESS"));
  ASSERT_EQ(officer.size(), 1u);
  EXPECT_EQ(header(officer[0], "Auto-Submitted"), "auto-generated");
  ASSERT_EQ(officer[0].mail.reply_to.size(), 1u);
  EXPECT_EQ(officer[0].mail.reply_to[0].address, "work@sandbox.test");

  // A reply to the acknowledgement joins the case and alerts the officer again.
  deliver(sb, {client_mail("ivan@example.org", "q2@example.org", "Re: " + ack.mail.subject,
                           "Дополняю вопрос.", "In-Reply-To: " + ack.message_id + "\r\n")});
  r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(sb.sql("SELECT count(*) FROM cases")[0][0], "1");
  EXPECT_EQ(sb.sql("SELECT count(*) FROM messages WHERE case_id IS NOT NULL")[0][0], "1");
  EXPECT_EQ(sb.sql("SELECT count(*) FROM case_events WHERE kind = 'follow_up'")[0][0], "1");
  EXPECT_EQ(sent_to(sink(sb), sb.env("OFFICER_ADDRESS")).size(), 2u);
  EXPECT_EQ(sent_to(sink(sb), "ivan@example.org").size(), 1u);  // no second acknowledgement

  // The same tag quoted by a stranger opens a new case that notes the link.
  deliver(sb, {client_mail("stranger@example.net", "q3@example.net", "Fwd: " + ack.mail.subject,
                           "Пересылаю.")});
  r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto linked =
      sb.sql("SELECT array_to_string(flags, ',') FROM cases WHERE regno <> '" + regno + "'");
  ASSERT_EQ(linked.size(), 1u);
  EXPECT_EQ(linked[0][0], "linked:" + regno);
  EXPECT_EQ(sent_to(sink(sb), "stranger@example.net").size(), 1u);
}

TEST(Acknowledgement, PermanentFailureIsRecordedAndTheOfficerAlerted) {
  Sandbox sb;
  deliver(sb, {client_mail("reject5x@example.org", "f1@example.org", "Вопрос", "Текст.")});
  auto r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto rows = sb.sql("SELECT status, last_error FROM outbox WHERE kind = 'acknowledgement'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "failed");
  EXPECT_NE(rows[0][1].find("550"), std::string::npos) << rows[0][1];
  EXPECT_EQ(sb.sql("SELECT count(*) FROM case_events WHERE kind = 'mail_failed'")[0][0], "1");
  EXPECT_EQ(sb.sql("SELECT count(*) FROM suppressed_addresses WHERE address ="
                   " 'reject5x@example.org' AND until > now() + interval '59 days'")[0][0],
            "1");
  auto alerts = sb.sql("SELECT status FROM outbox WHERE kind = 'delivery_failure_alert'");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0][0], "sent");
  auto officer = sent_to(sink(sb), sb.env("OFFICER_ADDRESS"));
  // The new-case alert and the failure alert (sending threads may deliver them in either order).
  ASSERT_EQ(officer.size(), 2u);
  EXPECT_EQ(std::count_if(officer.begin(), officer.end(),
                          [](const Sent& s) {
                            return s.mail.text.find("reject5x@example.org") != std::string::npos &&
                                   s.mail.subject.find("Новое письмо") == std::string::npos;
                          }),
            1);

  // The address gets no automatic mail now.
  deliver(sb, {client_mail("reject5x@example.org", "f2@example.org", "Ещё вопрос", "Текст.")});
  r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(sb.sql("SELECT count(*) FROM outbox WHERE kind = 'acknowledgement'")[0][0], "1");
  EXPECT_EQ(sb.sql("SELECT count(*) FROM cases WHERE 'ack_suppressed' = ANY (flags)")[0][0], "1");
}

TEST(Acknowledgement, TemporaryFailureThenSuccessDeliversExactlyOnce) {
  Sandbox sb;
  deliver(sb, {client_mail("tempfail1@example.org", "t1@example.org", "Вопрос", "Текст.")});
  auto r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto row = sb.sql("SELECT status, attempts FROM outbox WHERE kind = 'acknowledgement'");
  ASSERT_EQ(row.size(), 1u);
  EXPECT_EQ(row[0], (std::vector<std::string>{"pending", "1"}));
  EXPECT_TRUE(sent_to(sink(sb), "tempfail1@example.org").empty());
  // The sandbox's backoff is 1-5 s; run again until it is due and sent.
  for (int i = 0; i < 30; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    r = sb.mailgate({"run", "--once"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    if (sb.sql("SELECT status FROM outbox WHERE kind = 'acknowledgement'")[0][0] == "sent") break;
  }
  EXPECT_EQ(sb.sql("SELECT status, attempts FROM outbox WHERE kind = 'acknowledgement'")[0],
            (std::vector<std::string>{"sent", "2"}));
  EXPECT_EQ(sent_to(sink(sb), "tempfail1@example.org").size(), 1u);
}

TEST(Acknowledgement, AutomaticMailIsRegisteredButNeverAcknowledged) {
  Sandbox sb;
  std::vector<std::string> mail;
  const std::vector<std::string> kinds = {
      "Auto-Submitted: auto-replied\r\n",
      "X-Autoreply: yes\r\n",
      "Precedence: bulk\r\n",
      "List-Id: <news.example.org>\r\n",
      "X-Failed-Recipients: a@example.org\r\n",
      "X-Autorespond: Vacation\r\n",  // X-Auto-Response-Suppress is no sign (issue 12, item 11)
      "Return-Path: <>\r\n",
  };
  for (int i = 0; i < 100; ++i) {
    std::string from = i % 10 == 7   ? "mailer-daemon@example.org"
                       : i % 10 == 8 ? "noreply@example.org"
                                     : "person" + std::to_string(i) + "@example.org";
    std::string extra = i % 10 < 7 ? kinds[i % 10] : i % 10 == 9 ? "X-Mailgate-Loop: x\r\n" : "";
    mail.push_back(client_mail(from, "a" + std::to_string(i) + "@example.org", "Автоответ",
                               "Я в отпуске.", extra));
  }
  deliver(sb, mail);
  auto r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(sb.sql("SELECT count(*) FROM cases")[0][0], "100");
  EXPECT_EQ(sb.sql("SELECT count(*) FROM outbox")[0][0], "0");
  EXPECT_EQ(sb.sql("SELECT count(*) FROM messages WHERE automatic IS NOT NULL")[0][0], "100");
  EXPECT_EQ(sink(sb).size(), 0u);
}

TEST(Acknowledgement, AtMostNPerSenderPerDay) {
  Sandbox sb;  // the sandbox config's [outbox] sets no cap: the default, 10, applies
  std::vector<std::string> mail;
  for (int i = 0; i < 12; ++i) {
    mail.push_back(client_mail("busy@example.org", "b" + std::to_string(i) + "@example.org",
                               "Вопрос " + std::to_string(i), "Текст."));
  }
  deliver(sb, mail);
  auto r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(sb.sql("SELECT count(*) FROM cases")[0][0], "12");
  EXPECT_EQ(sent_to(sink(sb), "busy@example.org").size(), 10u);
  EXPECT_EQ(sb.sql("SELECT count(*) FROM cases WHERE 'ack_rate_limited' = ANY (flags)")[0][0], "2");
}

TEST(Acknowledgement, ChannelsFromTheDirectoryAndRemovalByReply) {
  Sandbox sb;
  auto csv = sb.dir() / "clients.csv";
  std::ofstream(csv) << "email,full_name,additional_channels\n"
                        "client1@sandbox.test,Клиентова Анна,anna.home@example.org; "
                        "anna.work@example.org\n";
  auto imp = sb.mailgate({"clients", "import", csv.string()});
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  // A client on the office's own domain is a client like any other.
  deliver(sb, {client_mail("client1@sandbox.test", "d1@sandbox.test", "Вопрос", "Текст.")});
  auto r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto all = sink(sb);
  ASSERT_EQ(sent_to(all, "client1@sandbox.test").size(), 1u) << r.err;
  ASSERT_EQ(sent_to(all, "anna.home@example.org").size(), 1u);
  ASSERT_EQ(sent_to(all, "anna.work@example.org").size(), 1u);
  EXPECT_EQ(sb.sql("SELECT count(*) FROM case_channels WHERE source = 'directory'")[0][0], "2");
  auto ack = sent_to(all, "client1@sandbox.test")[0];

  // The client removes one additional channel in a reply.
  deliver(sb, {client_mail("client1@sandbox.test", "d2@sandbox.test", "Re: " + ack.mail.subject,
                           "Дополнительный канал: удалить anna.work@example.org",
                           "In-Reply-To: " + ack.message_id + "\r\n")});
  r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto channels = sb.sql("SELECT address, removed_at IS NULL FROM case_channels ORDER BY address");
  ASSERT_EQ(channels.size(), 3u);
  EXPECT_EQ(channels[0], (std::vector<std::string>{"anna.home@example.org", "t"}));
  EXPECT_EQ(channels[1], (std::vector<std::string>{"anna.work@example.org", "f"}));
  EXPECT_EQ(channels[2], (std::vector<std::string>{"client1@sandbox.test", "t"}));
  EXPECT_EQ(sb.sql("SELECT count(*) FROM case_events WHERE kind = 'channel_removed'")[0][0], "1");
}

TEST(Acknowledgement, NoHeaderInjectionWhateverTheClientWrites) {
  Sandbox sb;
  // CR/LF smuggled in through encoded-words in the name and subject, and raw.
  std::string evil_name =
      "=?utf-8?B?" + std::string("0JjQstCw0L0NCkJjYzogdmljdGltQGV4YW1wbGUub3Jn") + "?=";
  std::string subject =
      "=?utf-8?Q?=D0=92=D0=BE=D0=BF=D1=80=D0=BE=D1=81=0D=0ABcc=3A_x=40evil.example?=";
  std::string msg =
      "From: " + evil_name + " <ivan@example.org>\r\nTo: work@sandbox.test\r\nSubject: " + subject +
      "\r\nMessage-ID: <inj@example.org>\r\nMIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n\r\nТекст\r\nBcc: y@evil.example\r\n";
  deliver(sb, {msg});
  auto r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto all = sink(sb);
  auto acks = sent_to(all, "ivan@example.org");
  ASSERT_EQ(acks.size(), 1u) << r.err;
  for (const auto& s : all) {
    for (const auto& rcpt : s.to) EXPECT_EQ(rcpt.find("evil"), std::string::npos) << rcpt;
    EXPECT_EQ(s.mail.field("Bcc"), nullptr);
    std::string head = s.raw.substr(0, s.raw.find("\r\n\r\n"));
    EXPECT_EQ(head.find("\r\nBcc:"), std::string::npos) << head;
    EXPECT_EQ(head.find("victim@"), std::string::npos) << head;
  }
  // The text of the acknowledgement still names the client and the subject, on one line.
  EXPECT_NE(acks[0].mail.text.find("Иван"), std::string::npos);
  EXPECT_NE(acks[0].mail.text.find("Вопрос"), std::string::npos) << acks[0].mail.text;
}

// A rule that says notify = ["officer", "unit_head"] (the shipped "inducement" rule): the
// head of the unit gets the head alert, the officer the officer alert, the client the
// acknowledgement; automatic mail never alerts anyone.
TEST(Acknowledgement, UrgentCaseAlertsTheHeadOfTheUnit) {
  Sandbox sb;
  deliver(sb, {client_mail("ivan@example.org", "urgent1@example.org", "Срочно",
                           "Вчера посетитель предложил вознаграждение за ускорение проверки. "
                           "Что мне делать?")});
  auto r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto regno = sb.sql("SELECT regno FROM cases")[0][0];
  EXPECT_EQ(sb.sql("SELECT urgency FROM cases")[0][0], "urgent");
  auto all = sink(sb);
  auto head = sent_to(all, sb.env("HEAD_ADDRESS"));
  ASSERT_EQ(head.size(), 1u) << r.err;
  EXPECT_NE(head[0].mail.subject.find("[" + regno + "]"), std::string::npos)
      << head[0].mail.subject;
  EXPECT_NE(head[0].mail.subject.find("Новое письмо"), std::string::npos) << head[0].mail.subject;
  EXPECT_EQ(header(head[0], "Auto-Submitted"), "auto-generated");
  EXPECT_NE(head[0].mail.text.find("Исполнитель (песочница)"), std::string::npos)
      << head[0].mail.text;
  EXPECT_EQ(sent_to(all, sb.env("OFFICER_ADDRESS")).size(), 1u);
  EXPECT_EQ(sent_to(all, "ivan@example.org").size(), 1u);
  EXPECT_EQ(sb.sql("SELECT channel FROM outbox WHERE kind = 'head_alert'"),
            (std::vector<std::vector<std::string>>{{"head"}}));

  // The same words in an auto-reply: registered, flagged, nobody alerted.
  deliver(sb, {client_mail("robot@example.org", "urgent2@example.org", "Автоответ",
                           "Вчера посетитель предложил вознаграждение.",
                           "Auto-Submitted: auto-replied\r\n")});
  r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(sb.sql("SELECT count(*) FROM cases")[0][0], "2");
  EXPECT_EQ(sent_to(sink(sb), sb.env("HEAD_ADDRESS")).size(), 1u);
}
