// The checks an officer's command by mail passes (cases/command_guard.*, mail/alert_token.*):
// the second factor (a token naming the officer and the case, or a trusted DKIM pass), who may
// act on a case, what makes two commands the same, and the batch seeing an earlier command.
#include <gtest/gtest.h>

#include <string>

#include "cases/command_guard.hpp"
#include "mail/alert_token.hpp"
#include "mail/message_id.hpp"
#include "mail/parse.hpp"

namespace mc = mailgate::cases;
namespace mm = mailgate::mail;
namespace ms = mailgate::storage;

namespace {

constexpr const char* kRegno = "УПК-2026-000123";
constexpr const char* kOfficer = "m.ivanova@lenobl.example";
constexpr const char* kColleague = "o.sidorova@lenobl.example";
constexpr const char* kHead = "head.gifts@lenobl.example";
constexpr const char* kDomain = "lenobl.example";
const std::string kKey(32, 'k');

mc::Settings settings() {
  mc::Settings s;
  s.office.address = "upk@lenobl.example";
  s.office.message_id_domain = kDomain;
  s.units = {{"gifts", "Отдел по подаркам", kHead, false}, {"housing", "Отдел ЖКХ", "", false}};
  s.officers = {{"ivanova", "Иванова Мария Петровна", kOfficer, "gifts"},
                {"sidorova", "Сидорова Ольга", kColleague, "gifts"},
                {"petrov", "Петров Сергей", "s.petrov@lenobl.example", "housing"},
                {"head", "Руководитель", kHead, "gifts"}};
  s.officer_auth.authserv_ids = {"mx.lenobl.example"};
  s.officer_auth.token_key = kKey;
  return s;
}

ms::CaseRef the_case() {
  ms::CaseRef c;
  c.id = 42;
  c.regno = kRegno;
  c.status = "registered";
  c.officer = "ivanova";
  c.unit = "gifts";
  return c;
}

const mc::Officer& officer(const mc::Settings& s, const std::string& id) {
  for (const auto& o : s.officers) {
    if (o.id == id) return o;
  }
  throw std::runtime_error("no officer " + id);
}

// An officer's reply: `fields` on top, From `from`.
mm::Message reply(const std::string& fields, const std::string& from = kOfficer) {
  std::string head = fields + "From: <" + from +
                     ">\nTo: upk@lenobl.example\nSubject: Re: alert\n"
                     "Message-ID: <r1@lenobl.example>\nMIME-Version: 1.0\n"
                     "Content-Type: text/plain; charset=utf-8\n\nОТВЕТ\nТекст.\n";
  std::string raw;
  for (char c : head) {
    if (c == '\n') raw += '\r';
    raw += c;
  }
  return mm::parse_message(raw);
}

const std::string kOurMx =
    "Received: from mail.evil.example (mail.evil.example [203.0.113.5])\n"
    "\tby mx.lenobl.example (Postfix) with ESMTPS id 4Zk3Lq0xYz;\n"
    "\tWed, 25 Mar 2026 17:19:03 +0300\n";

}  // namespace

// --- the token in staff mail's Message-IDs ------------------------------------------------------

TEST(AlertToken, StaffMessageIdIsOursAndVerifiesOnlyForItsOfficerAndCase) {
  std::string id = mm::make_staff_message_id(kRegno, kDomain, kKey, kOfficer);
  EXPECT_TRUE(mm::is_our_message_id(id, kDomain));
  EXPECT_EQ(mm::regno_from_message_id(id, kDomain), kRegno);
  EXPECT_TRUE(mm::is_valid_msg_id(id));
  EXPECT_TRUE(mm::staff_token_verifies(id, kDomain, kKey, kRegno, kOfficer));
  EXPECT_TRUE(mm::staff_token_verifies(id, kDomain, kKey, kRegno, "M.Ivanova@LENOBL.example"));
  EXPECT_FALSE(mm::staff_token_verifies(id, kDomain, kKey, kRegno, kColleague));
  EXPECT_FALSE(mm::staff_token_verifies(id, kDomain, kKey, "УПК-2026-000124", kOfficer));
  EXPECT_FALSE(mm::staff_token_verifies(id, kDomain, std::string(32, 'x'), kRegno, kOfficer));
  EXPECT_FALSE(mm::staff_token_verifies(id, kDomain, "", kRegno, kOfficer));
  EXPECT_FALSE(mm::staff_token_verifies(id, "other.example", kKey, kRegno, kOfficer));
}

