// Hostile sizes end to end: an oversized message is registered with its header and raw
// bytes, status "oversized", and moved to Processed like any registered message.

#include <gtest/gtest.h>

#include <fstream>

#include "harness.hpp"

using mailgate::test::Sandbox;

TEST(Limits, OversizedMessageIsRegisteredWithItsHeaderOnly) {
  Sandbox sb;
  {
    std::ofstream cfg(sb.config(), std::ios::app);
    cfg << "\n[limits]\nmax_message_bytes = 65536\n";
  }
  auto dir = sb.dir() / "in";
  std::filesystem::create_directories(dir);
  std::string big =
      "From: =?utf-8?B?0JjQstCw0L0g0J/QtdGC0YDQvtCy?= <ivan@example.org>\r\n"
      "To: upk@sandbox.test\r\nSubject: =?utf-8?B?0KHQutCw0L0g0LTQvtC60YPQvNC10L3RgtCw?=\r\n"
      "Message-ID: <oversized@example.org>\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n\r\nСм. вложение.\r\n--b\r\n"
      "Content-Type: image/tiff; name=scan.tif\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  for (int i = 0; i < 2000; ++i) big += std::string(76, 'A') + "\r\n";
  big += "--b--\r\n";
  std::string small =
      "From: ivan@example.org\r\nTo: upk@sandbox.test\r\nSubject: small\r\n"
      "Message-ID: <small@example.org>\r\n\r\nshort\r\n";
  std::ofstream(dir / "1.eml", std::ios::binary) << big;
  std::ofstream(dir / "2.eml", std::ios::binary) << small;
  sb.deliver({dir / "1.eml", dir / "2.eml"});

  auto r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto rows = sb.sql(
      "SELECT m.parse_status, m.subject, m.from_name, coalesce(m.body_text, ''),"
      " (SELECT count(*) FROM attachments a WHERE a.message_id = m.id), m.raw_size,"
      " encode(sha256(m.raw), 'hex') = m.raw_sha256, c.status, array_to_string(m.defects, '|')"
      " FROM messages m JOIN cases c ON c.message_id = m.id ORDER BY m.uid");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "oversized");
  EXPECT_EQ(rows[0][1], "Скан документа");
  EXPECT_EQ(rows[0][2], "Иван Петров");
  EXPECT_EQ(rows[0][3], "");
  EXPECT_EQ(rows[0][4], "0");
  EXPECT_EQ(rows[0][5], std::to_string(big.size()));
  EXPECT_EQ(rows[0][6], "t");
  EXPECT_EQ(rows[0][7], "registered");
  EXPECT_NE(rows[0][8].find("over the 65536-byte limit"), std::string::npos) << rows[0][8];
  EXPECT_EQ(rows[1][0], "parsed");
  EXPECT_EQ(sb.count("INBOX"), 0u);
  EXPECT_EQ(sb.count("Processed"), 2u);
  EXPECT_EQ(sb.count("Quarantine"), 0u);
}
