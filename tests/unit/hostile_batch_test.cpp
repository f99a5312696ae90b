// Issue 12, items 1, 2, 10, 11, 12, without servers: one letter never spoils its batch, one
// address rule for intake and composition, alerts that say a letter may be forged, staff alerts
// apart from acknowledgements, and no acknowledgement to the office's own address.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/utf8.hpp"
#include "cases/case_table.hpp"
#include "cases/channel_requests.hpp"
#include "cases/correspondence_plan.hpp"
#include "cases/plan_failure.hpp"
#include "daemon/config.hpp"
#include "mail/address_rule.hpp"
#include "mail/automatic.hpp"
#include "mail/charset.hpp"
#include "mail/compose.hpp"
#include "mail/parse.hpp"
#include "mail/sender_auth.hpp"
#include "templates/template_set.hpp"

namespace mc = mailgate::cases;
namespace mm = mailgate::mail;
namespace ms = mailgate::storage;
namespace utf8 = mailgate::base::utf8;

namespace {

constexpr const char* kOffice = "upk@lenobl.example";
constexpr const char* kOfficer = "m.ivanova@lenobl.example";
constexpr const char* kHead = "head.gifts@lenobl.example";

mc::Settings settings() {
  mc::Settings s;
  s.office.address = kOffice;
  s.office.message_id_domain = "lenobl.example";
  s.units = {{"gifts", "Отдел по подаркам", kHead}, {"housing", "Отдел ЖКХ", ""}};
  s.officers = {{"ivanova", "Иванова Мария Петровна", kOfficer, "gifts"}};
  s.officer_auth.authserv_ids = {"mx.lenobl.example"};
  s.alerts_per_sender_per_hour = 2;
  return s;
}

ms::Incoming letter(std::uint32_t uid, const std::string& fields, const std::string& body) {
  std::string head =
      fields + "To: upk@lenobl.example\nMessage-ID: <h" + std::to_string(uid) +
      "@mail.example.org>\nMIME-Version: 1.0\n"
      "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" +
      body;
  ms::Incoming in;
  in.uid = uid;
  for (char c : head) {
    if (c == '\n') in.raw += '\r';
    in.raw += c;
  }
  in.parsed = mm::parse_message(in.raw);
  return in;
}

ms::Incoming from(std::uint32_t uid, const std::string& address, const std::string& extra = "",
                  const std::string& body = "Добрый день. Мне предлагают взятку.\n") {
  return letter(uid, extra + "From: Иван <" + address + ">\nSubject: Вопрос\n", body);
}

bool has_flag(const mc::LetterPlan& p, const std::string& flag) {
  return std::find(p.flags.begin(), p.flags.end(), flag) != p.flags.end();
}

std::vector<mailgate::templates::TemplateFile> shipped_files() {
  std::vector<mailgate::templates::TemplateFile> files;
  auto dir = std::filesystem::path(MAILGATE_TEST_DATA) / ".." / ".." / "templates" / "mail";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    files.push_back({entry.path().filename().string(), text.str()});
  }
  return files;
}

class HostileBatchPlan : public ::testing::Test {
 protected:
  mc::LetterPlan plan(const ms::Incoming& in) { return planner.plan(in, facts); }

  mc::Settings s = settings();
  mailgate::templates::TemplateSet templates;
  mc::Outbound outbound{s, templates};
  mc::LetterPlanner planner{s, outbound};
  mc::BatchFacts facts;
};

}  // namespace

// ---- item 1: the cut and the dumps ------------------------------------------------------------

TEST(HostileBatchUtf8, TruncateValidCutsByCharactersAndRepairsBytes) {
  EXPECT_EQ(utf8::truncate_valid("абв", 2), "аб");
  EXPECT_EQ(utf8::truncate_valid("abc", 5), "abc");
  EXPECT_EQ(utf8::truncate_valid("", 3), "");
  EXPECT_EQ(utf8::truncate_valid("abc", 0), "");
  // A character cut in half by an earlier byte cut, a stray continuation byte, a bad lead.
  EXPECT_EQ(utf8::truncate_valid("a\xd0", 5), "a\xef\xbf\xbd");
  EXPECT_EQ(utf8::truncate_valid("\x80z", 5), "\xef\xbf\xbdz");
  EXPECT_EQ(utf8::truncate_valid("\xff\xfe", 1), "\xef\xbf\xbd");
  for (const std::string& bad :
       {std::string("x\xd0"), std::string("\xe2\x82"), std::string("\xc0\xaf"),
        std::string("\xed\xa0\x80"), std::string(79, 'a') + "Ж"}) {
    for (std::size_t n = 0; n < 82; ++n) {
      EXPECT_TRUE(mm::is_valid_utf8(utf8::truncate_valid(bad, n))) << n;
    }
  }
}

