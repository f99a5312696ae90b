// MIME parsing: the Russian ground-truth corpus, the shared real-world corpus against Python's
// email package, and focused tests of each decoding layer.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "mail/address.hpp"
#include "mail/charset.hpp"
#include "mail/date.hpp"
#include "mail/html_text.hpp"
#include "mail/parse.hpp"
#include "mail/rfc2047.hpp"
#include "mail/rfc2231.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
namespace mm = mailgate::mail;

namespace {

const fs::path kData = MAILGATE_TEST_DATA;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Python writes undecodable bytes as lone surrogates ("\udcc3"), which are not valid JSON
// text for nlohmann; they become U+FFFD.
std::string replace_lone_surrogates(std::string line) {
  std::string out;
  out.reserve(line.size());
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '\\') {
      out += "\\\\";
      ++i;
      continue;
    }
    if (line.compare(i, 4, "\\udc") == 0 && i + 6 <= line.size()) {
      out += "\\ufffd";
      i += 5;
      continue;
    }
    out.push_back(line[i]);
  }
  return out;
}

std::vector<json> read_jsonl(const fs::path& p) {
  std::vector<json> out;
  std::ifstream in(p);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(json::parse(replace_lone_surrogates(line)));
  }
  return out;
}

// CRLF -> LF, trailing white space stripped from every line and from the end.
std::string normalize_text(const std::string& s) {
  std::string t;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') continue;
    t.push_back(s[i]);
  }
  std::string out;
  std::istringstream in(t);
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
    lines.push_back(line);
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i) out.push_back('\n');
    out += lines[i];
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

// All runs of white space (including U+00A0) become one space; ends trimmed.
std::string collapse_ws(const std::string& s) {
  std::string out;
  bool space = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    bool ws = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
      ws = true;
      ++i;
    }
    if (ws) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(s[i]);
  }
  return out;
}

std::string str_or_empty(const json& j) { return j.is_string() ? j.get<std::string>() : ""; }

std::vector<mm::Address> addresses(const json& j) {
  std::vector<mm::Address> out;
  if (!j.is_array()) return out;
  for (const json& a : j) out.push_back({str_or_empty(a["name"]), str_or_empty(a["addr"])});
  return out;
}

std::string show(const std::vector<mm::Address>& list) {
  std::string s = "[";
  for (const auto& a : list) s += "{" + a.name + " <" + a.address + ">}";
  return s + "]";
}

std::vector<std::string> ru_files() {
  std::vector<std::string> files;
  for (const json& j : read_jsonl(kData / "corpus/ru/expected.jsonl")) {
    files.push_back(j["file"].get<std::string>());
  }
  return files;
}

