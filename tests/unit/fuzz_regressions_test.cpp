// Inputs the fuzzers (tests/fuzz, run by scripts/fuzz) found problems with, replayed in the
// ordinary build. Every file of tests/data/fuzz-regressions/TARGET/ goes through the same check
// as fuzz_TARGET (tests/fuzz/fuzz_targets.hpp) and must pass it within a time budget; the
// tests after the replay pin down what each fix changed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "mail/parse.hpp"
#include "mail/rfc2231.hpp"
#include "tests/fuzz/fuzz_targets.hpp"

namespace {

namespace fs = std::filesystem;
namespace mm = mailgate::mail;

const fs::path kRegressions = fs::path(MAILGATE_TEST_DATA) / "fuzz-regressions";
const std::string kRulesDir = std::string(MAILGATE_TEST_DATA) + "/../../rules";

// No wall-clock limits here (shared, noisy machines): an input that became slow again
// (each took a minute or more before its fix) trips ctest's per-test TIMEOUT instead.

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<fs::path> inputs(const std::string& target) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(kRegressions / target, ec)) {
    if (e.is_regular_file() && e.path().filename() != "README.md") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

void replay(const std::string& target, const std::function<std::string(std::string_view)>& check) {
  for (const fs::path& file : inputs(target)) {
    std::string data = read_file(file);
    EXPECT_EQ(check(data), "") << file;
  }
}

void parse_into(std::string_view raw, mm::Message* out = nullptr) {
  mm::Message m = mm::parse_message(raw);
  if (out != nullptr) *out = std::move(m);
}

TEST(FuzzRegressions, Mime) {
  ASSERT_FALSE(inputs("mime").empty());
  replay("mime", [](std::string_view in) { return mailgate::fuzz::check_mime(in); });
}

TEST(FuzzRegressions, Config) {
  replay("config", [](std::string_view in) { return mailgate::fuzz::check_config(in); });
}

TEST(FuzzRegressions, Rules) {
  replay("rules", [](std::string_view in) { return mailgate::fuzz::check_rules(in, kRulesDir); });
}

TEST(FuzzRegressions, Calendar) {
  replay("calendar",
         [](std::string_view in) { return mailgate::fuzz::check_calendar(in, kRulesDir); });
}

// The fuzz harnesses themselves: the shipped files pass their checks.
TEST(FuzzRegressions, ShippedFilesPassTheFuzzChecks) {
  EXPECT_EQ(mailgate::fuzz::check_config(read_file(kRulesDir + "/../etc/mailgate.toml")), "");
  for (const auto& e : fs::directory_iterator(kRulesDir)) {
    if (e.path().extension() != ".toml") continue;
    EXPECT_EQ(mailgate::fuzz::check_rules(read_file(e.path()), kRulesDir), "") << e.path();
  }
  for (const auto& e : fs::directory_iterator(kRulesDir + "/calendar")) {
    EXPECT_EQ(mailgate::fuzz::check_calendar(read_file(e.path()), kRulesDir), "") << e.path();
  }
}

// mime/param-whitespace-run.eml: a parameter value with a long run of white space was
// rescanned from each byte of the run (mail/rfc2231.cpp looking for a lost ';' before
// "name="): a 1 MB run took 5 minutes. Now one pass; the value keeps its white space.
TEST(FuzzRegressions, ParameterWithLongWhiteSpaceRunIsLinear) {
  std::string spaces(1000000, ' ');
  auto h = mm::parse_param_header("text/plain; charset=a" + spaces + "b; format=flowed");
  EXPECT_EQ(h.find("charset")->value, "a" + spaces + "b");
  EXPECT_EQ(h.find("format")->value, "flowed");
  mm::Message m;
  parse_into(read_file(kRegressions / "mime/param-whitespace-run.eml"), &m);
  EXPECT_EQ(m.text, "hello\n");
}

// mime/params-without-semicolons.eml: "name=a=b a=b a=b ..." — each parameter that lost its
// ';' was first scanned to the next ';' (here the end of the header), so the header cost
// parameters times its length: 1 MB took a minute. The split is unchanged.
TEST(FuzzRegressions, ParametersWithoutSemicolonsAreLinear) {
  auto h = mm::parse_param_header("text/plain; name=a=b a=b c=d;e=f g=h");
  EXPECT_EQ(h.find("name")->value, "a=b");
  EXPECT_EQ(h.find("a")->value, "b");  // the first of a repeated name counts
  EXPECT_EQ(h.find("c")->value, "d");
  EXPECT_EQ(h.find("e")->value, "f");
  EXPECT_EQ(h.find("g")->value, "h");
  auto flowed = mm::parse_param_header("text/plain; charset=us-ascii format=flowed delsp=yes");
  EXPECT_EQ(flowed.find("charset")->value, "us-ascii");
  EXPECT_EQ(flowed.find("format")->value, "flowed");
  EXPECT_EQ(flowed.find("delsp")->value, "yes");
  auto words = mm::parse_param_header("text/plain; name=This is a test.txt  ; x=\"=?a?= b\"");
  EXPECT_EQ(words.find("name")->value, "This is a test.txt");
  EXPECT_EQ(words.find("x")->value, "=?a?= b");
  parse_into(read_file(kRegressions / "mime/params-without-semicolons.eml"));
}

// mime/lone-cr-delimiters.eml: lines ending in a lone CR (old Mac mail) made the splitter
// (mail/mime_tree.cpp) search for the next LF from every line, to the end of a message that
// has none: 3 MB of empty lines took a minute. The line breaks are read as before.
TEST(FuzzRegressions, LoneCrLinesAreLinear) {
  mm::Message m;
  parse_into(read_file(kRegressions / "mime/lone-cr-delimiters.eml"), &m);
  EXPECT_EQ(m.subject, "lone CR line breaks only");
  EXPECT_EQ(m.attachments.size(), 1999u);  // 2000 MIME parts with the message itself
  EXPECT_TRUE(std::any_of(m.defects.begin(), m.defects.end(), [](const std::string& d) {
    return d.find("more than 2000 MIME parts") != std::string::npos;
  }));
  mm::Message mac = mm::parse_message(
      "From: a@example.org\rSubject: old Mac\rContent-Type: multipart/mixed; boundary=b\r\r"
      "--b\rContent-Type: text/plain\r\rfirst\rline\r--b\rContent-Type: image/png\r\rPNG\r"
      "--b--\repilogue\r");
  EXPECT_EQ(mac.subject, "old Mac");
  EXPECT_EQ(mac.text, "first\nline");
  ASSERT_EQ(mac.attachments.size(), 1u);
  EXPECT_EQ(mac.attachments[0].size, 3u);
  EXPECT_TRUE(mac.defects.empty());
}

// config/timezone-name-too-long.toml: registration.timezone longer than a file name may be
// made std::filesystem::exists throw filesystem_error out of load_config instead of the
// ConfigError with file:line the CLI expects (found by fuzz_config).
TEST(FuzzRegressions, OverlongTimeZoneIsAConfigError) {
  const std::string head =
      "[imap]\nhost = \"h\"\nuser = \"u\"\n[database]\nurl = \"x\"\n[registration]\n";
  for (const std::string& tz :
       {std::string(300, 'x'), "Europe/" + std::string(5000, 'M'),
        std::string("Europe/Moscow\\u0000junk"), std::string("Europe/..")}) {
    try {
      mailgate::daemon::load_config_text(head + "timezone = \"" + tz + "\"\n", "/etc/m.toml");
      ADD_FAILURE() << "accepted " << tz.substr(0, 40);
    } catch (const mailgate::daemon::ConfigError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("/etc/m.toml:7: registration.timezone: unknown", 0), 0u)
          << e.what();
    }
  }
  auto c =
      mailgate::daemon::load_config_text(head + "timezone = \"Europe/Moscow\"\n", "/etc/m.toml");
  EXPECT_EQ(c.registration.timezone, "Europe/Moscow");
}

