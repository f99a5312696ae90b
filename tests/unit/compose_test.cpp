// Composing outgoing mail: every message is read back with parse_message, the parser intake
// uses, so what we write is what a reader gets. Hostile values must never add a header line or
// break the MIME structure.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "mail/charset.hpp"
#include "mail/compose.hpp"
#include "mail/digest.hpp"
#include "mail/message_id.hpp"
#include "mail/parse.hpp"
#include "mail/rfc2047.hpp"
#include "mail/rfc2231.hpp"
#include "mail/transfer_encoding.hpp"

namespace mm = mailgate::mail;

namespace {

using namespace std::chrono_literals;

// 2026-03-25 14:19:02 UTC.
const std::chrono::system_clock::time_point kDate =
    std::chrono::system_clock::time_point(std::chrono::seconds(1774448342));

mm::OutgoingMail basic_mail() {
  mm::OutgoingMail m;
  m.from = {"Приёмная УПК", "priem@upk.example"};
  m.to = {{"Иванов Иван Иванович", "ivanov@mail.example"}, {"", "second@mail.example"}};
  m.subject = "Ваше обращение зарегистрировано: УПК-2026-000123";
  m.text = "Здравствуйте!\nВаше обращение зарегистрировано под номером УПК-2026-000123.\n";
  m.message_id = mm::make_message_id("УПК-2026-000123", "upk.example");
  m.date = kDate;
  m.utc_offset = 180min;
  return m;
}

std::vector<std::string> header_names(const mm::Message& msg) {
  std::vector<std::string> names;
  for (const auto& f : msg.header) names.push_back(f.name);
  return names;
}

// What a reader gets back from header text: control characters (CR and LF included) as
// spaces.
std::string cleaned(std::string s) {
  for (char& c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) c = ' ';
  }
  return s;
}

std::string trimmed(const std::string& s) {
  std::size_t b = s.find_first_not_of(' ');
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(' ') - b + 1);
}

std::string lf(std::string s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Every line ends in CRLF, no bare CR or LF, no line longer than `limit` (without CRLF) except
// one that holds a single message id (ids cannot be folded; ours are about 90 characters).
void expect_lines(const std::string& raw, std::size_t limit = 78) {
  static const std::regex lone_id(R"(^(Message-ID:|In-Reply-To:|References:)? <[^ ]+>$)");
  ASSERT_GE(raw.size(), 2u);
  EXPECT_EQ(raw.substr(raw.size() - 2), "\r\n");
  std::size_t pos = 0;
  while (pos < raw.size()) {
    std::size_t eol = raw.find("\r\n", pos);
    ASSERT_NE(eol, std::string::npos) << "no CRLF at the end";
    std::string line = raw.substr(pos, eol - pos);
    EXPECT_EQ(line.find_first_of("\r\n"), std::string::npos) << "bare CR or LF: " << line;
    if (!std::regex_match(line, lone_id)) {
      EXPECT_LE(line.size(), limit) << line;
    }
    EXPECT_LE(line.size(), 998u);
    pos = eol + 2;
  }
}

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// Encoded-words: at most 75 characters, each holding whole UTF-8 characters.
void expect_good_encoded_words(const std::string& raw) {
  static const std::regex word(R"(=\?utf-8\?B\?([A-Za-z0-9+/=]*)\?=)");
  int n = 0;
  for (auto it = std::sregex_iterator(raw.begin(), raw.end(), word); it != std::sregex_iterator();
       ++it) {
    ++n;
    EXPECT_LE(it->str().size(), 75u) << it->str();
    std::string bytes = mm::decode_base64((*it)[1].str());
    EXPECT_TRUE(mm::is_valid_utf8(bytes)) << "a character split between words: " << it->str();
  }
  EXPECT_GT(n, 0);
}

}  // namespace

