// The caps on hostile input (mail::ParseLimits and the [limits] section of the config): each
// one is applied, recorded as a defect, and never makes the parse fail or lose the header.
#include <gtest/gtest.h>

#include <string>

#include "daemon/config.hpp"
#include "mail/parse.hpp"

namespace mm = mailgate::mail;

namespace {

const std::string kHead =
    "From: =?utf-8?B?0JjQstCw0L0g0J/QtdGC0YDQvtCy?= <ivan@example.org>\r\n"
    "To: upk@lenreg.ru\r\nSubject: =?utf-8?B?0JLQvtC/0YDQvtGB?=\r\n"
    "Message-ID: <big@example.org>\r\nDate: Wed, 25 Mar 2026 17:19:02 +0300\r\n";

bool has_defect(const mm::Message& m, const std::string& part) {
  for (const auto& d : m.defects) {
    if (d.find(part) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST(ParseLimits, OversizedMessageKeepsItsHeaderOnly) {
  mm::ParseLimits limits;
  limits.max_message_bytes = 4096;
  std::string msg = kHead +
                    "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                    "Content-Type: text/plain; charset=utf-8\r\n\r\nтекст\r\n--b\r\n"
                    "Content-Type: application/pdf; name=a.pdf\r\n"
                    "Content-Transfer-Encoding: base64\r\n\r\n" +
                    std::string(8000, 'A') + "\r\n--b--\r\n";
  mm::Message m = mm::parse_message(msg, limits);
  EXPECT_TRUE(m.oversized);
  EXPECT_EQ(m.subject, "Вопрос");
  ASSERT_TRUE(m.from.has_value());
  EXPECT_EQ(m.from->name, "Иван Петров");
  EXPECT_EQ(m.message_id, "<big@example.org>");
  EXPECT_TRUE(m.text.empty());
  EXPECT_TRUE(m.attachments.empty());
  EXPECT_TRUE(has_defect(m, "over the 4096-byte limit")) << testing::PrintToString(m.defects);
  EXPECT_FALSE(has_defect(m, "boundary"));  // the body was never looked at

  // At the limit exactly: parsed in full.
  limits.max_message_bytes = msg.size();
  mm::Message full = mm::parse_message(msg, limits);
  EXPECT_FALSE(full.oversized);
  EXPECT_EQ(full.text, "текст");
  EXPECT_EQ(full.attachments.size(), 1u);
}

TEST(ParseLimits, DefaultMessageLimitIs25Megabytes) {
  EXPECT_EQ(mm::ParseLimits{}.max_message_bytes, 25u * 1024 * 1024);
  std::string msg = kHead + "\r\n" + std::string(std::size_t{26} * 1024 * 1024, 'x') + "\r\n";
  mm::Message m = mm::parse_message(msg);
  EXPECT_TRUE(m.oversized);
  EXPECT_EQ(m.subject, "Вопрос");
  EXPECT_TRUE(m.text.empty());
}

TEST(ParseLimits, HeaderBlockIsCapped) {
  mm::ParseLimits limits;
  limits.max_header_bytes = 2048;
  std::string msg = kHead;
  for (int i = 0; i < 200; ++i) {
    msg += "X-Filler-" + std::to_string(i) + ": " + std::string(60, 'f') + "\r\n";
  }
  msg += "X-Late: after the cap\r\n\r\nbody\r\n";
  mm::Message m = mm::parse_message(msg, limits);
  EXPECT_EQ(m.subject, "Вопрос");
  EXPECT_EQ(m.field("X-Late"), nullptr);
  EXPECT_LT(m.header.size(), 40u);
  EXPECT_EQ(m.text, "body\n");
  EXPECT_TRUE(has_defect(m, "header block over 2048 bytes"));
}

TEST(ParseLimits, HeaderLineIsCapped) {
  mm::ParseLimits limits;
  limits.max_line_bytes = 1000;
  mm::Message m = mm::parse_message(
      "From: a@example.org\r\nSubject: " + std::string(5000, 's') + "\r\n\r\nbody\r\n", limits);
  EXPECT_LE(m.subject.size(), 1000u);
  EXPECT_GE(m.subject.size(), 900u);
  EXPECT_TRUE(has_defect(m, "over 1000 bytes: truncated"));
  // Folded continuation lines count toward the same field.
  std::string folded = "From: a@example.org\r\nSubject: s";
  for (int i = 0; i < 500; ++i) folded += "\r\n " + std::string(20, 'f');
  mm::Message f = mm::parse_message(folded + "\r\n\r\nbody\r\n", limits);
  EXPECT_LE(f.subject.size(), 1000u);
  EXPECT_EQ(f.text, "body\n");
}

TEST(ParseLimits, NestingDepthIsCapped) {
  mm::ParseLimits limits;
  limits.max_depth = 5;
  std::string msg = "From: a@example.org\r\n";
  for (int i = 0; i < 10; ++i) {
    msg += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n--b" +
           std::to_string(i) + "\r\n";
  }
  msg += "Content-Type: application/octet-stream; name=deep.bin\r\n\r\nx\r\n";
  mm::Message m = mm::parse_message(msg, limits);
  EXPECT_TRUE(has_defect(m, "MIME nesting deeper than 5"));
  limits.max_depth = 50;
  mm::Message wide = mm::parse_message(msg, limits);
  EXPECT_FALSE(has_defect(wide, "nesting"));
  ASSERT_EQ(wide.attachments.size(), 1u);
  EXPECT_EQ(wide.attachments[0].filename, "deep.bin");
}

TEST(ParseLimits, PartCountIsCapped) {
  mm::ParseLimits limits;
  limits.max_parts = 10;
  std::string msg = "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n";
  for (int i = 0; i < 50; ++i) msg += "--b\r\nContent-Type: application/x-a\r\n\r\nx\r\n";
  msg += "--b--\r\n";
  mm::Message m = mm::parse_message(msg, limits);
  EXPECT_LT(m.attachments.size(), 10u);
  EXPECT_GT(m.attachments.size(), 0u);
  EXPECT_TRUE(has_defect(m, "more than 10 MIME parts"));
}

TEST(ParseLimits, TenMegabyteHeaderFreeLine) {
  // No header, no line break: header-less text, kept whole as the body.
  std::string line(std::size_t{10} * 1024 * 1024, 'x');
  mm::Message m = mm::parse_message(line);
  EXPECT_TRUE(has_defect(m, "no header fields"));
  EXPECT_EQ(m.text.size(), line.size());
}

TEST(ParseLimits, TopLevelHeaderFieldsAreKept) {
  mm::Message m = mm::parse_message(
      "From: a@example.org\r\nX-Autoreply: yes\r\nList-Id: <l.example.org>\r\nSubject: a\r\n"
      " b\r\n\r\nbody\r\n");
  ASSERT_EQ(m.header.size(), 4u);
  EXPECT_EQ(m.header[1].name, "X-Autoreply");
  ASSERT_NE(m.field("list-id"), nullptr);
  EXPECT_EQ(*m.field("LIST-ID"), "<l.example.org>");
  EXPECT_EQ(*m.field("subject"), "a b");  // unfolded
  EXPECT_EQ(m.field("Precedence"), nullptr);
}

TEST(ParseLimits, ConfigSectionSetsEveryLimit) {
  const std::string head =
      "[imap]\nhost = \"127.0.0.1\"\nuser = \"u\"\n[database]\nurl = \"postgresql:///x\"\n";
  auto c = mailgate::daemon::load_config_text(
      head +
          "[limits]\nmax_message_bytes = 1048576\nmax_header_bytes = 65536\n"
          "max_line_bytes = 4096\nmax_mime_depth = 20\nmax_mime_parts = 500\n",
      "/etc/m.toml");
  EXPECT_EQ(c.limits.max_message_bytes, 1048576u);
  EXPECT_EQ(c.limits.max_header_bytes, 65536u);
  EXPECT_EQ(c.limits.max_line_bytes, 4096u);
  EXPECT_EQ(c.limits.max_depth, 20u);
  EXPECT_EQ(c.limits.max_parts, 500u);
  auto defaults = mailgate::daemon::load_config_text(head, "/etc/m.toml");
  EXPECT_EQ(defaults.limits.max_message_bytes, 25u * 1024 * 1024);
  EXPECT_EQ(defaults.limits.max_depth, 50u);
  EXPECT_EQ(defaults.limits.max_parts, 2000u);
  EXPECT_EQ(defaults.limits.max_header_bytes, 1024u * 1024);
  try {
    mailgate::daemon::load_config_text(head + "[limits]\nmax_mime_depth = 0\n", "/etc/m.toml");
    ADD_FAILURE() << "max_mime_depth = 0 accepted";
  } catch (const mailgate::daemon::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "/etc/m.toml:7: limits.max_mime_depth: must be between 2 and 1000");
  }
  EXPECT_THROW(
      mailgate::daemon::load_config_text(head + "[limits]\nmax_body_bytes = 10\n", "/etc/m.toml"),
      mailgate::daemon::ConfigError);
}

TEST(ParseLimits, AttachmentBytesMatchTheListedAttachments) {
  std::string msg =
      "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n\r\nтекст\r\n--b\r\n"
      "Content-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
      "JVBERi0xLjQ=\r\n--b\r\nContent-Type: text/plain; name=b.txt\r\n"
      "Content-Disposition: attachment\r\n\r\nfile\r\n--b--\r\n";
  mm::Message m = mm::parse_message(msg);
  auto bytes = mm::attachment_bytes(msg);
  ASSERT_EQ(m.attachments.size(), 2u);
  ASSERT_EQ(bytes.size(), 2u);
  EXPECT_EQ(bytes[0], "%PDF-1.4");
  EXPECT_EQ(m.attachments[0].size, bytes[0].size());
  EXPECT_EQ(m.attachments[1].filename, "b.txt");
  EXPECT_EQ(m.attachments[1].size, bytes[1].size());
  mm::ParseLimits small;
  small.max_message_bytes = 100000;
  EXPECT_TRUE(mm::attachment_bytes(msg + std::string(200000, 'x'), small).empty());
}