TEST(HostileBatchSenderAuth, SenderOf79AsciiThenCyrillicGivesAValidReason) {
  std::string sender(79, 's');
  sender += "Ж";
  auto in = letter(1,
                   std::string("From: Officer <") + kOfficer + ">\nSender: " + sender +
                       "\nSubject: [УПК-2026-000001] Re\n",
                   "ОТВЕТ\nТекст.\n");
  mm::SenderAuthSettings auth;
  auth.authserv_ids = {"mx.lenobl.example"};
  auto verdict = mm::vouch_for_sender(*in.parsed, kOfficer, auth);
  EXPECT_FALSE(verdict.vouched);
  EXPECT_NE(verdict.reason.find("Sender"), std::string::npos) << verdict.reason;
  EXPECT_TRUE(mm::is_valid_utf8(verdict.reason)) << mm::sanitize_utf8(verdict.reason);
  EXPECT_NE(verdict.reason.find("Ж"), std::string::npos) << "cut by characters, not bytes";
  EXPECT_NO_THROW(nlohmann::json({{"reason", verdict.reason}}).dump());
}

TEST_F(HostileBatchPlan, ForgedOfficerMailWithLongSenderIsFlaggedAndAlerted) {
  ms::CaseRef c;
  c.id = 7;
  c.regno = "УПК-2026-000001";
  c.officer = "ivanova";
  c.unit = "gifts";
  c.client_address = "ivan@example.org";
  c.channels = {"ivan@example.org"};
  facts.cases_by_regno[c.regno] = c;
  std::string sender(79, 's');
  sender += "Ж";
  auto in = letter(1,
                   std::string("From: Officer <") + kOfficer + ">\nSender: " + sender +
                       "\nSubject: Re: [УПК-2026-000001] Вопрос\n",
                   "ОТВЕТ\nТекст.\n");
  mc::LetterPlan p;
  ASSERT_NO_THROW(p = plan(in));
  EXPECT_TRUE(has_flag(p, "suspected_spoofing"));
  ASSERT_TRUE(p.event_detail);
  EXPECT_TRUE(mm::is_valid_utf8(*p.event_detail));
  EXPECT_FALSE(p.acknowledge);
  ASSERT_FALSE(p.alerts.empty());
  EXPECT_EQ(p.alerts[0].address, kOfficer);
}

TEST(HostileBatchPlanEach, OneFailingLetterLeavesTheOthersPlansIntact) {
  mc::Settings s = settings();
  std::vector<ms::Incoming> batch;
  for (std::uint32_t uid = 1; uid <= 5; ++uid) {
    batch.push_back(from(uid, "c" + std::to_string(uid) + "@example.org"));
  }
  ms::Incoming unparsed;
  unparsed.uid = 6;
  batch.push_back(unparsed);
  auto plans = mc::plan_each(batch, s, [](const ms::Incoming& in) {
    if (in.uid == 3) throw std::runtime_error("broken \xd0");  // invalid UTF-8 in the reason
    mc::LetterPlan p;
    p.acknowledge = true;
    p.flags = {"ok"};
    p.alerts.push_back({"officer", kOfficer, "Иванова"});
    return p;
  });
  ASSERT_EQ(plans.size(), 5u);
  for (std::uint32_t uid : {1u, 2u, 4u, 5u}) {
    EXPECT_TRUE(plans[uid].acknowledge) << uid;
    EXPECT_EQ(batch[uid - 1].flags, std::vector<std::string>{"ok"}) << uid;
  }
  const mc::LetterPlan& failed = plans[3];
  EXPECT_FALSE(failed.acknowledge);
  EXPECT_FALSE(failed.join_case);
  EXPECT_TRUE(has_flag(failed, "plan_failed"));
  EXPECT_EQ(batch[2].flags, std::vector<std::string>{"plan_failed"});
  ASSERT_EQ(failed.alerts.size(), 1u);
  EXPECT_EQ(failed.alerts[0].channel, "duty");
  EXPECT_EQ(failed.alerts[0].address, kHead);
  EXPECT_TRUE(mm::is_valid_utf8(batch[2].event_detail));
  EXPECT_EQ(mc::plan_failure_reason(batch[2].event_detail), "broken \xef\xbf\xbd");
  EXPECT_EQ(mc::plan_failure_reason("{}"), "");
  EXPECT_EQ(mc::plan_failure_reason("not json"), "");
  // The database failing is not the letter's fault: the batch is retried whole.
  EXPECT_THROW(mc::plan_each(batch, s,
                             [](const ms::Incoming&) -> mc::LetterPlan {
                               throw ms::StoreError(true, "connection lost");
                             }),
               ms::StoreError);
}

