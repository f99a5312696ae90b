// What each incoming letter means (cases/correspondence_plan.*): planned from parsed mail,
// hand-made cases::Settings and BatchFacts standing in for what storage would return, so no
// server is needed.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cases/correspondence_plan.hpp"
#include "mail/message_id.hpp"
#include "mail/parse.hpp"

namespace mc = mailgate::cases;
namespace ms = mailgate::storage;

namespace {

constexpr const char* kRegno = "УПК-2026-000123";
constexpr const char* kClient = "ivan@example.org";
constexpr const char* kOfficer = "m.ivanova@lenobl.example";
constexpr const char* kHead = "head.gifts@lenobl.example";

mc::Settings settings() {
  mc::Settings s;
  s.office.address = "upk@lenobl.example";
  s.office.message_id_domain = "lenobl.example";
  s.units = {{"gifts", "Отдел по подаркам", kHead}, {"housing", "Отдел ЖКХ", ""}};
  s.officers = {{"ivanova", "Иванова Мария Петровна", kOfficer, "gifts"},
                {"petrov", "Петров Сергей", "s.petrov@lenobl.example", "housing"}};
  s.officer_auth.authserv_ids = {"mx.lenobl.example"};
  s.acks_per_sender_per_day = 2;
  return s;
}

/// A letter: `fields` (From, Subject, ...; LF-separated) on top of a plain-text header.
ms::Incoming letter(std::uint32_t uid, const std::string& fields, const std::string& body) {
  std::string head = fields +
                     "To: upk@lenobl.example\n"
                     "Date: Wed, 25 Mar 2026 17:19:02 +0300\n"
                     "Message-ID: <m" +
                     std::to_string(uid) +
                     "@mail.example.org>\n"
                     "MIME-Version: 1.0\n"
                     "Content-Type: text/plain; charset=utf-8\n"
                     "Content-Transfer-Encoding: 8bit\n"
                     "\n" +
                     body;
  ms::Incoming in;
  in.uid = uid;
  for (char c : head) {
    if (c == '\n') in.raw += '\r';
    in.raw += c;
  }
  in.parsed = mailgate::mail::parse_message(in.raw);
  return in;
}

ms::Incoming from_client(std::uint32_t uid, const std::string& body = "Добрый день.\n",
                         const std::string& subject = "Подарок на юбилей",
                         const std::string& from = kClient, const std::string& extra = "") {
  return letter(uid, extra + "From: Иван Петров <" + from + ">\nSubject: " + subject + "\n", body);
}

ms::CaseRef existing_case() {
  ms::CaseRef c;
  c.id = 42;
  c.regno = kRegno;
  c.status = "registered";
  c.officer = "ivanova";
  c.unit = "gifts";
  c.subject = "Подарок на юбилей";
  c.client_address = kClient;
  c.channels = {kClient};
  return c;
}

// One of our Message-IDs, as an acknowledgement of the case carries. Made once: it is partly
// random, and the letter and the facts must name the same id.
const std::string& our_id() {
  static const std::string id = mailgate::mail::make_message_id(kRegno, "lenobl.example");
  return id;
}

bool has_flag(const mc::LetterPlan& p, const std::string& flag) {
  return std::find(p.flags.begin(), p.flags.end(), flag) != p.flags.end();
}

std::vector<std::string> addresses(const std::vector<mc::StaffRecipient>& alerts) {
  std::vector<std::string> out;
  out.reserve(alerts.size());
  for (const auto& a : alerts) out.push_back(a.channel + ":" + a.address);
  return out;
}

class CorrespondencePlan : public ::testing::Test {
 protected:
  mc::LetterPlan plan(const ms::Incoming& in) { return planner.plan(in, facts); }

  mc::Settings s = settings();
  // Nothing here is composed: only an officer's vouched-for command would use the templates.
  mailgate::templates::TemplateSet templates;
  mc::Outbound outbound{s, templates};
  mc::LetterPlanner planner{s, outbound};
  mc::BatchFacts facts;
};

}  // namespace

TEST_F(CorrespondencePlan, KeysAreWhatTheBatchRefersTo) {
  std::vector<ms::Incoming> batch;
  batch.push_back(from_client(1, "Текст\n", std::string("Re: [") + kRegno + "] Подарок", kClient,
                              "In-Reply-To: " + our_id() + "\n"));
  batch.push_back(from_client(2, "Текст\n", "Вопрос", "Olga@Example.NET"));
  ms::Incoming unparsed;
  unparsed.uid = 3;
  batch.push_back(unparsed);
  auto keys = planner.keys(batch);
  EXPECT_EQ(keys.regnos, std::vector<std::string>{kRegno});
  EXPECT_EQ(keys.our_ids, std::vector<std::string>{our_id()});
  EXPECT_EQ(keys.senders, (std::vector<std::string>{kClient, "olga@example.net"}));
}