TEST(Compose, RoundTripsThroughTheParser) {
  mm::OutgoingMail m = basic_mail();
  m.reply_to = mm::Address{"Ответы", "answers@upk.example"};
  m.in_reply_to = "<CAF+abc=123@mail.gmail.com>";
  m.references = {"<first@a.example>", "<CAF+abc=123@mail.gmail.com>"};
  m.auto_submitted = "auto-replied";
  m.extra_headers = {{"X-Mailgate-Loop", "УПК-2026-000123"}};
  std::string raw = mm::compose(m);
  expect_lines(raw, 76);
  expect_good_encoded_words(raw);
  EXPECT_TRUE(mm::is_ascii(raw));

  mm::Message p = mm::parse_message(raw);
  EXPECT_TRUE(p.defects.empty()) << p.defects.front();
  EXPECT_EQ(header_names(p), (std::vector<std::string>{
                                 "Date", "From", "Reply-To", "To", "Subject", "Message-ID",
                                 "In-Reply-To", "References", "Auto-Submitted", "X-Mailgate-Loop",
                                 "MIME-Version", "Content-Type", "Content-Transfer-Encoding"}));
  ASSERT_TRUE(p.from);
  EXPECT_EQ(*p.from, m.from);
  EXPECT_EQ(p.to, m.to);
  ASSERT_EQ(p.reply_to.size(), 1u);
  EXPECT_EQ(p.reply_to[0], *m.reply_to);
  EXPECT_EQ(p.subject, m.subject);
  EXPECT_EQ(p.message_id, m.message_id);
  EXPECT_EQ(p.in_reply_to, m.in_reply_to);
  EXPECT_EQ(p.references, m.references);
  EXPECT_EQ(p.auto_submitted, "auto-replied");
  EXPECT_EQ(p.date, "2026-03-25T17:19:02+03:00");
  EXPECT_EQ(*p.field("Date"), "Wed, 25 Mar 2026 17:19:02 +0300");
  EXPECT_EQ(p.text, m.text);
  EXPECT_EQ(p.text_type, "text/plain");
  EXPECT_TRUE(p.attachments.empty());
  EXPECT_EQ(*p.field("Content-Type"), "text/plain; charset=utf-8");
}

TEST(Compose, DateInUtcByDefault) {
  mm::OutgoingMail m = basic_mail();
  m.utc_offset = 0min;
  mm::Message p = mm::parse_message(mm::compose(m));
  EXPECT_EQ(*p.field("Date"), "Wed, 25 Mar 2026 14:19:02 +0000");
  m.utc_offset = -(5h + 30min);
  p = mm::parse_message(mm::compose(m));
  EXPECT_EQ(*p.field("Date"), "Wed, 25 Mar 2026 08:49:02 -0530");
  m.utc_offset = 24h;
  EXPECT_THROW(mm::compose(m), mm::ComposeError);
}

TEST(Compose, PlainAsciiStaysReadable) {
  mm::OutgoingMail m = basic_mail();
  m.from = {"Reception, Office \"UPK\"", "priem@upk.example"};
  m.subject =
      "Your appeal was registered under the number UPK-2026-000123; please keep it "
      "for your records and quote it in any further correspondence with us";
  std::string raw = mm::compose(m);
  expect_lines(raw, 76);
  EXPECT_NE(raw.find("From: \"Reception, Office \\\"UPK\\\"\" <priem@upk.example>"),
            std::string::npos);
  EXPECT_NE(raw.find("Subject: Your appeal"), std::string::npos);
  mm::Message p = mm::parse_message(raw);
  EXPECT_EQ(p.subject, m.subject);
  EXPECT_EQ(*p.from, m.from);
}

TEST(Compose, LongAndOddSubjectsComeBackExactly) {
  for (const std::string& subject :
       {std::string(200, 'x'), std::string("  two  leading and   inner  spaces "),
        std::string(300, 'a') + " " + std::string(10, 'b'),
        std::string("ёЁ𝄞") + std::string(50, 'z'), std::string("𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞"),
        std::string("Re: =?utf-8?B?0J/RgNC40LLQtdGC?="), std::string("Ответ") + repeat("я", 500),
        std::string("a=?b?=c"), std::string("")}) {
    mm::OutgoingMail m = basic_mail();
    m.subject = subject;
    std::string raw = mm::compose(m);
    expect_lines(raw, 76);
    mm::Message p = mm::parse_message(raw);
    EXPECT_EQ(p.subject, subject);
  }
}

