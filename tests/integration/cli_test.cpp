// The mailgate binary's command line: configuration errors, inspect. No servers needed.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "harness.hpp"

namespace fs = std::filesystem;
using mailgate::test::run;

namespace {

fs::path write_config(const std::string& name, const std::string& text) {
  fs::path dir = fs::path(MAILGATE_BINARY_DIR) / "test-configs";
  fs::create_directories(dir);
  std::ofstream(dir / name) << text;
  return dir / name;
}

const char* const kGood =
    "[imap]\n"
    "host = \"127.0.0.1\"\n"
    "user = \"work\"\n"
    "[database]\n"
    "url = \"postgresql://127.0.0.1:1/none\"\n"
    "[[units]]\n"
    "id = \"prevention\"\n";

std::string bin() { return mailgate::test::mailgate_binary().string(); }

TEST(Cli, CheckConfigAcceptsGoodAndShippedSample) {
  auto good = write_config("good.toml", kGood);
  auto r = run({bin(), "--config", good.string(), "check-config"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // The shipped sample must stay valid (its password files need not exist for this check
  // only if they are readable, so give it readable ones).
  std::ifstream in(mailgate::test::source_dir() / "etc" / "mailgate.toml");
  std::string sample((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto pw = write_config("pw.txt", "secret\n");
  fs::permissions(pw, fs::perms::owner_read | fs::perms::owner_write);
  for (const char* key : {"/etc/mailgate/imap.password", "/etc/mailgate/db.password"}) {
    auto pos = sample.find(key);
    ASSERT_NE(pos, std::string::npos);
    sample.replace(pos, std::string(key).size(), pw.string());
  }
  // The installed rules are the source tree's rules/.
  std::string installed = "/etc/mailgate/rules";
  auto rules = (mailgate::test::source_dir() / "rules").string();
  for (auto pos = sample.find(installed); pos != std::string::npos; pos = sample.find(installed)) {
    sample.replace(pos, installed.size(), rules);
  }
  auto shipped = write_config("sample.toml", sample);
  r = run({bin(), "--config", shipped.string(), "check-config"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

struct BadCase {
  const char* text;
  const char* expect;  // a piece of the one-line reason, after "file:line: "
  int line;
};

TEST(Cli, BadConfigIsRejectedWithFileLineAndKey) {
  const BadCase cases[] = {
      {"[imap]\nhost = \"h\"\nuser = \"u\"\nprot = 993\n[database]\nurl = \"x\"\n",
       "imap.prot: unknown key", 4},
      {"[imap]\nhost = \"h\"\nuser = \"u\"\nport = \"993\"\n[database]\nurl = \"x\"\n",
       "imap.port: must be a whole number", 4},
      {"[imap]\nhost = \"h\"\nuser = \"u\"\nport = 99999\n[database]\nurl = \"x\"\n",
       "imap.port: must be between 1 and 65535", 4},
      {"[imap]\nhost = \"h\"\nuser = \"u\"\nsecurity = \"tls\"\n[database]\nurl = \"x\"\n",
       "imap.security: must be one of", 4},
      {"[imap]\nhost = \"h\"\nuser = \"u\"\n[database]\nurl = \"x\"\n[intake]\n"
       "poll_interval = 0\n",
       "intake.poll_interval: must be between", 7},
      {"[imap]\nhost = \"h\"\nuser = \"u\"\n[database]\nurl = \"x\"\n[registration]\n"
       "pattern = \"УПК-{year}\"\n",
       "registration.pattern: must contain {seq}", 7},
      {"[imap]\nhost = \"h\"\nuser = \"u\"\npassword_file = \"/nonexistent/pw\"\n[database]\n"
       "url = \"x\"\n",
       "imap.password_file: cannot read", 4},
      {"[imap]\nhost = \"h\"\nuser = \"u\"\n[database]\nurl = \"x\"\n[colour]\n", "unknown section",
       6},
      {"[imap]\nhost = \"h\"\nuser = = \"u\"\n", "", 3},
  };
  int n = 0;
  for (const auto& c : cases) {
    auto file = write_config("bad" + std::to_string(n++) + ".toml", c.text);
    auto r = run({bin(), "--config", file.string(), "check-config"});
    EXPECT_EQ(r.exit_code, 2) << c.text;
    std::string prefix = file.string() + ":" + std::to_string(c.line) + ":";
    EXPECT_EQ(r.err.rfind("mailgate: " + prefix, 0), 0u) << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
    // The daemon refuses to start on the same file the same way.
    auto d = run({bin(), "--config", file.string(), "run", "--once"});
    EXPECT_EQ(d.exit_code, 2);
  }
}

TEST(Cli, ConfigComesFromEnvironmentWhenNoFlag) {
  auto good = write_config("env.toml", kGood);
  auto r = run({bin(), "check-config"}, {{"MAILGATE_CONFIG", good.string()}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("env.toml"), std::string::npos);
  r = run({bin(), "check-config"}, {{"MAILGATE_CONFIG", "/nonexistent/mailgate.toml"}});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(run({bin()}).exit_code, 2);
  EXPECT_EQ(run({bin(), "frobnicate"}).exit_code, 2);
  EXPECT_EQ(run({bin(), "inspect"}).exit_code, 2);
}

TEST(Cli, InspectPrintsOneJsonObject) {
  auto file = mailgate::test::test_data() / "corpus" / "ru" / "ru001-plain-1.eml";
  auto r = run({bin(), "inspect", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.front(), '{');
  EXPECT_NE(r.out.find("\"subject\":\"Заявление о выкупе подарка\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"address\":\"er.garipova@lenavtodor.example\""), std::string::npos);
}

}  // namespace