// Issue 12, items 3 and 4: the From is the primary; the Reply-To and the requested channel
// wait for the From's confirmation and get nothing automatic before it.
TEST_F(CorrespondencePlan, NewLetterIsAcknowledgedToFromAndRequestsWaitForConfirmation) {
  auto p = plan(from_client(1, "Добрый день.\nДополнительный канал: Copy@Example.org\n", "Вопрос",
                            kClient, "Reply-To: <sender@example.org>\n"));
  EXPECT_TRUE(p.acknowledge);
  EXPECT_EQ(p.client_channels, std::vector<std::string>{kClient});
  ASSERT_EQ(p.channels.size(), 1u);
  EXPECT_EQ(p.channels[0].address, kClient);
  EXPECT_EQ(p.channels[0].kind, "primary");
  EXPECT_EQ(p.channels[0].source, "message");
  ASSERT_EQ(p.pending_channels.size(), 2u);
  EXPECT_EQ(p.pending_channels[0].address, "sender@example.org");
  EXPECT_EQ(p.pending_channels[1].address, "copy@example.org");
  ASSERT_EQ(p.channel_mail.size(), 2u);
  for (const auto& m : p.channel_mail) {
    EXPECT_EQ(m.kind, "channel_confirmation");
    EXPECT_EQ(m.to, kClient);
  }
  EXPECT_TRUE(p.flags.empty());
  EXPECT_TRUE(p.automatic.empty());
  EXPECT_FALSE(p.join_case);
  EXPECT_FALSE(p.command);
  // No decision from the rules: the first officer configured is told.
  EXPECT_EQ(addresses(p.alerts), std::vector<std::string>{std::string("officer:") + kOfficer});
  EXPECT_EQ(facts.acknowledgements[kClient], 1);
}

TEST_F(CorrespondencePlan, DirectoryChannelsJoinTheNewCase) {
  facts.directory[kClient].additional_channels = {"Secretary@Example.org"};
  auto p = plan(from_client(1));
  EXPECT_EQ(p.client_channels, (std::vector<std::string>{kClient, "secretary@example.org"}));
  ASSERT_EQ(p.channels.size(), 2u);
  EXPECT_EQ(p.channels[1].source, "directory");
}

TEST_F(CorrespondencePlan, AutoReplyGetsNoAcknowledgementAndNoAlert) {
  auto p = plan(from_client(1, "Я в отпуске до 1 апреля.\n", "Автоответ: Подарок", kClient,
                            "Auto-Submitted: auto-replied\n"));
  EXPECT_EQ(p.automatic, "auto_reply");
  EXPECT_TRUE(has_flag(p, "auto_reply"));
  EXPECT_FALSE(p.acknowledge);
  EXPECT_TRUE(p.alerts.empty());
  // It is still registered as a case with its channel, only nobody is written to.
  ASSERT_EQ(p.channels.size(), 1u);
  EXPECT_EQ(facts.acknowledgements.count(kClient), 0u);
}

TEST_F(CorrespondencePlan, DailyCapCountsEarlierAcknowledgementsAndTheBatch) {
  facts.acknowledgements[kClient] = 1;  // one today already; the cap is 2
  auto first = plan(from_client(1));
  auto second = plan(from_client(2));
  EXPECT_TRUE(first.acknowledge);
  EXPECT_FALSE(has_flag(first, "ack_rate_limited"));
  EXPECT_FALSE(second.acknowledge);
  EXPECT_TRUE(has_flag(second, "ack_rate_limited"));
  // The letter over the cap still reaches the officer.
  EXPECT_EQ(second.alerts.size(), 1u);
}

TEST_F(CorrespondencePlan, SuppressedSenderIsNotAcknowledged) {
  facts.suppressed = {kClient};
  auto p = plan(from_client(1));
  EXPECT_FALSE(p.acknowledge);
  EXPECT_TRUE(has_flag(p, "ack_suppressed"));
  EXPECT_TRUE(p.client_channels.empty());
  ASSERT_EQ(p.channels.size(), 1u);  // the channel is recorded all the same
  EXPECT_EQ(facts.acknowledgements.count(kClient), 0u);
}

TEST_F(CorrespondencePlan, SuppressedAdditionalChannelIsLeftOut) {
  facts.suppressed = {"copy@example.org"};
  facts.directory[kClient].additional_channels = {"copy@example.org"};
  auto p = plan(from_client(1));
  EXPECT_TRUE(p.acknowledge);
  EXPECT_EQ(p.client_channels, std::vector<std::string>{kClient});
  EXPECT_EQ(p.channels.size(), 2u);
}