json ru_expected(const std::string& file) {
  for (const json& j : read_jsonl(kData / "corpus/ru/expected.jsonl")) {
    if (j["file"] == file) return j;
  }
  return {};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// (1) Russian corpus: every field must match the generator's ground truth.

class RuCorpus : public ::testing::TestWithParam<std::string> {};

TEST_P(RuCorpus, MatchesExpected) {
  const std::string file = GetParam();
  const json e = ru_expected(file);
  ASSERT_FALSE(e.is_null());
  mm::Message m = mm::parse_message(read_file(kData / "corpus/ru" / file));

  EXPECT_EQ(m.subject, str_or_empty(e["subject"]));
  EXPECT_EQ(m.message_id, str_or_empty(e["message_id"]));
  auto from = addresses(e["from"]);
  if (from.empty()) {
    EXPECT_FALSE(m.from.has_value());
  } else {
    ASSERT_TRUE(m.from.has_value());
    EXPECT_EQ(m.from->name, from[0].name);
    EXPECT_EQ(m.from->address, from[0].address);
  }
  EXPECT_EQ(show(m.to), show(addresses(e["to"])));
  EXPECT_EQ(show(m.cc), show(addresses(e["cc"])));
  EXPECT_EQ(show(m.reply_to), show(addresses(e["reply_to"])));
  EXPECT_EQ(m.date.value_or("null"), e["date"].is_string() ? e["date"].get<std::string>() : "null");
  EXPECT_EQ(m.in_reply_to.value_or("null"),
            e["in_reply_to"].is_string() ? e["in_reply_to"].get<std::string>() : "null");
  EXPECT_EQ(m.references, e["references"].get<std::vector<std::string>>());
  EXPECT_EQ(m.auto_submitted.value_or("null"),
            e["auto_submitted"].is_string() ? e["auto_submitted"].get<std::string>() : "null");

  const std::string body_type = str_or_empty(e["body_type"]);
  EXPECT_EQ(m.text_type, body_type);
  if (body_type == "text/html") {
    EXPECT_EQ(collapse_ws(m.text), collapse_ws(str_or_empty(e["body"])));
  } else {
    EXPECT_EQ(normalize_text(m.text), normalize_text(str_or_empty(e["body"])));
  }

  const json& ea = e["attachments"];
  ASSERT_EQ(m.attachments.size(), ea.size());
  for (std::size_t i = 0; i < ea.size(); ++i) {
    SCOPED_TRACE("attachment " + std::to_string(i));
    const mm::Attachment& a = m.attachments[i];
    EXPECT_EQ(a.filename, str_or_empty(ea[i]["filename"]));
    EXPECT_EQ(a.content_type, ea[i]["content_type"].get<std::string>());
    EXPECT_EQ(a.nested, ea[i]["nested"].get<bool>());
    // message/rfc822: the generator records no size or digest; ours are of the raw bytes.
    if (!ea[i]["size"].is_null()) {
      EXPECT_EQ(a.size, ea[i]["size"].get<std::size_t>());
    }
    if (!ea[i]["sha256"].is_null()) {
      EXPECT_EQ(a.sha256, ea[i]["sha256"].get<std::string>());
    }
    if (ea[i]["size"].is_null()) {
      EXPECT_GT(a.size, 0u);
      EXPECT_EQ(a.sha256.size(), 64u);
    }
  }
  // The JSON form is valid and round-trips the essentials.
  json out = json::parse(mm::to_json(m));
  EXPECT_EQ(out["subject"], m.subject);
  EXPECT_EQ(out["attachments"].size(), m.attachments.size());
}

INSTANTIATE_TEST_SUITE_P(All, RuCorpus, ::testing::ValuesIn(ru_files()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param.substr(0, info.param.find('.'));
                           for (char& c : n) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

// ---------------------------------------------------------------------------------------------
// (2) Shared MIME corpus against Python's email package (oracle.jsonl), except where
// ORACLE_NOTES.md documents that Python is wrong or gives up.

namespace {

struct OracleExceptions {
  // file -> fields Python could not decode ("subject", "from", ...)
  std::map<std::string, std::set<std::string>> undecodable;
  std::set<std::string> errors;            // Python raised while decoding a field
  std::set<std::string> broken_structure;  // Python's part list is unreliable
  std::set<std::string> lost_headers;      // Python stopped reading the header early
};

// The first From field of a message, raw (for the "addr (Full Name)" comparison).
std::string raw_from_field(const std::string& msg) {
  std::size_t p = msg.rfind("From:", 0) == 0 ? 0 : msg.find("\nFrom:");
  if (p == std::string::npos) return {};
  if (p > 0) ++p;
  std::size_t e = msg.find('\n', p);
  return msg.substr(p, e == std::string::npos ? std::string::npos : e - p);
}

OracleExceptions read_oracle_notes() {
  OracleExceptions ex;
  std::ifstream in(kData / "corpus/mime/ORACLE_NOTES.md");
  std::string line, section;
  auto file_of = [](const std::string& l) {
    std::size_t a = l.find('`');
    std::size_t b = a == std::string::npos ? a : l.find('`', a + 1);
    return (a == std::string::npos || b == std::string::npos) ? std::string()
                                                              : l.substr(a + 1, b - a - 1);
  };
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) {
      section = line;
      continue;
    }
    if (section.find("Possibly truncated") != std::string::npos && line.rfind("- `", 0) == 0) {
      ex.broken_structure.insert(file_of(line));
    } else if (section.find("Errors") != std::string::npos && line.rfind("- `", 0) == 0) {
      ex.errors.insert(file_of(line));
    } else if (section.find("Undecodable") != std::string::npos && line.rfind("- `", 0) == 0) {
      std::string f = file_of(line);
      std::string fields = line.substr(line.find("`:") + 2);
      if (fields.find("subject") != std::string::npos) ex.undecodable[f].insert("subject");
      if (fields.find("from[0]") != std::string::npos) ex.undecodable[f].insert("from");
    } else if (section.find("All messages with defects") != std::string::npos &&
               line.rfind("| ", 0) == 0) {
      if (line.find("MissingHeaderBodySeparator") != std::string::npos) {
        ex.lost_headers.insert(line.substr(2, line.find(" |", 2) - 2));
      }
      if (line.find("NoBoundaryInMultipart") != std::string::npos ||
          line.find("MultipartInvariantViolation") != std::string::npos ||
          line.find("StartBoundaryNotFound") != std::string::npos ||
          line.find("CloseBoundaryNotFound") != std::string::npos) {
        std::string f = line.substr(2, line.find(" |", 2) - 2);
        ex.broken_structure.insert(f);
      }
    }
  }
  return ex;
}

}  // namespace

TEST(MimeCorpus, AgreesWithPythonOracle) {
  const OracleExceptions ex = read_oracle_notes();
  ASSERT_FALSE(ex.broken_structure.empty());
  std::map<std::string, std::pair<int, int>> per_field;  // field -> (agree, compared)
  int raw_agree = 0, raw_total = 0;
  std::vector<std::string> disagreements;
  int files = 0;
  int comment_names = 0;
  for (const json& o : read_jsonl(kData / "corpus/mime/oracle.jsonl")) {
    const std::string file = o["file"].get<std::string>();
    SCOPED_TRACE(file);
    ++files;
    const std::string raw = read_file(kData / "corpus/mime" / file);
    mm::Message m;
    ASSERT_NO_THROW(m = mm::parse_message(raw));
    json out;
    ASSERT_NO_THROW(out = json::parse(mm::to_json(m)));
    EXPECT_TRUE(out.is_object());

    auto check = [&](const std::string& field, bool excluded, bool agree, const std::string& ours,
                     const std::string& theirs) {
      ++raw_total;
      raw_agree += agree;
      if (excluded) return;
      auto& pf = per_field[field];
      ++pf.second;
      pf.first += agree;
      if (!agree) {
        disagreements.push_back(file + " " + field + ": ours=" + ours + " python=" + theirs);
      }
    };
    bool err = ex.errors.count(file) > 0;
    auto undec = ex.undecodable.count(file) ? ex.undecodable.at(file) : std::set<std::string>{};
    // With a broken header/body separation Python loses the fields after it.
    bool lost = ex.lost_headers.count(file) > 0;

    std::string subject = str_or_empty(o["subject"]);
    check("subject", err || undec.count("subject") || (lost && subject.empty()),
          m.subject == subject, m.subject, subject);

    auto from = addresses(o["from"]);
    std::string ours_from = m.from ? m.from->name + " <" + m.from->address + ">" : "null";
    std::string their_from = from.empty() ? "null" : from[0].name + " <" + from[0].address + ">";
    bool from_agrees = ours_from == their_from;
    // By design we read an old-style "addr (Full Name)" comment as the name; Python drops it.
    if (!from_agrees && m.from && !from.empty() && from[0].name.empty() &&
        m.from->address == from[0].address && raw_from_field(raw).find('(') != std::string::npos) {
      from_agrees = true;
      ++comment_names;
    }
    check("from", err || undec.count("from") || (lost && from.empty()), from_agrees, ours_from,
          their_from);

    std::string mid = str_or_empty(o["message_id"]);
    check("message_id", err || (lost && mid.empty()), m.message_id == mid, m.message_id, mid);

    std::size_t n = o["attachments"].size();
    check("attachments", err || ex.broken_structure.count(file), m.attachments.size() == n,
          std::to_string(m.attachments.size()), std::to_string(n));
  }
  int agree = 0, total = 0;
  for (const auto& [field, c] : per_field) {
    std::cout << "[ oracle   ] " << field << ": " << c.first << "/" << c.second << "\n";
    agree += c.first;
    total += c.second;
  }
  for (const std::string& d : disagreements) std::cout << "[ differs  ] " << d << "\n";
  std::cout << "[ oracle   ] from: " << comment_names
            << " agree except that we read the \"addr (Full Name)\" comment as the name\n";
  double rate = total ? 100.0 * agree / total : 0;
  std::cout << "[ oracle   ] " << files << " messages; agreement " << agree << "/" << total << " = "
            << rate << "% (before documented exceptions: " << raw_agree << "/" << raw_total
            << ")\n";
  EXPECT_GE(rate, 95.0);
}

// ---------------------------------------------------------------------------------------------
// (3) Focused tests.

TEST(Rfc2047, SplitMidCharacterAcrossWords) {
  // "Привет" in UTF-8 is D0 9F D1 80 D0 B8 D0 B2 D0 B5 D1 82; split after the first byte of "р".
  EXPECT_EQ(mm::decode_header_text("=?utf-8?B?0J/R?= =?utf-8?B?gNC40LLQtdGC?="), "Привет");
  EXPECT_EQ(mm::decode_header_text("=?UTF-8?Q?=D0=9F=D1?=\r\n =?utf-8?q?=80=D0=B8?="), "При");
}

TEST(Rfc2047, AdjacentWordsHaveNoSpuriousSpace) {
  EXPECT_EQ(mm::decode_header_text("=?utf-8?B?0JDQkQ==?= =?utf-8?B?0JLQkw==?="), "АБВГ");
  EXPECT_EQ(mm::decode_header_text("=?utf-8?Q?a?=\t =?utf-8?Q?b?="), "ab");
  // Text between words keeps its spaces.
  EXPECT_EQ(mm::decode_header_text("Re: =?utf-8?Q?a?= and =?utf-8?Q?b?="), "Re: a and b");
}

TEST(Rfc2047, MixedCharsets) {
  // windows-1251 "Привет" = CF F0 E8 E2 E5 F2; koi8-r "мир" = CD C9 D2.
  EXPECT_EQ(mm::decode_header_text("=?utf-8?B?0J0=?= x =?windows-1251?Q?=CF=F0=E8=E2=E5=F2?= "
                                   "=?koi8-r?Q?=CD=C9=D2?="),
            "Н x Приветмир");
}

TEST(Rfc2047, QUnderscoresAndLanguageTag) {
  EXPECT_EQ(mm::decode_header_text("=?iso-8859-1?q?this_is_some=20text?="), "this is some text");
  EXPECT_EQ(mm::decode_header_text("=?utf-8*ru?B?0J/RgNC40LLQtdGC?="), "Привет");
  EXPECT_EQ(mm::decode_header_text("=?UTF-8*en?Q?Hello_World?="), "Hello World");
}

TEST(Rfc2047, MalformedWordsStayText) {
  EXPECT_EQ(mm::decode_header_text("=?utf-8?X?abc?="), "=?utf-8?X?abc?=");
  EXPECT_EQ(mm::decode_header_text("a =?utf-8?B?0J0 b"), "a =?utf-8?B?0J0 b");
  std::string many;
  for (int i = 0; i < 100000; ++i) many += "=?";
  EXPECT_EQ(mm::decode_header_text(many), many);  // and linear: no terminator anywhere
}

TEST(Rfc2231, ContinuationsSplitMidCharacter) {
  // "Справка.docx": the bytes of "р" (D1 80) are split between two pieces.
  auto h = mm::parse_param_header(
      "attachment;\r\n filename*0*=utf-8''%D0%A1%D0%BF%D1;\r\n "
      "filename*1*=%80%D0%B0%D0%B2%D0%BA%D0%B0.docx");
  EXPECT_EQ(h.value, "attachment");
  EXPECT_EQ(mm::decoded_param(h, "filename").value_or("?"), "Справка.docx");
}

TEST(Rfc2231, CharsetLanguageAndPlainContinuations) {
  auto a =
      mm::parse_param_header("attachment; filename*=windows-1251'ru'%D1%EF%F0%E0%E2%EA%E0.pdf");
  EXPECT_EQ(mm::decoded_param(a, "filename").value_or("?"), "Справка.pdf");
  auto b = mm::parse_param_header("attachment; filename*0=\"long_\"; filename*1=\"name.pdf\"");
  EXPECT_EQ(mm::decoded_param(b, "filename").value_or("?"), "long_name.pdf");
  auto c = mm::parse_param_header(
      "application/pdf; name=\"=?utf-8?B?0KHQv9GA0LDQstC6?=\r\n =?utf-8?B?0LAucGRm?=\"");
  EXPECT_EQ(c.value, "application/pdf");
  EXPECT_EQ(mm::decoded_param(c, "name").value_or("?"), "Справка.pdf");
  auto d = mm::parse_param_header("text/plain; charset=us-ascii (Plain text) format=flowed");
  EXPECT_EQ(d.find("charset")->value, "us-ascii");
  EXPECT_EQ(d.find("format")->value, "flowed");
  auto e = mm::parse_param_header("text/plain; name=This is a test.txt");
  EXPECT_EQ(e.find("name")->value, "This is a test.txt");
}

TEST(Charset, Aliases) {
  for (const char* label :
       {"windows-1251", "WIN-1251", "x-cp1251", "cp1251", "windows1251", "\"Windows-1251\""}) {
    EXPECT_EQ(mm::canonical_charset(label), "WINDOWS-1251") << label;
  }
  EXPECT_EQ(mm::canonical_charset("utf8"), "UTF-8");
  EXPECT_EQ(mm::canonical_charset("KOI8-R"), "KOI8-R");
  EXPECT_EQ(mm::canonical_charset("koi8-u"), "KOI8-U");
  EXPECT_EQ(mm::canonical_charset("iso-8859-5"), "ISO-8859-5");
  EXPECT_EQ(mm::canonical_charset("cp866"), "CP866");
  EXPECT_EQ(mm::canonical_charset("us-ascii"), "US-ASCII");
  EXPECT_EQ(mm::canonical_charset("latin-1"), "WINDOWS-1252");
  EXPECT_EQ(mm::canonical_charset("iso-8859-1"), "WINDOWS-1252");
  EXPECT_EQ(mm::canonical_charset("ISO-2022-JP"), "ISO-2022-JP");  // whatever iconv knows
  EXPECT_EQ(mm::canonical_charset("x-unknown"), "");
  EXPECT_EQ(mm::to_utf8("\xCF\xF0\xE8\xE2\xE5\xF2", "win-1251"), "Привет");
  EXPECT_EQ(mm::to_utf8("\xF0\xD2\xC9\xD7\xC5\xD4", "koi8-r"), "Привет");
  EXPECT_EQ(mm::to_utf8("\xBF\xE0\xD8\xD2\xD5\xE2", "iso-8859-5"), "Привет");
  EXPECT_EQ(mm::to_utf8("\x8F\xE0\xA8\xA2\xA5\xE2", "cp866"), "Привет");
  EXPECT_EQ(mm::to_utf8("caf\xE9", "latin-1"), "café");
  EXPECT_EQ(mm::to_utf8("a\xFF"
                        "b",
                        "utf-8"),
            "a\xEF\xBF\xBD"
            "b");
}

TEST(Charset, RawEightBitDetection) {
  const std::string cp1251 =
      "\xD3\xE2\xE5\xE4\xEE\xEC\xEB\xE5\xED\xE8\xE5 \xEE \xEF\xEE\xEB\xF3"
      "\xF7\xE5\xED\xE8\xE8 \xEF\xEE\xE4\xE0\xF0\xEA\xE0";  // Уведомление о получении подарка
  const std::string koi8 =
      "\xF5\xD7\xC5\xC4\xCF\xCD\xCC\xC5\xCE\xC9\xC5 \xCF \xD0\xCF\xCC\xD5"
      "\xDE\xC5\xCE\xC9\xC9 \xD0\xCF\xC4\xC1\xD2\xCB\xC1";
  const std::string utf8 = "Уведомление о получении подарка";
  EXPECT_EQ(mm::detect_charset(cp1251), "WINDOWS-1251");
  EXPECT_EQ(mm::detect_charset(koi8), "KOI8-R");
  EXPECT_EQ(mm::detect_charset(utf8), "UTF-8");
  EXPECT_EQ(mm::decode_header_text(cp1251), utf8);
  EXPECT_EQ(mm::decode_header_text(koi8), utf8);
  EXPECT_EQ(mm::decode_header_text(utf8), utf8);
  // All capitals, short: "СРОЧНО" in both.
  EXPECT_EQ(mm::decode_header_text("\xD1\xD0\xCE\xD7\xCD\xCE"), "СРОЧНО");
  EXPECT_EQ(mm::decode_header_text("\xF3\xF2\xEF\xFE\xEE\xEF"), "СРОЧНО");
  // A raw display name in a From header.
  auto list = mm::parse_address_list(
      "\xC3\xE0\xF0\xE8\xEF\xEE\xE2\xE0 \xDD\xEB\xFC\xE2\xE8\xF0\xE0"
      " <er@example.org>");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].name, "Гарипова Эльвира");
}