TEST(Compose, EncodedWordsNeverSplitACharacter) {
  mm::OutgoingMail m = basic_mail();
  // Mixed 1-, 2-, 3- and 4-byte characters, so word ends fall at every offset.
  std::string s;
  for (int i = 0; i < 40; ++i) s += "aЖ€𝄞";
  m.subject = s;
  m.from.name = s;
  m.extra_headers = {{"X-Very-Long-Field-Name-That-Takes-Most-Of-The-First-Line-Of-The-Field", s}};
  std::string raw = mm::compose(m);
  expect_good_encoded_words(raw);
  mm::Message p = mm::parse_message(raw);
  EXPECT_EQ(p.subject, s);
  EXPECT_EQ(p.from->name, s);
  EXPECT_EQ(mm::decode_header_text(
                *p.field("X-Very-Long-Field-Name-That-Takes-Most-Of-The-First-Line-Of-The-Field")),
            s);
}

// The injection test: CR, LF, NUL, other controls, encoded-word look-alikes and "Bcc:" lines
// in every field. The header set must be exactly the intended one and every value must come
// back as written, with control characters as spaces.
TEST(Compose, HostileValuesCannotAddHeaderLines) {
  const std::vector<std::string> hostile = {
      "Hi\r\nBcc: victim@evil.example",
      "Hi\nBcc: victim@evil.example\n\nbody",
      "\r\n\r\nContent-Type: text/html\r\n\r\n<script>",
      "x\rBcc: a@b.example",
      std::string("nul\0here\x01\x1f\x7f\0", 12),
      "=?utf-8?B?DQpCY2M6IHhAZXZpbC5leGFtcGxl?=",
      "=?utf-8?Q?=0D=0ABcc:_x@evil.example?= tail",
      "Тема\r\n =?utf-8?B?0J/RgNC40LLQtdGC?=\r\nBcc: x@evil.example",
      std::string(2000, 'A') + "\r\nBcc: x@evil.example",
      "\"quoted\" \\ back <angle@x.example>, comma; semi: colon",
      "\t\ttabs\t",
      "\xff\xfe invalid utf-8 \xd0",
  };
  for (const std::string& bad : hostile) {
    SCOPED_TRACE(mm::sanitize_utf8(bad.substr(0, 60)));
    mm::OutgoingMail m = basic_mail();
    m.subject = bad;
    m.from.name = bad;
    m.to[0].name = bad;
    m.reply_to = mm::Address{bad, "reply@upk.example"};
    m.in_reply_to = "<ok@x.example>" + bad;  // not one well-formed id: dropped
    m.references = {bad, "<good@x.example>", "<a@b>\r\nBcc: x@evil.example"};
    m.extra_headers = {{"X-Mailgate-Loop", bad}};
    m.text = bad;
    m.html = "<p>" + bad + "</p>";
    m.attachments = {{bad, "application/pdf", "%PDF-1.4 " + bad},
                     {bad + ".eml", "message/rfc822\r\nBcc: x@evil.example", bad}};
    std::string raw = mm::compose(m);
    expect_lines(raw, 998);
    std::string top = raw.substr(0, raw.find("\r\n\r\n"));
    for (const char* needle :
         {"\nBcc", "\rBcc", "\nbody", "\n<script>", "\nContent-Type: text/html"}) {
      EXPECT_EQ(top.find(needle), std::string::npos) << needle;
    }
    mm::Message p = mm::parse_message(raw);
    EXPECT_EQ(header_names(p),
              (std::vector<std::string>{"Date", "From", "Reply-To", "To", "Subject", "Message-ID",
                                        "References", "X-Mailgate-Loop", "MIME-Version",
                                        "Content-Type"}));
    std::string want = cleaned(mm::sanitize_utf8(bad));
    EXPECT_EQ(p.subject, want);
    EXPECT_EQ(p.from->name, trimmed(want));
    EXPECT_EQ(p.from->address, "priem@upk.example");
    ASSERT_EQ(p.to.size(), 2u);
    EXPECT_EQ(p.to[0].name, trimmed(want));
    EXPECT_EQ(p.to[0].address, "ivanov@mail.example");
    EXPECT_EQ(p.to[1].address, "second@mail.example");
    ASSERT_EQ(p.reply_to.size(), 1u);
    EXPECT_EQ(p.reply_to[0].name, trimmed(want));
    EXPECT_EQ(p.reply_to[0].address, "reply@upk.example");
    EXPECT_EQ(mm::decode_header_text(*p.field("X-Mailgate-Loop")), want);
    EXPECT_EQ(p.references, std::vector<std::string>{"<good@x.example>"});
    EXPECT_FALSE(p.in_reply_to);
    // Body and attachments intact: one text part, the HTML alternative, two attachments.
    EXPECT_EQ(p.text_type, "text/plain");
    std::string body = lf(mm::sanitize_utf8(bad));
    body.erase(std::remove(body.begin(), body.end(), '\0'), body.end());  // readers drop NUL
    if (body.back() != '\n') body += '\n';
    EXPECT_EQ(p.text, body);
    ASSERT_EQ(p.attachments.size(), 2u);
    EXPECT_EQ(p.attachments[0].filename, want);
    EXPECT_EQ(p.attachments[0].content_type, "application/pdf");
    EXPECT_EQ(p.attachments[0].sha256, mm::sha256_hex("%PDF-1.4 " + bad));
    EXPECT_EQ(p.attachments[1].filename, want + ".eml");
    // Not a valid type: sent as application/octet-stream, base64, bytes intact.
    EXPECT_EQ(p.attachments[1].content_type, "application/octet-stream");
    EXPECT_EQ(p.attachments[1].sha256, mm::sha256_hex(bad));
    EXPECT_TRUE(p.defects.empty()) << p.defects.front();
  }
}

