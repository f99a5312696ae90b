// Follow-up recognition (case tags, referenced ids) and channel requests in client text.
#include <gtest/gtest.h>

#include "base/text.hpp"
#include "cases/channel_requests.hpp"
#include "cases/followup.hpp"

using mailgate::cases::CaseTagFinder;
using mailgate::cases::find_channel_requests;

TEST(CaseTags, FindsTagsOfThePattern) {
  CaseTagFinder f("УПК-{year}-{seq:06}");
  EXPECT_EQ(f.find("Re: [УПК-2026-000123] Вопрос о подарке"),
            std::vector<std::string>{"УПК-2026-000123"});
  EXPECT_EQ(f.find("RE: RE: [УПК-2026-000123] и [УПК-2025-001000] [УПК-2026-000123]"),
            (std::vector<std::string>{"УПК-2026-000123", "УПК-2025-001000"}));
  EXPECT_TRUE(f.find("УПК-2026-000123 без скобок").empty());
  EXPECT_TRUE(f.find("[УПК-26-000123]").empty());
  EXPECT_EQ(f.find("[УПК-2026-1234567]"), std::vector<std::string>{"УПК-2026-1234567"});
  CaseTagFinder dotted("ЛО.{seq}/{year}");
  EXPECT_EQ(dotted.find("[ЛО.15/2026]"), std::vector<std::string>{"ЛО.15/2026"});
  EXPECT_TRUE(dotted.find("[ЛОx15/2026]").empty());
  // A bracket inside junk, a tag cut off at the end, an empty sequence number.
  EXPECT_EQ(f.find("[[УПК-2026-000001]]"), std::vector<std::string>{"УПК-2026-000001"});
  EXPECT_TRUE(f.find("[УПК-2026-000001").empty());
  EXPECT_TRUE(f.find("[УПК-2026-]").empty());
  EXPECT_TRUE(f.find("[").empty());
  // A digit run followed by digits of the pattern: backs off as a regular expression would.
  CaseTagFinder digits_after("N{seq}7");
  EXPECT_EQ(digits_after.find("[N1237]"), std::vector<std::string>{"N1237"});
  EXPECT_TRUE(digits_after.find("[N7]").empty());
}

TEST(CaseTags, TaggedSubject) {
  EXPECT_EQ(CaseTagFinder::tagged("УПК-2026-000001", "Ответ"), "[УПК-2026-000001] Ответ");
  EXPECT_EQ(CaseTagFinder::tagged("УПК-2026-000001", "Re: [УПК-2026-000001] Ответ"),
            "Re: [УПК-2026-000001] Ответ");
  EXPECT_EQ(CaseTagFinder::tagged("УПК-2026-000001", ""), "[УПК-2026-000001]");
}

TEST(CaseTags, ReferencedIds) {
  mailgate::mail::Message m;
  m.in_reply_to = "<b@x> (comment) <c@x>";
  m.references = {"<a@x>", "<b@x>"};
  EXPECT_EQ(mailgate::cases::referenced_ids(m),
            (std::vector<std::string>{"<b@x>", "<c@x>", "<a@x>"}));
}

TEST(ChannelRequests, LinesAddAndRemove) {
  auto phrases = mailgate::cases::default_request_phrases();
  auto r = find_channel_requests(
      "Добрый день!\nДополнительный канал: Ivan.Petrov@Example.org\n"
      "ДОПОЛНИТЕЛЬНЫЙ КАНАЛ : <second@mail.example>.\n"
      "дополнительный канал: удалить old@mail.example\n",
      phrases);
  EXPECT_EQ(r.add, (std::vector<std::string>{"ivan.petrov@example.org", "second@mail.example"}));
  EXPECT_EQ(r.remove, std::vector<std::string>{"old@mail.example"});
}

TEST(ChannelRequests, PlainRequestsAcrossLineBreaks) {
  auto r =
      find_channel_requests("Прошу продублировать ответ\nна адрес petrov@lenobl.example, спасибо.",
                            mailgate::cases::default_request_phrases());
  EXPECT_EQ(r.add, std::vector<std::string>{"petrov@lenobl.example"});
  auto custom = find_channel_requests("Копию шлите на a@b.example", {"копию шлите на"});
  EXPECT_EQ(custom.add, std::vector<std::string>{"a@b.example"});
}

TEST(ChannelRequests, QuotedTextAndJunkAreIgnored) {
  auto phrases = mailgate::cases::default_request_phrases();
  // Our acknowledgement's own instructions, quoted in a reply.
  auto r = find_channel_requests(
      "Спасибо!\n> Дополнительный канал: someone@example.org\n"
      "> прошу продублировать ответ на адрес x@example.org\n"
      "Дополнительный канал: адрес@почты\nДополнительный канал: not an address\n"
      "Дополнительный канал ivan@example.org (без двоеточия)\n",
      phrases);
  EXPECT_TRUE(r.add.empty()) << r.add.front();
  EXPECT_TRUE(r.remove.empty());
}

TEST(ChannelRequests, RemoveWinsOverAddInOneMessage) {
  auto r = find_channel_requests(
      "Дополнительный канал: a@b.example\nДополнительный канал: удалить a@b.example\n", {});
  EXPECT_TRUE(r.add.empty());
  EXPECT_EQ(r.remove, std::vector<std::string>{"a@b.example"});
}

TEST(ChannelRequests, PlausibleAddress) {
  using mailgate::cases::plausible_address;
  EXPECT_TRUE(plausible_address("a.b+c@mail.example.org"));
  EXPECT_FALSE(plausible_address("a@b"));
  EXPECT_FALSE(plausible_address("a b@c.org"));
  EXPECT_FALSE(plausible_address("a@@c.org"));
  EXPECT_FALSE(plausible_address("адрес@почты.рф"));
  EXPECT_FALSE(plausible_address("a@b..org"));
  EXPECT_EQ(mailgate::base::lower_ru("ДОПОЛНИТЕЛЬНЫЙ Ёж ABC"), "дополнительный ёж abc");
}