TEST_F(CorrespondencePlan, FollowUpFromTheCasesChannelJoinsIt) {
  auto c = existing_case();
  c.status = "waiting_client";
  facts.cases_by_regno[kRegno] = c;
  auto p = plan(from_client(1,
                            "Уточняю: подарок стоил 5000 рублей.\nДополнительный канал: "
                            "copy@example.org\n",
                            std::string("Re: [") + kRegno + "] Подарок на юбилей"));
  ASSERT_TRUE(p.join_case);
  EXPECT_EQ(*p.join_case, 42);
  ASSERT_TRUE(p.joined);
  EXPECT_EQ(p.joined->regno, kRegno);
  EXPECT_FALSE(p.command);
  EXPECT_FALSE(p.acknowledge);
  EXPECT_TRUE(p.flags.empty());
  // The new channel waits for the client's confirmation (issue 12, item 3).
  EXPECT_TRUE(p.channels.empty());
  ASSERT_EQ(p.pending_channels.size(), 1u);
  EXPECT_EQ(p.pending_channels[0].address, "copy@example.org");
  ASSERT_EQ(p.channel_mail.size(), 1u);
  EXPECT_EQ(p.channel_mail[0].to, kClient);
  ASSERT_TRUE(p.update);
  EXPECT_EQ(p.update->status, "registered");
  EXPECT_EQ(p.update->event_kind, "clarification_received");
  EXPECT_EQ(addresses(p.alerts), std::vector<std::string>{std::string("officer:") + kOfficer});
}

TEST_F(CorrespondencePlan, ReplyToOurMessageIdJoinsWithoutATag) {
  facts.cases_by_message_id[our_id()] = existing_case();
  auto p = plan(from_client(1, "Спасибо.\n", "Re: Ваше обращение", kClient,
                            "In-Reply-To: " + our_id() + "\n"));
  ASSERT_TRUE(p.join_case);
  EXPECT_EQ(*p.join_case, 42);
  EXPECT_FALSE(p.update);
}

TEST_F(CorrespondencePlan, SameTagFromAStrangerOpensALinkedCase) {
  facts.cases_by_regno[kRegno] = existing_case();
  auto p = plan(from_client(1, "Пересылаю вам чужое письмо.\n",
                            std::string("Fwd: [") + kRegno + "] Подарок на юбилей",
                            "stranger@example.net"));
  EXPECT_FALSE(p.join_case);
  EXPECT_FALSE(p.joined);
  EXPECT_TRUE(has_flag(p, std::string("linked:") + kRegno));
  ASSERT_TRUE(p.event_detail);
  EXPECT_EQ(nlohmann::json::parse(*p.event_detail)["linked_case"], kRegno);
  // A new case of its own, answered as such.
  EXPECT_TRUE(p.acknowledge);
  EXPECT_EQ(p.client_channels, std::vector<std::string>{"stranger@example.net"});
}

TEST_F(CorrespondencePlan, OfficersUnauthenticatedMailIsSuspectedSpoofing) {
  facts.cases_by_regno[kRegno] = existing_case();
  auto p = plan(from_client(1, "ОТВЕТ\n\nПодарок можно оставить себе.\n",
                            std::string("Re: [") + kRegno + "] Подарок на юбилей", kOfficer));
  EXPECT_TRUE(has_flag(p, "suspected_spoofing"));
  EXPECT_FALSE(p.command);
  EXPECT_FALSE(p.join_case);
  EXPECT_FALSE(p.update);
  EXPECT_TRUE(p.ready.empty());
  // Nobody is answered: the From may be forged.
  EXPECT_FALSE(p.acknowledge);
  EXPECT_EQ(facts.acknowledgements.count(kOfficer), 0u);
  ASSERT_TRUE(p.event_detail);
  auto detail = nlohmann::json::parse(*p.event_detail);
  EXPECT_EQ(detail["claimed_case"], kRegno);
  EXPECT_TRUE(detail.contains("suspected_spoofing"));
}

TEST_F(CorrespondencePlan, UnitHeadNotifyAddsAHeadAlert) {
  auto in = from_client(1);
  ms::CaseDecision d;
  d.urgency = "urgent";
  d.unit = "gifts";
  d.officer = "ivanova";
  d.notify = {"officer", "unit_head", "petrov"};
  in.decision = d;
  auto p = plan(in);
  EXPECT_EQ(addresses(p.alerts), (std::vector<std::string>{std::string("officer:") + kOfficer,
                                                           std::string("head:") + kHead,
                                                           "officer:s.petrov@lenobl.example"}));
  EXPECT_TRUE(p.acknowledge);
}

TEST_F(CorrespondencePlan, MarkCopiesThePlanOntoTheLetter) {
  facts.cases_by_regno[kRegno] = existing_case();
  auto in = from_client(1, "Текст\n", std::string("[") + kRegno + "] Вопрос",
                        "stranger@example.net", "Auto-Submitted: auto-generated\n");
  auto p = plan(in);
  mc::mark(in, p);
  EXPECT_EQ(in.automatic, "auto_reply");
  EXPECT_EQ(in.flags, (std::vector<std::string>{"auto_reply", std::string("linked:") + kRegno}));
  ASSERT_EQ(in.channels.size(), 1u);
  EXPECT_EQ(in.channels[0].address, "stranger@example.net");
  EXPECT_EQ(in.event_detail, *p.event_detail);
  EXPECT_FALSE(in.join_case);
}