TEST(HostileBatchPlanEach, DutyRecipientsNeverTheOfficeItself) {
  mc::Settings s = settings();
  auto duty = mc::duty_recipients(s);
  ASSERT_EQ(duty.size(), 1u);  // the one unit head; the unit without a head adds nobody
  EXPECT_EQ(duty[0].address, kHead);
  s.office.duty_address = "duty@lenobl.example";
  duty = mc::duty_recipients(s);
  ASSERT_EQ(duty.size(), 1u);
  EXPECT_EQ(duty[0].address, "duty@lenobl.example");
  s.office.duty_address = "UPK@lenobl.example";  // the office's own: falls back to the heads
  s.units.push_back({"x", "Отдел", kOffice});
  duty = mc::duty_recipients(s);
  ASSERT_EQ(duty.size(), 1u);
  EXPECT_EQ(duty[0].address, kHead);
}

TEST(HostileBatchPlanEach, FailureAlertComposesForTheDutyAddress) {
  mc::Settings s = settings();
  auto set =
      mailgate::templates::TemplateSet::load(shipped_files(), mailgate::templates::LintSettings{});
  mc::Outbound out(s, set);
  mc::CaseFacts f;
  f.regno = "УПК-2026-000009";
  f.subject = "Взятка";
  f.text = "Текст письма.";
  auto item = out.to_staff("plan_failure_alert", f, {"duty", kHead, ""},
                           {{"failure", {{"reason", "type_error"}}}});
  EXPECT_EQ(item.recipient, kHead);
  auto sent = mm::parse_message(item.raw);
  EXPECT_NE(sent.text.find("mailgate case show УПК-2026-000009"), std::string::npos) << sent.text;
  EXPECT_NE(sent.text.find("type_error"), std::string::npos);
}

// ---- item 2: one address rule -----------------------------------------------------------------

TEST(HostileBatchAddress, OneRuleEdgeCases) {
  std::string local64(64, 'a');
  std::string local65(65, 'a');
  std::string label63(63, 'b');
  // 64 + 1 + 189 = 254 octets; one more is 255.
  std::string domain189 = label63 + "." + label63 + "." + std::string(58, 'c') + ".ru";
  ASSERT_EQ(domain189.size(), 189u);
  for (const std::string& good :
       {std::string("a@b.example"), std::string("ivan.petrov+x@mail.example.org"),
        std::string("o'brien@x.org"), local64 + "@x.example", local64 + "@" + domain189}) {
    EXPECT_TRUE(mm::deliverable_address(good)) << good;
    EXPECT_TRUE(mc::plausible_address(good)) << good;
    EXPECT_TRUE(mm::is_valid_addr_spec(good)) << good;
  }
  for (const std::string& bad : {std::string("\"john..doe\"@example.org"),
                                 std::string("john..doe@example.org"),
                                 std::string("x..y@example.org"),
                                 std::string(".x@example.org"),
                                 std::string("x.@example.org"),
                                 local65 + "@x.example",
                                 local64 + "@" + domain189 + "x",
                                 std::string("a@b"),
                                 std::string("a@localhost"),
                                 std::string("a@[127.0.0.1]"),
                                 std::string("a@b.c"),
                                 std::string("a@b..example"),
                                 std::string("a@-b.example"),
                                 std::string("a@"),
                                 std::string("@b.example"),
                                 std::string("ab.example"),
                                 std::string("a@b@c.example"),
                                 std::string("и@b.example"),
                                 std::string("a@и.example"),
                                 std::string("a b@c.example"),
                                 std::string("a\r\nb@c.example"),
                                 std::string("a\x01@c.ru"),
                                 std::string("")}) {
    EXPECT_FALSE(mm::deliverable_address(bad)) << mm::sanitize_utf8(bad);
    EXPECT_TRUE(mm::address_problem(bad)) << mm::sanitize_utf8(bad);
    EXPECT_FALSE(mc::plausible_address(bad)) << mm::sanitize_utf8(bad);
    EXPECT_FALSE(mm::is_valid_addr_spec(bad)) << mm::sanitize_utf8(bad);
  }
}