TEST(Address, Forms) {
  auto l = mm::parse_address_list(
      "\"Doe, John\" <john@example.org>, jane@example.org (Jane Roe), "
      "\"=?utf-8?B?0JjQstCw0L3QvtCy?=\" <ivanov@example.org>, "
      "Team: a@example.org, B <b@example.org>;, Undisclosed recipients:;, <c@example.org>");
  ASSERT_EQ(l.size(), 6u);
  EXPECT_EQ(l[0].name, "Doe, John");
  EXPECT_EQ(l[0].address, "john@example.org");
  EXPECT_EQ(l[1].name, "Jane Roe");
  EXPECT_EQ(l[1].address, "jane@example.org");
  EXPECT_EQ(l[2].name, "Иванов");  // encoded-word inside quotes, as Outlook writes it
  EXPECT_EQ(l[3].address, "a@example.org");
  EXPECT_EQ(l[4].name, "B");
  EXPECT_EQ(l[5].address, "c@example.org");
  EXPECT_EQ(l[5].name, "");
  auto m = mm::parse_address_list("=?utf-8?Q?=D0=9B=D0=B5?=\r\n =?utf-8?Q?=D0=B1?= <l@x.example>");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].name, "Леб");
  EXPECT_EQ(mm::parse_address_list("Broken <a@b.example").at(0).address, "a@b.example");
  EXPECT_TRUE(mm::parse_address_list("").empty());
}

