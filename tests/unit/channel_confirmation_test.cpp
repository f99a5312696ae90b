// Who may change where a case's answers go, and the caps on automatic mail
// (cases/channel_confirmation.*; issue 12, items 3 and 4). Planned without storage.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "cases/channel_confirmation.hpp"
#include "cases/correspondence_plan.hpp"
#include "mail/parse.hpp"

namespace mc = mailgate::cases;
namespace ms = mailgate::storage;

namespace {

constexpr const char* kRegno = "УПК-2026-000123";
constexpr const char* kClient = "ivan@example.org";
constexpr const char* kAttacker = "attacker@evil.example";

ms::Incoming letter(std::uint32_t uid, const std::string& from, const std::string& subject,
                    const std::string& body, const std::string& extra = "") {
  std::string head = extra + "From: <" + from + ">\nSubject: " + subject +
                     "\nTo: upk@lenobl.example\nMessage-ID: <m" + std::to_string(uid) +
                     "@mail.example.org>\nMIME-Version: 1.0\n"
                     "Content-Type: text/plain; charset=utf-8\n\n" +
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

std::string follow_subject() { return std::string("Re: [") + kRegno + "] Взятка"; }

ms::CaseRef existing_case(std::vector<std::string> channels = {kClient}) {
  ms::CaseRef c;
  c.id = 7;
  c.regno = kRegno;
  c.status = "registered";
  c.subject = "Взятка";
  c.client_address = kClient;
  c.channels = std::move(channels);
  return c;
}

std::vector<std::string> recipients(const mc::LetterPlan& p, const std::string& kind) {
  std::vector<std::string> out;
  for (const auto& m : p.channel_mail) {
    if (m.kind == kind) out.push_back(m.to + ":" + m.change);
  }
  return out;
}

bool has_flag(const mc::LetterPlan& p, const std::string& flag) {
  return std::find(p.flags.begin(), p.flags.end(), flag) != p.flags.end();
}

class ChannelConfirmation : public ::testing::Test {
 protected:
  ChannelConfirmation() {
    s.office.address = "upk@lenobl.example";
    s.office.message_id_domain = "lenobl.example";
    s.officer_auth.authserv_ids = {"mx.lenobl.example"};
    facts.cases_by_regno[kRegno] = existing_case();
  }
  mc::LetterPlan plan(const ms::Incoming& in) { return planner.plan(in, facts); }

  mc::Settings s;
  mailgate::templates::TemplateSet templates;
  mc::Outbound outbound{s, templates};
  mc::LetterPlanner planner{s, outbound};
  mc::BatchFacts facts;
};

}  // namespace

TEST(ChannelMask, KeepsTheDomainAndAtMostTwoCharacters) {
  EXPECT_EQ(mc::mask_address("attacker@evil.example"), "at***@evil.example");
  EXPECT_EQ(mc::mask_address("ivan@example.org"), "i***@example.org");
  EXPECT_EQ(mc::mask_address("a@example.org"), "***@example.org");
  EXPECT_EQ(mc::mask_address("no-at-sign"), "***");
  EXPECT_EQ(mc::mask_address(""), "***");
}

TEST(ChannelCode, EightDigitsEachTimeNew) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    std::string code = mc::new_confirmation_code();
    ASSERT_EQ(code.size(), 8u);
    EXPECT_TRUE(std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }));
    seen.insert(code);
  }
  EXPECT_GT(seen.size(), 45u);
}

TEST(ChannelCode, OnlyTheWholeNumberMatches) {
  std::vector<ms::PendingChannel> pending = {{"a@example.org", "12345678"},
                                             {"b@example.org", "87654321"}};
  const auto* p = mc::confirmed_request("Re: [УПК] Подтвердите, код 87654321", pending);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->address, "b@example.org");
  EXPECT_EQ(mc::confirmed_request("код 123456789", pending), nullptr);
  EXPECT_EQ(mc::confirmed_request("код 1234567", pending), nullptr);
  EXPECT_EQ(mc::confirmed_request("без кода", pending), nullptr);
  EXPECT_EQ(mc::confirmed_request("12345678", {}), nullptr);
}