TEST(AlertToken, ATamperedOrMissingTokenDoesNotVerify) {
  std::string id = mm::make_staff_message_id(kRegno, kDomain, kKey, kOfficer);
  auto parts = mm::parse_our_message_id(id, kDomain);
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->token.size(), 32u);
  std::string flipped = id;
  std::size_t at = flipped.find('@');
  flipped[at - 1] = flipped[at - 1] == '0' ? '1' : '0';
  EXPECT_FALSE(mm::staff_token_verifies(flipped, kDomain, kKey, kRegno, kOfficer));
  // The same random part with another officer's token: still not this officer's.
  std::string other = id.substr(0, at - 32) +
                      mm::alert_token(kKey, kRegno, kColleague, parts->random) + id.substr(at);
  EXPECT_TRUE(mm::staff_token_verifies(other, kDomain, kKey, kRegno, kColleague));
  EXPECT_FALSE(mm::staff_token_verifies(other, kDomain, kKey, kRegno, kOfficer));
  // An ordinary id of ours (an acknowledgement) carries no token.
  std::string plain = mm::make_message_id(kRegno, kDomain);
  EXPECT_FALSE(mm::staff_token_verifies(plain, kDomain, kKey, kRegno, kOfficer));
  // A token of the wrong length makes the id not ours at all.
  EXPECT_FALSE(mm::is_our_message_id(id.substr(0, at - 1) + id.substr(at), kDomain));
  // Without a key, staff mail gets an ordinary id.
  EXPECT_TRUE(
      mm::parse_our_message_id(mm::make_staff_message_id(kRegno, kDomain, "", kOfficer), kDomain)
          ->token.empty());
}

// --- the second factor ---------------------------------------------------------------------------

TEST(CommandGuard, ReplyToTheOfficersOwnAlertPasses) {
  mc::Settings s = settings();
  std::string alert = mm::make_staff_message_id(kRegno, kDomain, kKey, kOfficer);
  auto v = mc::second_factor(reply("In-Reply-To: " + alert + "\n"), officer(s, "ivanova"),
                             the_case(), s);
  EXPECT_TRUE(v.ok) << v.reason;
  // Named only in References (a client that rewrites In-Reply-To) is as good.
  v = mc::second_factor(reply("References: <x@y.example> " + alert + "\n"), officer(s, "ivanova"),
                        the_case(), s);
  EXPECT_TRUE(v.ok) << v.reason;
}

TEST(CommandGuard, NoReferenceOrAnotherOfficersAlertOrAnotherCaseFails) {
  mc::Settings s = settings();
  const auto& ivanova = officer(s, "ivanova");
  EXPECT_FALSE(mc::second_factor(reply(""), ivanova, the_case(), s).ok);
  std::string colleagues = mm::make_staff_message_id(kRegno, kDomain, kKey, kColleague);
  auto v = mc::second_factor(reply("In-Reply-To: " + colleagues + "\n"), ivanova, the_case(), s);
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.reason.find("no reference"), std::string::npos) << v.reason;
  std::string other_case = mm::make_staff_message_id("УПК-2026-000999", kDomain, kKey, kOfficer);
  EXPECT_FALSE(
      mc::second_factor(reply("In-Reply-To: " + other_case + "\n"), ivanova, the_case(), s).ok);
  // The client's acknowledgement (an id of ours without a token) is no proof either.
  std::string ack = mm::make_message_id(kRegno, kDomain);
  EXPECT_FALSE(mc::second_factor(reply("In-Reply-To: " + ack + "\n"), ivanova, the_case(), s).ok);
}

TEST(CommandGuard, TrustedDkimPassAboveOurReceivedPasses) {
  mc::Settings s = settings();
  const auto& ivanova = officer(s, "ivanova");
  std::string ar = "Authentication-Results: mx.lenobl.example; dkim=pass header.d=lenobl.example\n";
  EXPECT_TRUE(mc::second_factor(reply(ar + kOurMx), ivanova, the_case(), s).ok);
  // Below our MTA's Received it was written by the sender.
  EXPECT_FALSE(mc::second_factor(reply(kOurMx + ar), ivanova, the_case(), s).ok);
  // SPF alone vouches for the servers, not the person.
  std::string spf =
      "Authentication-Results: mx.lenobl.example; spf=pass "
      "smtp.mailfrom=m.ivanova@lenobl.example\n";
  EXPECT_FALSE(mc::second_factor(reply(spf + kOurMx), ivanova, the_case(), s).ok);
}