TEST(Compose, ExtraHeaderValuesComeBackDecoded) {
  mm::OutgoingMail m = basic_mail();
  std::string bad = "УПК-2026-000123\r\nBcc: x@evil.example";
  m.extra_headers = {{"X-Mailgate-Loop", bad}, {"X-Plain", "simple value"}};
  mm::Message p = mm::parse_message(mm::compose(m));
  // Message::header holds raw (not RFC 2047-decoded) values; decode like a reader would.
  std::string v = *p.field("X-Mailgate-Loop");
  EXPECT_EQ(v.find('\n'), std::string::npos);
  EXPECT_NE(v.find("=?utf-8?B?"), std::string::npos);
  EXPECT_EQ(mm::decode_header_text(v), "УПК-2026-000123  Bcc: x@evil.example");
  EXPECT_EQ(*p.field("X-Plain"), "simple value");
}

TEST(Compose, InvalidAddressesAreRefused) {
  for (const char* bad :
       {"", "plain", "a b@x.example", "a@b@c.example", "<a@b.example>", "a@b.example>",
        "a@b.example\r\nBcc: x@evil.example", "a@", "@b.example", ".a@b.example", "a.@b.example",
        "a..b@c.example", "a@-b.example", "a@b-.example", "a@b..example", "a@b.example.",
        "\xd0\xb8@b.example", "a@\xd0\xb8.example", "a\"b@c.example", "a(b)@c.example",
        "a@b.example ", "a@[1.2.3.4",
        // The one address rule (issue 12, item 2): no IP literals, a dot.
        "x@[127.0.0.1]", "x@localhost"}) {
    SCOPED_TRACE(mm::sanitize_utf8(bad));
    EXPECT_FALSE(mm::is_valid_addr_spec(bad));
    mm::OutgoingMail m = basic_mail();
    m.to[1].address = bad;
    EXPECT_THROW(mm::compose(m), mm::ComposeError);
    m = basic_mail();
    m.from.address = bad;
    EXPECT_THROW(mm::compose(m), mm::ComposeError);
    m = basic_mail();
    m.reply_to = mm::Address{"", bad};
    EXPECT_THROW(mm::compose(m), mm::ComposeError);
  }
  for (const char* good :
       {"a@b.example", "a.b+c@x-y.example", "o'brien@x.org", "x_y=z{}|~!#$%&*/?^`@mail.example"}) {
    EXPECT_TRUE(mm::is_valid_addr_spec(good)) << good;
  }
  EXPECT_FALSE(mm::is_valid_addr_spec(std::string(65, 'a') + "@b.example"));
  mm::OutgoingMail m = basic_mail();
  m.to.clear();
  EXPECT_THROW(mm::compose(m), mm::ComposeError);
}

