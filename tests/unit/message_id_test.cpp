// Message-IDs of our outgoing mail carry the registration number, reversibly.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "mail/charset.hpp"
#include "mail/message_id.hpp"

namespace mm = mailgate::mail;

TEST(MessageId, CarriesTheRegistrationNumber) {
  for (const char* regno : {"УПК-2026-000123", "2026/17", "A", "Ё-𝄞 x"}) {
    SCOPED_TRACE(regno);
    std::string id = mm::make_message_id(regno, "upk.example");
    EXPECT_TRUE(mm::is_ascii(id));
    EXPECT_TRUE(mm::is_valid_msg_id(id)) << id;
    EXPECT_EQ(id.rfind("<mg.", 0), 0u) << id;
    EXPECT_EQ(id.substr(id.size() - 13), "@upk.example>");
    EXPECT_EQ(mm::regno_from_message_id(id, "upk.example"), regno);
    EXPECT_TRUE(mm::is_our_message_id(id, "upk.example"));
  }
  EXPECT_EQ(mm::make_message_id("УПК-2026-000123", "upk.example").substr(0, 41),
            "<mg.d0a3d09fd09a2d323032362d303030313233.");
}

TEST(MessageId, RandomPartIsLongAndFresh) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = mm::make_message_id("УПК-2026-000123", "upk.example");
    std::string random = id.substr(41, id.find('@') - 41);
    EXPECT_EQ(random.size(), 32u);
    EXPECT_EQ(random.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_TRUE(seen.insert(id).second);
  }
}

TEST(MessageId, RecognisedLoosely) {
  std::string id = mm::make_message_id("УПК-2026-000123", "upk.example");
  std::string bare = id.substr(1, id.size() - 2);
  EXPECT_EQ(mm::regno_from_message_id(bare, "upk.example"), "УПК-2026-000123");
  EXPECT_EQ(mm::regno_from_message_id(" \t" + id + "\r\n", "upk.example"), "УПК-2026-000123");
  EXPECT_EQ(mm::regno_from_message_id(id, "UPK.Example"), "УПК-2026-000123");
  EXPECT_EQ(mm::regno_from_message_id(id, "upk.example."), "УПК-2026-000123");
  // A gateway that upper-cases the whole id.
  std::string upper = id;
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  EXPECT_EQ(mm::regno_from_message_id(upper, "upk.example"), "УПК-2026-000123");
}

TEST(MessageId, ForeignIdsAreNotOurs) {
  std::string id = mm::make_message_id("УПК-2026-000123", "upk.example");
  EXPECT_FALSE(mm::regno_from_message_id(id, "other.example"));
  EXPECT_FALSE(mm::regno_from_message_id(id, "sub.upk.example"));
  EXPECT_FALSE(mm::regno_from_message_id(id, ""));
  EXPECT_FALSE(mm::is_our_message_id(id, "example"));
  for (const char* bad :
       {"", "<>", "<@upk.example>", "<abc@upk.example>", "<mg.@upk.example>",
        "<mg.41.@upk.example>",
        "<mg.41.0123456789abcdef0123456789abcde@upk.example>",    // random part too short
        "<mg.414.0123456789abcdef0123456789abcdef@upk.example>",  // odd hex length
        "<mg.4g.0123456789abcdef0123456789abcdef@upk.example>",   // not hex
        "<mg..0123456789abcdef0123456789abcdef@upk.example>",     // empty number
        "<mg.ff.0123456789abcdef0123456789abcdef@upk.example>",   // not UTF-8
        "<mg.0a.0123456789abcdef0123456789abcdef@upk.example>",   // a control character
        "<xx.41.0123456789abcdef0123456789abcdef@upk.example>",
        "<mg.41.0123456789abcdef0123456789abcdeg@upk.example>"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(mm::regno_from_message_id(bad, "upk.example"));
  }
  EXPECT_EQ(mm::regno_from_message_id("<mg.41.0123456789abcdef0123456789abcdef@upk.example>",
                                      "upk.example"),
            "A");
}

TEST(MessageId, BadArgumentsThrow) {
  EXPECT_THROW(mm::make_message_id("", "upk.example"), std::invalid_argument);
  for (const char* domain : {"", "upk.example>", "a b", "upk..example", "-upk.example",
                             "upk.example\r\nBcc: x", "почта.рф", "[127.0.0.1]"}) {
    SCOPED_TRACE(domain);
    EXPECT_THROW(mm::make_message_id("1", domain), std::invalid_argument);
  }
  EXPECT_THROW(mm::make_message_id(std::string(200, 'x'), "upk.example"), std::invalid_argument);
}

TEST(MessageId, Syntax) {
  for (const char* good : {"<a@b>", "<CAF+abc=123@mail.gmail.com>", "<1.2.3@[10.0.0.1]>",
                           "<x!#$%&'*+/=?^_`{|}~-y@z.example>"}) {
    EXPECT_TRUE(mm::is_valid_msg_id(good)) << good;
  }
  for (const char* bad :
       {"a@b", "<a@b", "a@b>", "<a b@c>", "<a@b c>", "<a@b>x", "<\"a\"@b>", "<a@b@c>", "<.a@b>",
        "<a.@b>", "<a..b@c>", "<a@[b>", "<a\r\n@b>", "<\xd0\xb8@b>", "<>"}) {
    EXPECT_FALSE(mm::is_valid_msg_id(bad)) << mm::sanitize_utf8(bad);
  }
  EXPECT_FALSE(mm::is_valid_msg_id("<" + std::string(250, 'a') + "@b>"));
  EXPECT_EQ(mm::msg_id_domain("<a@Upk.Example>"), "Upk.Example");
  EXPECT_EQ(mm::msg_id_domain(" a@b "), "b");
  EXPECT_EQ(mm::msg_id_domain("<nodomain>"), "");
}