TEST(HostileBatchAddress, MalformedChannelRequestIsRefusedNotDropped) {
  auto r = mc::find_channel_requests(
      "Дополнительный канал: x..y@example.org\nДополнительный канал: good@example.org\n"
      "Дополнительный канал: удалить z..z@example.org\n",
      mc::default_request_phrases());
  EXPECT_EQ(r.add, std::vector<std::string>{"good@example.org"});
  EXPECT_EQ(r.refused, std::vector<std::string>{"x..y@example.org"});
  EXPECT_TRUE(r.remove.empty());
  std::string many;
  for (int i = 0; i < 300; ++i) {
    many += "Дополнительный канал: a" + std::to_string(i) + "..b@x.ru\n";
  }
  EXPECT_EQ(mc::find_channel_requests(many, {}).refused.size(), 5u);
}

TEST_F(HostileBatchPlan, BadPrimaryAddressStillAlertsTheOfficer) {
  auto p = plan(from(1, "\"john..doe\"@example.org"));
  EXPECT_TRUE(has_flag(p, "no_address"));
  EXPECT_FALSE(p.acknowledge);
  EXPECT_TRUE(p.client_channels.empty());
  ASSERT_FALSE(p.alerts.empty());
  EXPECT_EQ(p.alerts[0].address, kOfficer);

  p = plan(from(2, std::string(65, 'a') + "@example.org"));
  EXPECT_TRUE(has_flag(p, "no_address"));
  EXPECT_FALSE(p.alerts.empty());
}

TEST_F(HostileBatchPlan, BadAdditionalChannelIsToldToTheClient) {
  auto p =
      plan(from(1, "ivan@example.org", "", "Вопрос.\nДополнительный канал: x..y@example.org\n"));
  EXPECT_TRUE(p.acknowledge);
  EXPECT_EQ(p.client_channels, std::vector<std::string>{"ivan@example.org"});
  EXPECT_EQ(p.refused_channels, std::vector<std::string>{"x..y@example.org"});
  ASSERT_EQ(p.channels.size(), 1u);
}

TEST(HostileBatchAddress, ClientMailSkipsAnUnusableChannel) {
  mc::Settings s = settings();
  auto set =
      mailgate::templates::TemplateSet::load(shipped_files(), mailgate::templates::LintSettings{});
  mc::Outbound out(s, set);
  mc::CaseFacts f;
  f.regno = "УПК-2026-000010";
  f.subject = "Вопрос";
  f.client_address = "john..doe@example.org";
  f.channels = {"john..doe@example.org", "second@example.org"};
  auto mail = out.to_client(
      "acknowledgement", f,
      {{"kb_links", nlohmann::json::array()},
       {"has_kb_links", false},
       {"refused_channels", nlohmann::json::array({{{"address", "x..y@example.org"}}})},
       {"has_refused_channels", true}});
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].recipient, "second@example.org");
  auto sent = mm::parse_message(mail[0].raw);
  EXPECT_NE(sent.text.find("x..y@example.org"), std::string::npos) << sent.text;
  EXPECT_NE(sent.text.find("В этих адресах ошибка"), std::string::npos) << sent.text;
}

// ---- item 10: the alert says the letter may be forged -----------------------------------------

TEST(HostileBatchAlert, SuspectedSpoofingIsTheFirstLine) {
  mc::Settings s = settings();
  auto set =
      mailgate::templates::TemplateSet::load(shipped_files(), mailgate::templates::LintSettings{});
  mc::Outbound out(s, set);
  mc::CaseFacts f;
  f.regno = "УПК-2026-000011";
  f.subject = "Re: Вопрос";
  for (bool spoofing : {true, false}) {
    auto item = out.to_staff("officer_alert", f, {"officer", kOfficer, "Иванова"},
                             {{"suspected_spoofing", spoofing}});
    auto sent = mm::parse_message(item.raw);
    std::string first = sent.text.substr(0, sent.text.find('\n'));
    if (spoofing) {
      EXPECT_EQ(first.rfind("Внимание: письмо пришло с адреса сотрудника", 0), 0u) << first;
      EXPECT_NE(first.find("Возможна подделка"), std::string::npos) << first;
    } else {
      EXPECT_EQ(first.rfind("Здравствуйте", 0), 0u) << first;
    }
  }
}

// ---- items 11 and 12 --------------------------------------------------------------------------