TEST(Compose, BadIdsAndFieldsAreRefusedOrDropped) {
  for (const char* bad : {"", "no-brackets@x.example", "<a b@x.example>", "<a@b.example",
                          "<a@b.example>\r\nBcc: x@evil.example", "<@b.example>", "<a@>",
                          "<a..b@x.example>", "<a@b@c.example>"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(mm::is_valid_msg_id(bad));
    mm::OutgoingMail m = basic_mail();
    m.message_id = bad;
    EXPECT_THROW(mm::compose(m), mm::ComposeError);
    m = basic_mail();
    m.in_reply_to = bad;
    m.references = {bad};
    mm::Message p = mm::parse_message(mm::compose(m));
    EXPECT_FALSE(p.in_reply_to);
    EXPECT_TRUE(p.references.empty());
    EXPECT_EQ(p.field("In-Reply-To"), nullptr);
    EXPECT_EQ(p.field("References"), nullptr);
  }
  // Surrounding white space is not part of an id.
  mm::OutgoingMail m = basic_mail();
  m.in_reply_to = "  <a@b.example>\r\n";
  EXPECT_EQ(mm::parse_message(mm::compose(m)).in_reply_to, "<a@b.example>");

  for (const char* name : {"Bcc", "bcc", "From", "Subject", "Content-Type", "content-disposition",
                           "MIME-Version", "X Bad", "X:Bad", "", "X-\xd0\x98"}) {
    SCOPED_TRACE(name);
    mm::OutgoingMail e = basic_mail();
    e.extra_headers = {{name, "v"}};
    EXPECT_THROW(mm::compose(e), mm::ComposeError);
  }
  m = basic_mail();
  m.auto_submitted = "yes";
  EXPECT_THROW(mm::compose(m), mm::ComposeError);
  m.auto_submitted = "auto-generated";
  EXPECT_EQ(mm::parse_message(mm::compose(m)).auto_submitted, "auto-generated");
  m.auto_submitted = "";
  EXPECT_EQ(mm::parse_message(mm::compose(m)).field("Auto-Submitted"), nullptr);
}

TEST(Compose, ManyReferencesAreFolded) {
  mm::OutgoingMail m = basic_mail();
  for (int i = 0; i < 30; ++i) {
    m.references.push_back("<ref" + std::to_string(i) + ".0123456789abcdef@mail.example>");
  }
  std::string raw = mm::compose(m);
  expect_lines(raw, 76);
  EXPECT_EQ(mm::parse_message(raw).references, m.references);
}

TEST(Compose, TextBodiesRoundTrip) {
  const std::vector<std::string> texts = {
      "",
      "short ascii",
      "line one\r\nline two\rline three\nline four\n",
      std::string(300, 'x') + "\n" + std::string(75, 'y') + "\n" + std::string(76, 'z') + "\n",
      "trailing spaces   \ntrailing tab\t\n.\n..\nFrom the start\nFrom here\n= equals =3D\n",
      "Русский текст, довольно длинный, чтобы строки переносились: " + repeat("ж", 100),
      std::string("binary-ish \x01\x02\x7f\xff bytes"),
  };
  for (const std::string& t : texts) {
    SCOPED_TRACE(mm::sanitize_utf8(t.substr(0, 40)));
    mm::OutgoingMail m = basic_mail();
    m.text = t;
    std::string raw = mm::compose(m);
    expect_lines(raw, 76);
    mm::Message p = mm::parse_message(raw);
    std::string want = mm::sanitize_utf8(lf(t));
    if (!want.empty() && want.back() != '\n') want += '\n';
    EXPECT_EQ(p.text, want);
  }
  // ASCII goes quoted-printable, Russian base64 (the shorter of the two).
  mm::OutgoingMail m = basic_mail();
  m.text = "Hello\n";
  EXPECT_EQ(*mm::parse_message(mm::compose(m)).field("Content-Transfer-Encoding"),
            "quoted-printable");
  m.text = "Здравствуйте, Иван Иванович!\n";
  EXPECT_EQ(*mm::parse_message(mm::compose(m)).field("Content-Transfer-Encoding"), "base64");
}

TEST(Compose, AlternativeAndAttachments) {
  mm::OutgoingMail m = basic_mail();
  m.html = "<html><body><p>Здравствуйте!</p><p>Ваше обращение зарегистрировано.</p></body></html>";
  std::string pdf = "%PDF-1.4\n";
  for (int i = 0; i < 5000; ++i) pdf += static_cast<char>(i * 7 % 256);
  std::string long_name =
      "Ответ на обращение УПК-2026-000123 от 25 марта 2026 года (с приложениями).pdf";
  std::string original =
      "From: Пётр <petr@x.example>\r\nTo: priem@upk.example\r\nSubject: "
      "=?utf-8?B?0J/RgNC40LLQtdGC?=\r\nContent-Type: text/plain; charset=utf-8\r\n"
      "Content-Transfer-Encoding: 8bit\r\n\r\nТекст "
      "обращения\r\n--=_mg_000000000000000000000000\r\n";
  std::string lf_original = "From: a@x.example\nSubject: bare LF\n\nbody\n";
  m.attachments = {
      {long_name, "application/pdf", pdf},
      {"scan.PNG", "Image/PNG", std::string("\x89PNG\r\n\x1a\n", 8)},
      {"отзыв.eml", "message/rfc822", original},
      {"lf.eml", "message/rfc822", lf_original},
      {"", "text/plain", "no file name\n"},
      {"empty.bin", "application/octet-stream", ""},
  };
  std::string raw = mm::compose(m);
  expect_lines(raw, 78);
  expect_good_encoded_words(raw);
  EXPECT_NE(raw.find("Content-Type: multipart/mixed;"), std::string::npos);
  EXPECT_NE(raw.find("Content-Type: multipart/alternative;"), std::string::npos);
  EXPECT_NE(raw.find("Content-Transfer-Encoding: 8bit"), std::string::npos);
  EXPECT_NE(raw.find("filename*0*=utf-8''"), std::string::npos);
  EXPECT_NE(raw.find("filename*=utf-8''%D0%BE%D1%82%D0%B7%D1%8B%D0%B2.eml"), std::string::npos);
  EXPECT_NE(raw.find(" name=\"=?utf-8?B?"), std::string::npos);

  mm::Message p = mm::parse_message(raw);
  EXPECT_TRUE(p.defects.empty()) << p.defects.front();
  EXPECT_EQ(p.text, lf(basic_mail().text));
  EXPECT_EQ(p.text_type, "text/plain");
  ASSERT_EQ(p.attachments.size(), 6u);
  const auto& a = p.attachments;
  EXPECT_EQ(a[0].filename, long_name);
  EXPECT_EQ(a[0].content_type, "application/pdf");
  EXPECT_EQ(a[0].size, pdf.size());
  EXPECT_EQ(a[0].sha256, mm::sha256_hex(pdf));
  EXPECT_EQ(a[1].filename, "scan.PNG");
  EXPECT_EQ(a[1].content_type, "image/png");
  EXPECT_EQ(a[1].size, 8u);
  EXPECT_EQ(a[2].filename, "отзыв.eml");
  EXPECT_EQ(a[2].content_type, "message/rfc822");
  EXPECT_EQ(a[2].sha256, mm::sha256_hex(original));  // attached byte for byte
  EXPECT_FALSE(a[2].nested);
  // Bare LF line ends cannot travel as message/rfc822: base64 octet-stream, bytes intact.
  EXPECT_EQ(a[3].filename, "lf.eml");
  EXPECT_EQ(a[3].content_type, "application/octet-stream");
  EXPECT_EQ(a[3].sha256, mm::sha256_hex(lf_original));
  EXPECT_EQ(a[4].filename, "");
  EXPECT_EQ(a[4].content_type, "text/plain");
  EXPECT_EQ(a[4].sha256, mm::sha256_hex("no file name\n"));
  EXPECT_EQ(a[5].filename, "empty.bin");
  EXPECT_EQ(a[5].size, 0u);

  // The Content-Type name= (for Outlook) says the same as filename*.
  std::size_t ct = raw.find("Content-Type: application/pdf");
  ASSERT_NE(ct, std::string::npos);
  std::string field = raw.substr(ct + 13, raw.find("Content-Disposition", ct) - ct - 13);
  std::string unfolded;
  for (char c : field) {
    if (c != '\r' && c != '\n') unfolded += c;
  }
  auto name = mm::decoded_param(mm::parse_param_header(unfolded), "name");
  ASSERT_TRUE(name);
  EXPECT_EQ(*name, long_name);
}

TEST(Compose, HtmlOnlyAlternative) {
  mm::OutgoingMail m = basic_mail();
  m.text = "Text version\n";
  m.html = "<p>HTML version</p>";
  std::string raw = mm::compose(m);
  mm::Message p = mm::parse_message(raw);
  EXPECT_EQ(p.text, "Text version\n");
  EXPECT_NE(p.field("Content-Type")->find("multipart/alternative"), std::string::npos);
  EXPECT_TRUE(p.attachments.empty());
  EXPECT_NE(raw.find("Content-Type: text/html; charset=utf-8"), std::string::npos);
}

TEST(Compose, BoundariesAreRandom) {
  mm::OutgoingMail m = basic_mail();
  m.html = "<p>x</p>";
  std::string a = mm::compose(m);
  std::string b = mm::compose(m);
  EXPECT_NE(a, b);
  std::smatch ma;
  ASSERT_TRUE(std::regex_search(a, ma, std::regex("boundary=\"([^\"]+)\"")));
  EXPECT_GE(ma[1].str().size(), 24u);
}

// The same property over random values built from the characters that matter.
TEST(Compose, RandomValuesKeepTheStructure) {
  const std::vector<std::string> pieces = {"\r",
                                           "\n",
                                           "\r\n",
                                           " ",
                                           "  ",
                                           "\t",
                                           std::string(1, '\0'),
                                           "=?",
                                           "?=",
                                           "=?utf-8?B?",
                                           "?Q?",
                                           ":",
                                           ";",
                                           ",",
                                           "\"",
                                           "\\",
                                           "<",
                                           ">",
                                           "@",
                                           "Bcc: x@evil.example",
                                           "--",
                                           "ж",
                                           "€",
                                           "𝄞",
                                           "\xd0",
                                           "\xff",
                                           "a",
                                           "word",
                                           std::string(90, 'x')};
  std::mt19937 rng(20260325);
  for (int round = 0; round < 300; ++round) {
    std::string v;
    int n = static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) v += pieces[rng() % pieces.size()];
    SCOPED_TRACE(round);
    mm::OutgoingMail m = basic_mail();
    m.subject = v;
    m.from.name = v;
    m.extra_headers = {{"X-Mailgate-Loop", v}};
    m.attachments = {{v, "text/plain", v}};
    std::string raw = mm::compose(m);
    expect_lines(raw, 78);
    mm::Message p = mm::parse_message(raw);
    EXPECT_EQ(header_names(p),
              (std::vector<std::string>{"Date", "From", "To", "Subject", "Message-ID",
                                        "X-Mailgate-Loop", "MIME-Version", "Content-Type"}));
    std::string want = cleaned(mm::sanitize_utf8(v));
    EXPECT_EQ(p.subject, want);
    EXPECT_EQ(p.from->name, trimmed(want));
    EXPECT_EQ(p.from->address, "priem@upk.example");
    EXPECT_EQ(mm::decode_header_text(*p.field("X-Mailgate-Loop")), want);
    ASSERT_EQ(p.attachments.size(), 1u);
    EXPECT_EQ(p.attachments[0].filename, want);
    EXPECT_EQ(p.attachments[0].sha256, mm::sha256_hex(v));
  }
}