TEST(HtmlText, BlocksEntitiesScripts) {
  std::string t = mm::html_to_text(
      "<html><head><title>T</title><style>p{color:red}</style></head><body>"
      "<p>Добрый&nbsp;день!</p><p>Строка&nbsp;1<br>Строка 2 &laquo;x&raquo; &#1092; &#x44F; "
      "&amp;amp</p><script>alert(1)</script><div>a   b\n c</div><!-- hidden --></body></html>");
  EXPECT_EQ(t, "Добрый день!\n\nСтрока 1\nСтрока 2 «x» ф я &amp\n\na b c");
  EXPECT_EQ(mm::html_to_text("<pre>a\n  b</pre>"), "a\n  b");
  EXPECT_EQ(mm::html_to_text("1 < 2 &unknown; &"), "1 < 2 &unknown; &");
  EXPECT_EQ(mm::html_meta_charset("<meta http-equiv=\"Content-Type\" content=\"text/html; "
                                  "charset=windows-1251\">"),
            "windows-1251");
  EXPECT_EQ(mm::html_meta_charset("<META charset='koi8-r'>"), "koi8-r");
}

TEST(HtmlText, CharsetFromMeta) {
  std::string msg =
      "From: a@example.org\r\nSubject: x\r\nContent-Type: text/html\r\n\r\n"
      "<html><head><meta charset=\"windows-1251\"></head><body><p>\xCF\xF0\xE8\xE2\xE5\xF2</p>"
      "</body></html>\r\n";
  mm::Message m = mm::parse_message(msg);
  EXPECT_EQ(m.text_type, "text/html");
  EXPECT_EQ(m.text, "Привет");
}

