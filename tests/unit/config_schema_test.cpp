// The configuration's section tables (daemon/config.cpp, daemon/config_schema.hpp): every key
// the shipped sample names is known, an unknown key or a bad value is reported at its line,
// and a key left out takes its default.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "daemon/config.hpp"

namespace fs = std::filesystem;
using mailgate::daemon::ConfigError;
using mailgate::daemon::load_config_text;

namespace {

const char* const kFile = "/etc/m.toml";
const std::string kHead =
    "[imap]\nhost = \"h\"\nuser = \"u\"\n[database]\nurl = \"postgresql:///x\"\n";  // 5 lines

/// The error load_config_text gives, or "" when it loads.
std::string error_of(const std::string& text) {
  try {
    load_config_text(text, kFile);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

/// etc/mailgate.toml with its commented-out keys ("# user = ...") switched on and its
/// password files replaced by one that exists.
std::string sample_with_every_key(const fs::path& password_file) {
  std::ifstream in(fs::path(MAILGATE_TEST_DATA) / ".." / ".." / "etc" / "mailgate.toml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  text = std::regex_replace(text, std::regex("\n# ([a-z_]+ = )"), "\n$1");
  // The officers' token key: a file of 32 bytes beside the password file.
  fs::path key_file = password_file.string() + ".key";
  std::ofstream(key_file) << std::string(32, 'k');
  text =
      std::regex_replace(text, std::regex("/etc/mailgate/officer-token\\.key"), key_file.string());
  return std::regex_replace(text, std::regex("/etc/mailgate/[a-z]+\\.password"),
                            password_file.string());
}

}  // namespace

TEST(ConfigSchema, EveryKeyOfTheShippedSampleIsKnown) {
  fs::path pw = fs::temp_directory_path() / ("mailgate-schema-pw-" + std::to_string(::getpid()));
  std::ofstream(pw) << "secret\n";
  fs::permissions(pw, fs::perms::owner_read | fs::perms::owner_write);
  std::string sample = sample_with_every_key(pw);
  ASSERT_NE(sample.find("\nmessage_id_domain = "), std::string::npos);
  auto c = load_config_text(sample, kFile);
  fs::remove(pw);
  EXPECT_EQ(c.imap.password, "secret");
  EXPECT_EQ(c.database.password, "secret");
  EXPECT_EQ(c.smtp.password, "secret");
  EXPECT_EQ(c.smtp.user, "upk");
  EXPECT_EQ(c.office.message_id_domain, "lenobl.example");
  EXPECT_EQ(c.templates_directory, "/etc/mailgate/templates");
  EXPECT_EQ(c.processed_folder, "Обработанные");
  ASSERT_EQ(c.bodies.size(), 1u);
  EXPECT_EQ(c.bodies[0].handles, "трудовые споры, охрана труда");
  ASSERT_EQ(c.officers.size(), 1u);
  EXPECT_EQ(c.officers[0].unit, "prevention");
  EXPECT_EQ(c.officer_auth.authserv_ids, std::vector<std::string>{"mx.lenobl.example"});
}

// In every section of the sample, a key nobody declared is named with its line.
TEST(ConfigSchema, AnUnknownKeyInAnySectionNamesItsLine) {
  fs::path pw = fs::temp_directory_path() / ("mailgate-schema-pw2-" + std::to_string(::getpid()));
  std::ofstream(pw) << "secret\n";
  fs::permissions(pw, fs::perms::owner_read | fs::perms::owner_write);
  const std::string sample = sample_with_every_key(pw);
  std::regex header("^\\[\\[?([a-z_]+)\\]\\]?$");
  std::istringstream lines(sample);
  std::string line;
  int number = 0;
  int sections = 0;
  while (std::getline(lines, line)) {
    ++number;
    std::smatch m;
    if (!std::regex_match(line, m, header)) continue;
    ++sections;
    std::string name = m[1];
    std::string label = line[1] == '[' ? name + "[0]" : name;
    // The line after the header: the inserted key is there.
    std::string text = sample;
    std::size_t at = 0;
    for (int i = 0; i < number; ++i) at = text.find('\n', at) + 1;
    text.insert(at, "colour = \"blue\"\n");
    EXPECT_EQ(error_of(text), std::string(kFile) + ":" + std::to_string(number + 1) + ": " + label +
                                  ".colour: unknown key in [" + label + "]");
  }
  fs::remove(pw);
  EXPECT_EQ(sections, 17);
}

TEST(ConfigSchema, UnknownSectionNamesItsLine) {
  EXPECT_EQ(error_of(kHead + "[colour]\n"), "/etc/m.toml:6: colour: unknown section");
}

// Each kind of key reports a bad value at the value's line, as section.key.
TEST(ConfigSchema, EachKindOfKeyReportsItsLine) {
  struct Case {
    std::string text;
    std::string error;
  };
  const Case cases[] = {
      {"[intake]\nbatch_size = \"100\"\n", "7: intake.batch_size: must be a whole number"},
      {"[outbox]\nworkers = 65\n", "7: outbox.workers: must be between 1 and 64"},
      {"[smtp]\nsecurity = \"tls\"\n",
       "7: smtp.security: must be one of \"none\", \"smtps\", \"starttls\""},
      {"[rules]\nshift_to_working_day = 1\n",
       "7: rules.shift_to_working_day: must be true or false"},
      {"[plain_language]\nmin_readability = \"easy\"\n",
       "7: plain_language.min_readability: must be a number like 40"},
      {"[plain_language]\nmin_readability = nan\n",
       "7: plain_language.min_readability: must be between -100 and 206"},
      {"[officer_auth]\ntrusted_relays = [\"a\",\n 1]\n",
       "8: officer_auth.trusted_relays: must be a list of strings in quotes"},
      {"[office]\naddress = \"upk\"\n",
       "7: office.address: must be an e-mail address like upk@lenreg.ru"},
      {"[registration]\ntimezone = \"Europe/Nowhere\"\n",
       "7: registration.timezone: unknown time zone (expected a name like Europe/Moscow)"},
      {"[smtp]\nhost = \"smtp.example\"\nsecurity = \"none\"\n",
       "8: smtp.security: \"none\" (no TLS) is allowed only for a server on this machine "
       "(127.0.0.1), or with insecure_ok = true in [smtp]"},
      {"[database]\npassword = \"a\"\npassword_file = \"/x\"\n",
       "7: database.password_file: give either password or password_file"},
  };
  for (const auto& c : cases) {
    // [database] twice is a TOML error; that case replaces the head's.
    std::string text =
        c.text.rfind("[database]", 0) == 0
            ? "[imap]\nhost = \"h\"\nuser = \"u\"\n[database]\nurl = \"x\"\n" + c.text.substr(11)
            : kHead + c.text;
    EXPECT_EQ(error_of(text), std::string(kFile) + ":" + c.error) << c.text;
  }
}

// A required key: in a top-level section at line 1 (the section may be missing); in an item
// of an array of tables at the key when empty, at the item when missing.
TEST(ConfigSchema, RequiredKeysAndIds) {
  EXPECT_EQ(error_of("[imap]\nhost = \"\"\nuser = \"u\"\n"),
            "/etc/m.toml:1: imap.host: is required");
  EXPECT_EQ(error_of("[imap]\nhost = \"h\"\nuser = \"u\"\n"),
            "/etc/m.toml:1: database.url: is required");
  EXPECT_EQ(error_of("[database]\nurl = \"x\"\n"),
            "/etc/m.toml:1: imap: section [imap] is missing");
  EXPECT_EQ(error_of(kHead + "[[officers]]\nid = \"a\"\n"),
            "/etc/m.toml:6: officers[0].email: is required");
  EXPECT_EQ(error_of(kHead + "[[officers]]\nid = \"a\"\nemail = \"\"\n"),
            "/etc/m.toml:8: officers[0].email: is required");
  EXPECT_EQ(error_of(kHead + "[[units]]\nid = \"a\"\n[[units]]\nid = \"a\"\n"),
            "/etc/m.toml:8: units[1].id: \"a\" is used twice");
  EXPECT_EQ(error_of(kHead + "[[officers]]\nid = \"a\"\nemail = \"e\"\nunit = \"b\"\n"),
            "/etc/m.toml:1: officers: officer \"a\" names unknown unit \"b\"");
  EXPECT_EQ(error_of("units = 1\n" + kHead),
            "/etc/m.toml:1: units: must be an array of tables ([[units]])");
}

// Regression: with a relative config file ("etc/m.toml") and a relative rules.directory, the
// calendar's default was resolved against the file's directory a second time
// ("etc/etc/rules/calendar").
TEST(ConfigSchema, CalendarBesideRelativeRulesIsResolvedOnce) {
  auto c = load_config_text(kHead +
                                "[rules]\ndirectory = \"rules\"\n[[units]]\nid = \"u1\"\n"
                                "[office]\naddress = \"a@b.example\"\n",
                            "etc/m.toml");
  EXPECT_EQ(c.rules.directory, std::filesystem::path("etc/rules"));
  EXPECT_EQ(c.rules.calendar_directory, std::filesystem::path("etc/rules/calendar"));
}

// What a key left out gives: the value its table line declares.
TEST(ConfigSchema, DefaultsOfKeysLeftOut) {
  auto c = load_config_text(kHead + "[[units]]\nid = \"u1\"\n[office]\naddress = \"a@b.example\"\n",
                            kFile);
  EXPECT_EQ(c.imap.port, 993);
  EXPECT_EQ(c.mailbox, "INBOX");
  EXPECT_EQ(c.imap.timeout, std::chrono::seconds(120));
  EXPECT_EQ(c.intake.batch_size, 100u);
  EXPECT_EQ(c.rules.calendar_directory, c.rules.directory / "calendar");
  EXPECT_EQ(c.smtp.port, 587);
  EXPECT_EQ(c.outbox.max_backoff, std::chrono::seconds(3600));
  EXPECT_EQ(c.office.message_id_domain, "b.example");
  EXPECT_EQ(c.min_readability, 40.0);
  EXPECT_EQ(c.units.at(0).name, "u1");  // the id
  EXPECT_EQ(c.actions.max_extension_days, 30);
  EXPECT_EQ(c.log_level, "info");
  // A default computed from the keys before it.
  auto other = load_config_text(
      "[imap]\nhost = \"h\"\nuser = \"u\"\nsecurity = \"starttls\"\n[database]\nurl = \"x\"\n"
      "[smtp]\nsecurity = \"smtps\"\n",
      kFile);
  EXPECT_EQ(other.imap.port, 143);
  EXPECT_EQ(other.smtp.port, 465);
}