// --- who may act
// -----------------------------------------------------------------------------------

TEST(CommandGuard, OnlyTheCasesOfficerTheHeadOrAfterHandOverTheNewOfficer) {
  mc::Settings s = settings();
  ms::CaseRef c = the_case();
  EXPECT_FALSE(mc::may_act(s, c, officer(s, "ivanova")));
  EXPECT_FALSE(mc::may_act(s, c, officer(s, "head")));
  auto refusal = mc::may_act(s, c, officer(s, "sidorova"));
  ASSERT_TRUE(refusal);
  EXPECT_NE(refusal->find("Иванова Мария Петровна"), std::string::npos) << *refusal;
  EXPECT_NE(refusal->find(kHead), std::string::npos) << *refusal;
  EXPECT_TRUE(mc::may_act(s, c, officer(s, "petrov")));
  // Handed to a colleague: the case is theirs, and no longer the first officer's.
  c.officer = "sidorova";
  EXPECT_FALSE(mc::may_act(s, c, officer(s, "sidorova")));
  EXPECT_TRUE(mc::may_act(s, c, officer(s, "ivanova")));
}

TEST(CommandGuard, AnyoneInUnitLetsTheUnitsOfficersActButNotOthers) {
  mc::Settings s = settings();
  s.units[0].anyone_in_unit = true;
  ms::CaseRef c = the_case();
  EXPECT_FALSE(mc::may_act(s, c, officer(s, "sidorova")));
  EXPECT_TRUE(mc::may_act(s, c, officer(s, "petrov")));
}

// --- replays and the batch
// -------------------------------------------------------------------------

TEST(CommandGuard, DigestIgnoresWhiteSpaceButNotTheCaseActionOrText) {
  mc::OfficerCommand a;
  a.action = mc::Action::answer;
  a.text = "Часы можно\nоставить.";
  mc::OfficerCommand b = a;
  b.text = "  Часы   можно оставить.\n\n";
  EXPECT_EQ(mc::command_digest(kRegno, a), mc::command_digest(kRegno, b));
  EXPECT_NE(mc::command_digest(kRegno, a), mc::command_digest("УПК-2026-000124", a));
  mc::OfficerCommand c = a;
  c.action = mc::Action::clarify;
  EXPECT_NE(mc::command_digest(kRegno, a), mc::command_digest(kRegno, c));
  c = a;
  c.text = "Часы нельзя оставить.";
  EXPECT_NE(mc::command_digest(kRegno, a), mc::command_digest(kRegno, c));
  mc::OfficerCommand e1;
  e1.action = mc::Action::extend;
  e1.days = 10;
  mc::OfficerCommand e2 = e1;
  e2.days = 20;
  EXPECT_NE(mc::command_digest(kRegno, e1), mc::command_digest(kRegno, e2));
}

TEST(CommandGuard, TheBatchSeesAnEarlierCommandAndItsKeys) {
  mc::BatchFacts facts;
  facts.cases_by_regno[kRegno] = the_case();
  facts.cases_by_message_id["<a@lenobl.example>"] = the_case();
  ms::CaseRef other = the_case();
  other.id = 7;
  facts.cases_by_regno["УПК-2026-000007"] = other;
  ms::CaseUpdate u;
  u.status = "answered";
  u.extended_days = 10;
  u.command_message_id = "<cmd1@lenobl.example>";
  u.command_digest = "abc";
  EXPECT_FALSE(mc::already_executed(facts, "<cmd1@lenobl.example>", "abc"));
  mc::note_command(facts, 42, u);
  EXPECT_EQ(facts.cases_by_regno[kRegno].status, "answered");
  EXPECT_EQ(facts.cases_by_regno[kRegno].extended_days, 10);
  EXPECT_EQ(facts.cases_by_message_id["<a@lenobl.example>"].status, "answered");
  EXPECT_EQ(facts.cases_by_regno["УПК-2026-000007"].status, "registered");
  EXPECT_TRUE(mc::already_executed(facts, "<cmd1@lenobl.example>", "other"));
  EXPECT_TRUE(mc::already_executed(facts, "<cmd2@lenobl.example>", "abc"));
  EXPECT_FALSE(mc::already_executed(facts, "<cmd2@lenobl.example>", "def"));
  facts.command_executed = [](const std::string& id, const std::string&) {
    return id == "<old@lenobl.example>";
  };
  EXPECT_TRUE(mc::already_executed(facts, "<old@lenobl.example>", "def"));
}