TEST(Date, Forms) {
  EXPECT_EQ(mm::parse_date("Wed, 25 Mar 2026 17:19:02 +0300").value_or(""),
            "2026-03-25T17:19:02+03:00");
  EXPECT_EQ(mm::parse_date("25 Mar 2026 17:19:02 MSK").value_or(""), "2026-03-25T17:19:02+03:00");
  EXPECT_EQ(mm::parse_date("Wed, 25 Mar 2026 17:19 GMT").value_or(""), "2026-03-25T17:19:00+00:00");
  EXPECT_EQ(mm::parse_date("Wed, 25 Mar 26 17:19:02 EST").value_or(""),
            "2026-03-25T17:19:02-05:00");
  EXPECT_EQ(mm::parse_date("Thu, 13 Feb 1969 23:32:54 -0330").value_or(""),
            "1969-02-13T23:32:54-03:30");
  EXPECT_EQ(mm::parse_date("Fri, 21 Nov 97 09:55:06 -0600").value_or(""),
            "1997-11-21T09:55:06-06:00");
  EXPECT_EQ(mm::parse_date(" Mon (comment),\r\n 6 Jun 2005 22:21:22 UT (x)").value_or(""),
            "2005-06-06T22:21:22+00:00");
  EXPECT_EQ(mm::parse_date("1 Jan 2026 00:00:00 -0000").value_or(""), "2026-01-01T00:00:00+00:00");
  EXPECT_EQ(mm::parse_date("Wed Mar 25 17:19:02 2026").value_or(""), "2026-03-25T17:19:02+00:00");
  EXPECT_EQ(mm::parse_date("2026-03-25 17:19:02 +0300").value_or(""), "2026-03-25T17:19:02+03:00");
  EXPECT_EQ(mm::parse_date("31 Apr 2026 10:00:00 +0300"), std::nullopt);
  EXPECT_EQ(mm::parse_date("not a date"), std::nullopt);
}