TEST(ChannelBudget, PerRecipientAndGlobalHourlyCaps) {
  mc::ChannelLimits limits;
  limits.auto_per_recipient_per_hour = 2;
  limits.auto_per_hour = 3;
  mc::BatchFacts facts;
  facts.auto_mail.by_recipient["a@example.org"] = 1;
  EXPECT_TRUE(mc::take_automatic_mail(facts, limits, "a@example.org"));
  EXPECT_FALSE(mc::take_automatic_mail(facts, limits, "a@example.org"));
  EXPECT_TRUE(mc::take_automatic_mail(facts, limits, "b@example.org"));
  EXPECT_TRUE(mc::take_automatic_mail(facts, limits, "c@example.org"));
  EXPECT_FALSE(mc::take_automatic_mail(facts, limits, "d@example.org"));  // 3 this hour
  EXPECT_EQ(facts.auto_mail.total, 3);
}

TEST_F(ChannelConfirmation, ForgedFollowUpRequestWaitsAndAsksThePrimary) {
  auto p = plan(letter(1, kClient, follow_subject(),
                       std::string("Дополнительный канал: ") + kAttacker + "\n"));
  ASSERT_TRUE(p.join_case);
  EXPECT_TRUE(p.channels.empty());
  ASSERT_EQ(p.pending_channels.size(), 1u);
  EXPECT_EQ(p.pending_channels[0].address, kAttacker);
  EXPECT_EQ(p.pending_channels[0].code.size(), 8u);
  EXPECT_EQ(recipients(p, "channel_confirmation"),
            std::vector<std::string>{std::string(kClient) + ":requested"});
  EXPECT_TRUE(recipients(p, "channel_notice").empty());
}

TEST_F(ChannelConfirmation, CodeFromAConfirmedChannelConfirms) {
  auto c = existing_case({kClient, "home@example.net"});
  facts.cases_by_regno[kRegno] = c;
  facts.pending[c.id] = {{kAttacker, "40417265"}};
  auto p = plan(letter(1, kClient, follow_subject() + " код 40417265", "Да, это я.\n"));
  ASSERT_EQ(p.channels.size(), 1u);
  EXPECT_EQ(p.channels[0].address, kAttacker);
  EXPECT_EQ(p.channels[0].source, "confirmed");
  EXPECT_EQ(p.confirmed_channels, std::vector<std::string>{kAttacker});
  // Every confirmed channel is told.
  EXPECT_EQ(recipients(p, "channel_notice"),
            (std::vector<std::string>{std::string(kClient) + ":confirmed",
                                      "home@example.net:confirmed"}));
}

TEST_F(ChannelConfirmation, WrongCodeOrForeignSenderConfirmsNothing) {
  facts.pending[7] = {{kAttacker, "40417265"}};
  auto wrong = plan(letter(1, kClient, follow_subject() + " код 40417266", "Да.\n"));
  EXPECT_TRUE(wrong.channels.empty());
  EXPECT_TRUE(wrong.confirmed_channels.empty());
  auto stranger = plan(letter(2, kAttacker, follow_subject() + " код 40417265", "Да.\n"));
  EXPECT_FALSE(stranger.join_case);
  EXPECT_TRUE(stranger.confirmed_channels.empty());
  for (const auto& ch : stranger.channels) EXPECT_NE(ch.source, "confirmed");
}

TEST_F(ChannelConfirmation, TrustedPassForTheClientsDomainAddsAtOnce) {
  auto p = plan(letter(1, kClient, follow_subject(), "Дополнительный канал: home@example.net\n",
                       "Authentication-Results: mx.lenobl.example; dkim=pass header.d=example.org\n"
                       "Received: from mail.example.org by mx.lenobl.example; "
                       "Mon, 7 Dec 2026 10:00:00 +0300\n"));
  ASSERT_EQ(p.channels.size(), 1u);
  EXPECT_EQ(p.channels[0].address, "home@example.net");
  EXPECT_TRUE(p.pending_channels.empty());
  EXPECT_EQ(recipients(p, "channel_notice"),
            std::vector<std::string>{std::string(kClient) + ":added"});
  // A pass for another domain is no pass for this one.
  auto other =
      plan(letter(2, kClient, follow_subject(), "Дополнительный канал: x@example.net\n",
                  "Authentication-Results: mx.lenobl.example; dkim=pass header.d=evil.example\n"));
  EXPECT_TRUE(other.channels.empty());
  EXPECT_EQ(other.pending_channels.size(), 1u);
}