TEST_F(HostileBatchPlan, AutoResponseSuppressStopsOnlyTheAcknowledgement) {
  auto p = plan(from(1, "ivan@example.org", "X-Auto-Response-Suppress: All\n"));
  EXPECT_TRUE(p.automatic.empty());
  EXPECT_FALSE(p.acknowledge);
  EXPECT_TRUE(has_flag(p, "ack_suppressed_by_sender"));
  ASSERT_FALSE(p.alerts.empty());
  EXPECT_EQ(p.alerts[0].address, kOfficer);
  // A real auto-reply is still one.
  p = plan(
      from(2, "ivan@example.org", "Auto-Submitted: auto-replied\nX-Auto-Response-Suppress: All\n"));
  EXPECT_EQ(p.automatic, "auto_reply");
  EXPECT_TRUE(p.alerts.empty());
  EXPECT_TRUE(mm::suppresses_auto_response(*from(3, "a@b.example",
                                                 "X-Auto-Response-Suppress: "
                                                 "DR, OOF\n")
                                                .parsed));
  EXPECT_FALSE(mm::suppresses_auto_response(*from(4, "a@b.example",
                                                  "X-Auto-Response-Suppress: "
                                                  "DR, RN\n")
                                                 .parsed));
}

TEST_F(HostileBatchPlan, StaffAlertsAreCappedPerSenderWithinTheBatchToo) {
  facts.alerts["ivan@example.org"] = 1;  // one in the last hour already; the cap is 2
  auto p1 = plan(from(1, "ivan@example.org"));
  auto p2 = plan(from(2, "Ivan@Example.org"));
  auto other = plan(from(3, "olga@example.org"));
  EXPECT_FALSE(p1.alerts.empty());
  EXPECT_FALSE(has_flag(p1, "alert_rate_limited"));
  EXPECT_TRUE(p2.alerts.empty());
  EXPECT_TRUE(has_flag(p2, "alert_rate_limited"));
  EXPECT_TRUE(p2.acknowledge) << "the acknowledgement has its own cap";
  EXPECT_FALSE(other.alerts.empty());
}

TEST_F(HostileBatchPlan, OfficesOwnAddressIsNeverAcknowledged) {
  auto p = plan(from(1, kOffice));
  EXPECT_FALSE(p.acknowledge);
  EXPECT_TRUE(has_flag(p, "from_office"));
  EXPECT_TRUE(p.client_channels.empty());
  // A Reply-To of the office's own address is not a channel: the From is acknowledged, the
  // office never (issue 12, items 4 and 12).
  p = plan(from(2, "ivan@example.org", std::string("Reply-To: <") + kOffice + ">\n"));
  EXPECT_EQ(p.client_channels, std::vector<std::string>{"ivan@example.org"});
  for (const auto& c : p.channels) EXPECT_NE(c.address, kOffice);
}

// ---- the configuration keys -------------------------------------------------------------------

TEST(HostileBatchConfig, DutyAddressAndAlertCap) {
  const std::string head =
      "[imap]\nhost = \"h\"\nuser = \"u\"\n[database]\nurl = \"postgresql:///x\"\n";
  auto error_of = [&](const std::string& text) -> std::string {
    try {
      mailgate::daemon::load_config_text(head + text, "/etc/m.toml");
    } catch (const mailgate::daemon::ConfigError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(error_of("[office]\naddress = \"upk@lenobl.example\"\n"
                     "duty_address = \"UPK@lenobl.example\"\n"),
            "/etc/m.toml:8: office.duty_address: must not be the office's own address");
  EXPECT_EQ(error_of("[office]\nduty_address = \"x..y@lenobl.example\"\n"),
            "/etc/m.toml:7: office.duty_address: not an address we can write to: has a malformed "
            "part before @ (a dot or a character)");
  EXPECT_EQ(error_of("[office]\nduty_address = \"duty@lenobl.example\"\n"), "");
  EXPECT_EQ(error_of("[outbox]\nalerts_per_sender_per_hour = -1\n"),
            "/etc/m.toml:7: outbox.alerts_per_sender_per_hour: must be between 0 and 10000");
  auto c = mailgate::daemon::load_config_text(head, "/etc/m.toml");
  EXPECT_EQ(c.outbox.alerts_per_sender_per_hour, 20);
  EXPECT_EQ(c.office.duty_address, "");
}

TEST(HostileBatchFlags, CaseListNamesTheNewFlagsInRussian) {
  EXPECT_EQ(mc::flag_text({"plan_failed", "from_office", "alert_rate_limited",
                           "ack_suppressed_by_sender", "suspected_spoofing"}),
            "не разобрано, сообщено дежурному, с адреса управления, без оповещения: лимит, без "
            "подтверждения: просил отправитель, возможна подделка");
}