// calendar/year-float-out-of-range.toml, calendar/shortened-by-float-out-of-range.toml: a
// float where a whole number belongs ("year = 2e25") went through toml++'s value<int64_t>(),
// an out-of-range float-to-integer cast: undefined behaviour that clang's UBSan reports
// (found by fuzz_calendar; GCC's -fsanitize=undefined does not check float casts, and on
// x86-64 the cast happens to give INT64_MIN, so here the error is right either way).
TEST(FuzzRegressions, FloatWhereAWholeNumberBelongsIsACalendarError) {
  auto load_year = [](const std::string& text) {
    try {
      mailgate::rules::Calendar::load(
          mailgate::fuzz::detail::read_calendar_file(kRulesDir, "office_hours.toml"),
          {{"2026.toml", text}});
      return std::string("loaded");
    } catch (const mailgate::rules::CalendarError& e) {
      return std::string(e.what());
    }
  };
  for (const char* year : {"2e25", "-2e25", "2026.0", "inf", "nan"}) {
    EXPECT_EQ(load_year(std::string("# c\nyear = ") + year + "\n"),
              "2026.toml:2:8: year must be a whole number like 2026")
        << year;
  }
  EXPECT_EQ(load_year("year = 2026\n"), "loaded");
  std::string office = read_file(kRulesDir + "/calendar/office_hours.toml");
  std::size_t at = office.find("shortened_by_minutes = 60");
  ASSERT_NE(at, std::string::npos);
  office.replace(at, 25, "shortened_by_minutes = 1e30");
  try {
    mailgate::rules::Calendar::load({"office_hours.toml", office}, {});
    ADD_FAILURE() << "loaded shortened_by_minutes = 1e30";
  } catch (const mailgate::rules::CalendarError& e) {
    EXPECT_NE(std::string(e.what()).find("shortened_by_minutes must be a whole number"),
              std::string::npos)
        << e.what();
  }
}

// load_config is load_config_text on the file's contents; relative paths follow the file.
TEST(FuzzRegressions, LoadConfigReadsTheFileIntoLoadConfigText) {
  fs::path dir = fs::temp_directory_path() / ("mailgate-fuzz-reg-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    std::ofstream out(dir / "m.toml");
    out << "[imap]\nhost = \"h\"\nuser = \"u\"\n[database]\nurl = \"x\"\n[rules]\n"
           "directory = \"r\"\n";
  }
  auto c = mailgate::daemon::load_config(dir / "m.toml");
  EXPECT_EQ(c.file, dir / "m.toml");
  EXPECT_EQ(c.rules.directory, dir / "r");
  EXPECT_EQ(c.rules.calendar_directory, dir / "r" / "calendar");
  try {
    mailgate::daemon::load_config(dir / "missing.toml");
    ADD_FAILURE() << "loaded a missing file";
  } catch (const mailgate::daemon::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "missing.toml").string() + ": no such file");
  }
  { std::ofstream empty(dir / "empty.toml"); }
  try {
    mailgate::daemon::load_config(dir / "empty.toml");
    ADD_FAILURE() << "loaded an empty file";
  } catch (const mailgate::daemon::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("section [imap] is missing"), std::string::npos)
        << e.what();
  }
  fs::remove_all(dir);
}

}  // namespace