TEST_F(ChannelConfirmation, CapRefusesTheRestAndTellsTheClientOnce) {
  std::string body;
  for (int i = 0; i < 300; ++i) {
    body += "Дополнительный канал: v" + std::to_string(i) + "@relay.example\n";
  }
  auto p = plan(letter(1, "new@example.org", "Вопрос", body));
  EXPECT_EQ(p.pending_channels.size(), 2u);
  EXPECT_EQ(p.client_channels, std::vector<std::string>{"new@example.org"});
  EXPECT_EQ(recipients(p, "channel_confirmation").size(), 2u);
  EXPECT_EQ(recipients(p, "channel_notice"), std::vector<std::string>{"new@example.org:refused"});
  for (const auto& m : p.channel_mail) EXPECT_EQ(m.to, "new@example.org");
  // A follow-up counts the case's channels and waiting requests against the cap.
  facts.pending[7] = {{"w@example.net", "11112222"}};
  auto c = existing_case({kClient, "home@example.net"});
  facts.cases_by_regno[kRegno] = c;
  auto more = plan(letter(2, kClient, follow_subject(), "Дополнительный канал: x@example.net\n"));
  EXPECT_TRUE(more.pending_channels.empty());
  EXPECT_EQ(
      recipients(more, "channel_notice"),
      (std::vector<std::string>{std::string(kClient) + ":refused", "home@example.net:refused"}));
}

TEST_F(ChannelConfirmation, RemovalTellsEveryChannelAndNeverRemovesThePrimary) {
  facts.cases_by_regno[kRegno] = existing_case({kClient, "home@example.net"});
  facts.pending[7] = {{"w@example.net", "11112222"}};
  auto p = plan(letter(1, kClient, follow_subject(),
                       "Дополнительный канал: удалить home@example.net\n"
                       "Дополнительный канал: удалить ivan@example.org\n"
                       "Дополнительный канал: удалить w@example.net\n"));
  EXPECT_EQ(p.removed_channels, std::vector<std::string>{"home@example.net"});
  EXPECT_EQ(p.cancelled_channels, std::vector<std::string>{"w@example.net"});
  EXPECT_EQ(
      recipients(p, "channel_notice"),
      (std::vector<std::string>{std::string(kClient) + ":removed", "home@example.net:removed"}));
}

TEST_F(ChannelConfirmation, FollowUpReplyToDoesNotRedirectAnswers) {
  auto p = plan(letter(1, kClient, follow_subject(), "Спасибо.\n",
                       std::string("Reply-To: <") + kAttacker + ">\n"));
  ASSERT_TRUE(p.join_case);
  EXPECT_TRUE(p.channels.empty());
  ASSERT_EQ(p.pending_channels.size(), 1u);
  EXPECT_EQ(p.pending_channels[0].address, kAttacker);
  EXPECT_EQ(recipients(p, "channel_confirmation"),
            std::vector<std::string>{std::string(kClient) + ":requested"});
}

TEST_F(ChannelConfirmation, OverTheHourlyCapTheLetterIsFlaggedAndGetsNoMail) {
  s.channel_limits.auto_per_recipient_per_hour = 1;
  facts.auto_mail.by_recipient["new@example.org"] = 1;
  auto p = plan(letter(1, "new@example.org", "Вопрос", "Дополнительный канал: x@example.net\n"));
  EXPECT_FALSE(p.acknowledge);
  EXPECT_TRUE(p.channel_mail.empty());
  EXPECT_TRUE(has_flag(p, "auto_rate_limited"));
  EXPECT_EQ(p.alerts.size(), 0u);  // no officer configured in this fixture
  s.channel_limits.auto_per_hour = 0;
  auto q = plan(letter(2, "other@example.org", "Вопрос", "Текст\n"));
  EXPECT_FALSE(q.acknowledge);
  EXPECT_TRUE(has_flag(q, "auto_rate_limited"));
}