TEST(Parse, BareLfMessage) {
  std::string msg =
      "From: A <a@example.org>\nTo: b@example.org\nSubject: =?utf-8?B?0J/RgNC40LLQtdGC?=\n"
      "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b1\"\n\n"
      "--b1\nContent-Type: text/plain; charset=utf-8\n\nline 1\nline 2\n"
      "--b1\nContent-Type: application/pdf; name=x.pdf\nContent-Transfer-Encoding: base64\n\n"
      "JVBERg==\n--b1--\n";
  mm::Message m = mm::parse_message(msg);
  EXPECT_EQ(m.subject, "Привет");
  EXPECT_EQ(m.text, "line 1\nline 2");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].filename, "x.pdf");
  EXPECT_EQ(m.attachments[0].size, 4u);  // "%PDF"
}

TEST(Parse, BomAndMboxFromLine) {
  std::string msg =
      "\xEF\xBB\xBF"
      "From sender@example.org Wed Mar 25 17:19:02 2026\r\n"
      "From: sender@example.org\r\nSubject: hi\r\n\r\nbody\r\n";
  mm::Message m = mm::parse_message(msg);
  ASSERT_TRUE(m.from.has_value());
  EXPECT_EQ(m.from->address, "sender@example.org");
  EXPECT_EQ(m.subject, "hi");
  EXPECT_EQ(m.text, "body\n");
}

