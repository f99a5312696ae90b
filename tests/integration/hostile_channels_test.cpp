// Issue 12, items 3 and 4, end to end on the sandbox: a forged From cannot take over a case's
// channels, and the office cannot be used as a relay (channel caps, foreign Reply-To, hourly
// caps on automatic mail, no channel's address shown to another).

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "harness.hpp"
#include "sink.hpp"

using mailgate::test::Sandbox;
using mailgate::test::Sent;
using mailgate::test::sent_to;
using mailgate::test::sink;

namespace {

const std::string kClient = "ivan@example.org";
const std::string kAttacker = "attacker@evil.example";

std::string letter(const std::string& from, const std::string& id, const std::string& subject,
                   const std::string& body, const std::string& extra_headers = "") {
  return extra_headers + "From: Иван Петров <" + from +
         ">\r\nTo: work@sandbox.test\r\nSubject: " + subject + "\r\nMessage-ID: <" + id +
         ">\r\nDate: Wed, 25 Nov 2026 10:00:00 +0300\r\nMIME-Version: 1.0\r\n"
         "Content-Type: text/plain; charset=utf-8\r\n\r\n" +
         body + "\r\n";
}

void run_once(Sandbox& sb) {
  auto r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

std::vector<Sent> of_kind(const Sandbox& sb, const std::vector<Sent>& all,
                          const std::string& kind) {
  std::vector<Sent> out;
  for (const auto& row : sb.sql("SELECT message_id FROM outbox WHERE kind = '" + kind + "'")) {
    for (const auto& s : all) {
      if (s.message_id == row[0]) out.push_back(s);
    }
  }
  return out;
}

bool is_staff(const Sandbox& sb, const Sent& s) {
  for (const auto& to : s.to) {
    if (to == sb.env("OFFICER_ADDRESS") || to.find("head@") == 0) return true;
  }
  return false;
}

// A client's case with its acknowledgement.
Sent open_case(Sandbox& sb) {
  mailgate::test::deliver_texts(sb, {letter(kClient, "open@example.org", "Сообщение о взятке",
                                            "Начальник отдела требует деньги за подпись.")});
  auto r = sb.mailgate({"run", "--once"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto acks = sent_to(sink(sb), kClient);
  EXPECT_EQ(acks.size(), 1u);
  return acks.empty() ? Sent{} : acks[0];
}

std::string active_channels(const Sandbox& sb) {
  std::string out;
  // The first case's channels (a stranger's letter may open a case of its own).
  for (const auto& row :
       sb.sql("SELECT address FROM case_channels WHERE removed_at IS NULL"
              " AND case_id = (SELECT min(id) FROM cases) ORDER BY kind <> 'primary', address")) {
    out += row[0] + ";";
  }
  return out;
}

void officer_acts(Sandbox& sb, const std::string& action, const std::string& regno,
                  const std::string& text) {
  auto file = sb.dir() / (action + ".txt");
  std::ofstream(file) << text << "\n";
  auto r = sb.mailgate({"case", action, regno, "--file", file.string(), "--as", "officer"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  run_once(sb);  // sends what the console queued
}

}  // namespace

// (a) A forged From with the case tag asks for an attacker's channel: nothing goes there
// until the client confirms from the primary channel; the client is asked and told.
TEST(HostileChannels, ForgedFromCannotTakeOverACaseUntilTheClientConfirms) {
  Sandbox sb;
  Sent ack = open_case(sb);
  std::string regno = sb.sql("SELECT regno FROM cases")[0][0];
  mailgate::test::deliver_texts(sb,
                                {letter(kClient, "forged@evil.example", "Re: " + ack.mail.subject,
                                        "Дополнительный канал: " + kAttacker)});
  run_once(sb);
  EXPECT_EQ(active_channels(sb), kClient + ";");
  EXPECT_EQ(sb.sql("SELECT address, state FROM channel_confirmations")[0],
            (std::vector<std::string>{kAttacker, "pending"}));
  auto confirmations = of_kind(sb, sink(sb), "channel_confirmation");
  ASSERT_EQ(confirmations.size(), 1u);
  const Sent& confirmation = confirmations[0];
  EXPECT_EQ(confirmation.to, std::vector<std::string>{kClient});
  EXPECT_NE(confirmation.mail.text.find("at***@evil.example"), std::string::npos)
      << confirmation.mail.text;
  EXPECT_EQ(confirmation.raw.find(kAttacker), std::string::npos) << "the address in full";
  EXPECT_TRUE(sent_to(sink(sb), kAttacker).empty());

  // The officer writes to the client: the attacker gets nothing.
  officer_acts(sb, "clarify", regno, "Уточните, пожалуйста, когда это было и кто был рядом.");
  EXPECT_EQ(of_kind(sb, sink(sb), "clarification_request").size(), 1u);
  EXPECT_TRUE(sent_to(sink(sb), kAttacker).empty());

  // The client confirms by replying to the confirmation mail: from then on mail goes there.
  mailgate::test::deliver_texts(
      sb, {letter(kClient, "confirm@example.org", "Re: " + confirmation.mail.subject,
                  "Да, это мой второй адрес. В понедельник, в кабинете 12.",
                  "In-Reply-To: " + confirmation.message_id + "\r\n")});
  run_once(sb);
  EXPECT_EQ(active_channels(sb), kClient + ";" + kAttacker + ";");
  EXPECT_EQ(sb.sql("SELECT state FROM channel_confirmations")[0][0], "confirmed");
  auto notices = of_kind(sb, sink(sb), "channel_notice");
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].to, std::vector<std::string>{kClient});
  EXPECT_NE(notices[0].mail.text.find("подтверждён"), std::string::npos) << notices[0].mail.text;
  officer_acts(sb, "answer", regno, "Мы передали ваше сообщение в отдел проверок.");
  auto answers = of_kind(sb, sink(sb), "answer");
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(sent_to(answers, kClient).size(), 1u);
  EXPECT_EQ(sent_to(answers, kAttacker).size(), 1u);
}

// A guessed code from a forged From is not a confirmation; a foreign From is not either.
TEST(HostileChannels, OnlyTheCodeFromAConfirmedChannelConfirms) {
  Sandbox sb;
  Sent ack = open_case(sb);
  mailgate::test::deliver_texts(sb,
                                {letter(kClient, "forged@evil.example", "Re: " + ack.mail.subject,
                                        "Дополнительный канал: " + kAttacker)});
  run_once(sb);
  std::string code = sb.sql("SELECT code FROM channel_confirmations")[0][0];
  std::string wrong = code == "00000000" ? "11111111" : "00000000";
  mailgate::test::deliver_texts(sb, {letter(kClient, "guess@evil.example",
                                            "Re: " + ack.mail.subject + " код " + wrong, "Да."),
                                     letter(kAttacker, "stolen@evil.example",
                                            "Re: " + ack.mail.subject + " код " + code, "Да.")});
  run_once(sb);
  EXPECT_EQ(active_channels(sb), kClient + ";");
  EXPECT_EQ(sb.sql("SELECT state FROM channel_confirmations")[0][0], "pending");
  // The stranger's letter opened a case of its own (linked); nothing of the client's case
  // went to the stranger.
  EXPECT_EQ(sb.sql("SELECT count(*) FROM outbox WHERE recipient = '" + kAttacker +
                   "' AND case_id = (SELECT min(id) FROM cases)")[0][0],
            "0");
}

// (b) 300 channel lines: one acknowledgement to the sender, nothing to any of the 300, no
// mail to the client names them, at most two requests wait.
TEST(HostileChannels, ThreeHundredChannelLinesMakeNoRelay) {
  Sandbox sb;
  std::string body = "Прошу ответить.\r\n";
  for (int i = 0; i < 300; ++i) {
    body += "Дополнительный канал: victim" + std::to_string(i) + "@relay.example\r\n";
  }
  mailgate::test::deliver_texts(sb, {letter(kClient, "spam@example.org", "Вопрос", body)});
  run_once(sb);
  auto all = sink(sb);
  EXPECT_EQ(of_kind(sb, all, "acknowledgement").size(), 1u);
  EXPECT_EQ(sent_to(all, kClient).size(), all.size() - 1) << "the rest is the officer's alert";
  for (const auto& s : all) {
    if (is_staff(sb, s)) continue;
    EXPECT_EQ(s.to, std::vector<std::string>{kClient});
    EXPECT_EQ(s.raw.find("@relay.example>"), std::string::npos);
    EXPECT_FALSE(std::regex_search(s.mail.text, std::regex("victim[0-9]+@"))) << s.mail.text;
  }
  EXPECT_EQ(sb.sql("SELECT count(*) FROM channel_confirmations")[0][0], "2");
  EXPECT_EQ(active_channels(sb), kClient + ";");
  auto refused = of_kind(sb, all, "channel_notice");
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_NE(refused[0].mail.text.find("не больше 2"), std::string::npos) << refused[0].mail.text;
}

// (c) A foreign Reply-To gets nothing automatic; the From gets the acknowledgement, and the
// Reply-To waits for the From's confirmation like any request.
TEST(HostileChannels, ForeignReplyToReceivesNothingAutomatic) {
  Sandbox sb;
  mailgate::test::deliver_texts(
      sb, {letter(kClient, "rt@example.org", "Купите дешёвые часы: evil.example", "Текст письма.",
                  "Reply-To: <" + kAttacker + ">\r\n")});
  run_once(sb);
  auto all = sink(sb);
  EXPECT_TRUE(sent_to(all, kAttacker).empty());
  auto acks = of_kind(sb, all, "acknowledgement");
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].to, std::vector<std::string>{kClient});
  EXPECT_EQ(sb.sql("SELECT address FROM case_channels WHERE kind = 'primary'")[0][0], kClient);
  EXPECT_EQ(sb.sql("SELECT address, state FROM channel_confirmations")[0],
            (std::vector<std::string>{kAttacker, "pending"}));
}

// (d) Per-address and global hourly caps on automatic mail, within one batch too.
TEST(HostileChannels, HourlyCapsOnAutomaticMail) {
  Sandbox sb;
  {
    std::ifstream in(sb.config());
    std::stringstream text;
    text << in.rdbuf();
    std::string config = text.str();
    config = std::regex_replace(config, std::regex("\\[outbox\\]\n"),
                                "[outbox]\nauto_per_sender_per_hour = 2\nauto_per_hour = 4\n");
    std::ofstream(sb.config()) << config;
  }
  std::vector<std::string> letters;
  int n = 0;
  for (const char* from : {"a@example.org", "a@example.org", "a@example.org", "b@example.org",
                           "b@example.org", "c@example.org"}) {
    ++n;
    letters.push_back(letter(from, "cap" + std::to_string(n) + "@example.org",
                             "Вопрос " + std::to_string(n), "Текст."));
  }
  mailgate::test::deliver_texts(sb, letters);
  run_once(sb);
  auto all = sink(sb);
  EXPECT_EQ(sent_to(all, "a@example.org").size(), 2u);
  EXPECT_EQ(sent_to(all, "b@example.org").size(), 2u);
  EXPECT_EQ(sent_to(all, "c@example.org").size(), 0u);
  EXPECT_EQ(sb.sql("SELECT count(*) FROM cases")[0][0], "6");
  EXPECT_EQ(sb.sql("SELECT count(*) FROM cases WHERE 'auto_rate_limited' = ANY (flags)")[0][0],
            "2");
  // Staff alerts are not automatic mail to clients: every case alerted its officer.
  EXPECT_EQ(sent_to(all, sb.env("OFFICER_ADDRESS")).size(), 6u);
}

// (e) A trusted authentication pass for the client's own domain adds the channel at once,
// and the client's channels are told (the new address masked).
TEST(HostileChannels, TrustedAuthenticationPassAddsAChannelAtOnce) {
  Sandbox sb;
  Sent ack = open_case(sb);
  std::string auth = mailgate::test::mta_pass(sb, "example.org");
  mailgate::test::deliver_texts(sb,
                                {letter(kClient, "signed@example.org", "Re: " + ack.mail.subject,
                                        "Дополнительный канал: ivan.home@example.net", auth)});
  run_once(sb);
  EXPECT_EQ(active_channels(sb), kClient + ";ivan.home@example.net;");
  EXPECT_EQ(sb.sql("SELECT count(*) FROM channel_confirmations")[0][0], "0");
  auto notices = of_kind(sb, sink(sb), "channel_notice");
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].to, std::vector<std::string>{kClient});
  EXPECT_NE(notices[0].mail.text.find("iv***@example.net"), std::string::npos)
      << notices[0].mail.text;
}

// An acknowledgement to two confirmed channels names each recipient only, the other masked.
TEST(HostileChannels, NoChannelSeesAnothersAddress) {
  Sandbox sb;
  auto csv = sb.dir() / "clients.csv";
  std::ofstream(csv) << "email,full_name,additional_channels\n"
                        "ivan@example.org,Иван Петров,ivan.home@example.net\n";
  auto imp = sb.mailgate({"clients", "import", csv.string()});
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  open_case(sb);
  auto all = sink(sb);
  auto home = sent_to(all, "ivan.home@example.net");
  ASSERT_EQ(home.size(), 1u);
  EXPECT_EQ(home[0].mail.text.find(kClient), std::string::npos) << home[0].mail.text;
  EXPECT_NE(home[0].mail.text.find("i***@example.org"), std::string::npos);
  auto mine = sent_to(all, kClient);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].mail.text.find("ivan.home@example.net"), std::string::npos);
}