TEST(Parse, BoundaryOnlyAtLineStart) {
  std::string msg =
      "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b1\r\n\r\n"
      "--b1\r\n\r\ntext mentioning --b1 inside a line\r\n--b1--\r\n";
  mm::Message m = mm::parse_message(msg);
  EXPECT_EQ(m.text, "text mentioning --b1 inside a line");
}

TEST(Parse, UnclosedBoundary) {
  std::string msg =
      "From: a@example.org\r\nSubject: s\r\nContent-Type: multipart/mixed; boundary=outer\r\n\r\n"
      "--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n"
      "--inner\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
      "--outer\r\nContent-Type: image/png; name=a.png\r\nContent-Transfer-Encoding: base64\r\n\r\n"
      "iVBORw0KGgo=\r\n";  // neither boundary is ever closed
  mm::Message m = mm::parse_message(msg);
  EXPECT_EQ(m.text, "hello");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].filename, "a.png");
  EXPECT_EQ(m.attachments[0].size, 8u);
  EXPECT_FALSE(m.defects.empty());
}

TEST(Parse, AttachedMessageAndNestedParts) {
  std::string inner =
      "From: c@example.org\r\nSubject: inner\r\nContent-Type: multipart/mixed; boundary=i\r\n\r\n"
      "--i\r\n\r\ninner text\r\n--i\r\nContent-Type: application/pdf; name=in.pdf\r\n\r\nPDF\r\n"
      "--i--";
  std::string msg =
      "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=o\r\n\r\n"
      "--o\r\n\r\nouter text\r\n--o\r\nContent-Type: message/rfc822\r\n\r\n" +
      inner + "\r\n--o--\r\n";
  mm::Message m = mm::parse_message(msg);
  EXPECT_EQ(m.text, "outer text");
  ASSERT_EQ(m.attachments.size(), 2u);
  EXPECT_EQ(m.attachments[0].content_type, "message/rfc822");
  EXPECT_EQ(m.attachments[0].size, inner.size());  // the raw enclosed bytes
  EXPECT_FALSE(m.attachments[0].nested);
  EXPECT_EQ(m.attachments[1].filename, "in.pdf");
  EXPECT_TRUE(m.attachments[1].nested);
}

TEST(Parse, TenThousandTinyParts) {
  std::string msg = "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n";
  for (int i = 0; i < 10000; ++i) msg += "--b\r\nContent-Type: application/x-a\r\n\r\nx\r\n";
  msg += "--b--\r\n";
  mm::Message m = mm::parse_message(msg);  // over max_parts: truncated, with a defect
  EXPECT_GT(m.attachments.size(), 1000u);
  EXPECT_LT(m.attachments.size(), 10000u);
  EXPECT_FALSE(m.defects.empty());
  mm::ParseLimits wide;
  wide.max_parts = 20000;
  EXPECT_EQ(mm::parse_message(msg, wide).attachments.size(), 10000u);
}

TEST(Parse, TenMegabyteLines) {
  // In a header: truncated to max_line_bytes. In a body: kept.
  std::string big(std::size_t{10} * 1024 * 1024, 'a');
  mm::Message m = mm::parse_message("From: a@example.org\r\nSubject: " + big + "\r\n\r\nbody\r\n");
  EXPECT_LE(m.subject.size(), mm::ParseLimits{}.max_line_bytes);
  EXPECT_FALSE(m.defects.empty());
  mm::Message n = mm::parse_message(
      "From: a@example.org\r\nContent-Type: multipart/mixed; "
      "boundary=" +
      std::string(5000, 'b') + "\r\n\r\n--" + std::string(5000, 'b') + "\r\n\r\n" + big + "\r\n");
  EXPECT_EQ(n.text.size(), big.size() + 1);  // the line break of the unclosed part stays
}

TEST(Parse, DeepNestingIsCapped) {
  std::string msg;
  for (int i = 0; i < 100000; ++i) msg += "Content-Type: message/rfc822\r\n\r\n";
  msg = "From: a@example.org\r\n" + msg + "Subject: deep\r\n\r\nbody\r\n";
  mm::Message m;
  ASSERT_NO_THROW(m = mm::parse_message(msg));
  EXPECT_FALSE(m.defects.empty());
}

TEST(Parse, GarbageIsAParseError) {
  EXPECT_THROW(mm::parse_message(""), mm::ParseError);
  EXPECT_THROW(mm::parse_message("\r\n\r\n"), mm::ParseError);
  EXPECT_THROW(mm::parse_message(std::string("\x89PNG\r\n\x1a\n\0\0", 10)), mm::ParseError);
}

TEST(Parse, OddTransferEncodingsAndUndeclaredCharset) {
  std::string msg =
      "From: a@example.org\r\nContent-Type: text/plain\r\n"
      "Content-Transfer-Encoding:  Base64 \r\n\r\n"
      "z/Do4uXyLCDs6PAh\r\n";  // "Привет, мир!" in windows-1251
  mm::Message m = mm::parse_message(msg);
  EXPECT_EQ(m.text, "Привет, мир!");
  EXPECT_FALSE(m.defects.empty());
}

TEST(Parse, UuencodedAttachment) {
  std::string msg =
      "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
      "--b\r\n\r\ntext\r\n--b\r\nContent-Type: application/octet-stream; name=a.txt\r\n"
      "Content-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 "
      "a.txt\r\n#86)C\r\n`\r\nend\r\n--b--\r\n";
  mm::Message m = mm::parse_message(msg);
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].size, 3u);  // "abc"
  EXPECT_EQ(m.attachments[0].sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Parse, NullSenderAndNulBytes) {
  std::string msg =
      std::string("From: MAILER DAEMON <>\r\nSubject: a=?utf-8?Q?=00?=b\r\n\r\nx\0y\r\n", 59);
  mm::Message m = mm::parse_message(msg);
  ASSERT_TRUE(m.from.has_value());
  EXPECT_EQ(m.from->name, "MAILER DAEMON");
  EXPECT_EQ(m.from->address, "");
  EXPECT_EQ(m.subject, "ab");
  EXPECT_EQ(m.text, "xy\n");
}

TEST(Parse, InlineNamedTextIsTheBodyWhenNothingElseIs) {
  std::string msg =
      "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain; name=\"msg.txt\"\r\n\r\nfirst\r\n"
      "--b\r\nContent-Type: text/plain; name=\"msg.txt\"\r\n\r\nsecond\r\n--b--\r\n";
  mm::Message m = mm::parse_message(msg);
  EXPECT_EQ(m.text, "first");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].filename, "msg.txt");
}

// Found by the differential test (tests/reference): a first "From  :" header field written
// with white space before the colon (RFC 5322 obs-optional, RFC 2822 example A.6.3) was dropped
// as if it were an mbox "From " envelope line.
TEST(Parse, FromFieldWithSpaceBeforeColonIsNotAnEnvelope) {
  std::string msg =
      "From  : John Doe <jdoe@machine.example>\r\nTo    : Mary Smith <mary@example.net>\r\n"
      "Subject     : Saying Hello\r\n\r\nhello\r\n";
  mm::Message m = mm::parse_message(msg);
  ASSERT_TRUE(m.from.has_value());
  EXPECT_EQ(m.from->name, "John Doe");
  EXPECT_EQ(m.from->address, "jdoe@machine.example");
  EXPECT_EQ(m.subject, "Saying Hello");
  EXPECT_EQ(m.text, "hello\n");
  // An envelope line is still one, also with a bare "From -" as MimeKit's mbox files have it.
  mm::Message e = mm::parse_message("From - \r\nFrom: a@example.org\r\n\r\nx\r\n");
  ASSERT_TRUE(e.from.has_value());
  EXPECT_EQ(e.from->address, "a@example.org");
}
