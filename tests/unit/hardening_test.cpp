// Issue 12, the hardening items: what a terminal is shown of a letter (base/terminal_text),
// the verbose protocol trace without credentials (mail/curl_trace), batches cut by bytes
// (daemon/intake_batches) and the configuration's refusals of insecure or leaky settings.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "base/terminal_text.hpp"
#include "daemon/config.hpp"
#include "daemon/intake_batches.hpp"
#include "mail/curl_trace.hpp"

namespace fs = std::filesystem;
using mailgate::base::visible_line;
using mailgate::base::visible_text;
using mailgate::daemon::ConfigError;
using mailgate::daemon::cut_batches;
using mailgate::daemon::insecure_settings;
using mailgate::daemon::load_config_text;
using mailgate::mail::CredentialRedactor;
using mailgate::mail::TraceDirection;

namespace {

bool has_raw_control(const std::string& s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x20 || b == 0x7f) return true;
    // C1 as UTF-8 (C2 80..9F) and U+202E (E2 80 AE).
    if (b == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9f) return true;
    if (s.compare(i, 3, "\xE2\x80\xAE") == 0) return true;
  }
  return false;
}

}  // namespace

// --- item 15: nothing raw reaches the terminal ---------------------------------------------

TEST(Hardening, VisibleLineEscapesTerminalControls) {
  EXPECT_EQ(visible_line("a\x1b[2Jb"), "a\\x1b[2Jb");
  EXPECT_EQ(visible_line("x\ry\nz\tw"), "x\\ry\\nz\\tw");
  EXPECT_EQ(visible_line(std::string("nul\0del\x7f\b", 9)), "nul\\x00del\\x7f\\x08");
  EXPECT_EQ(visible_line("\xE2\x80\xAE"
                         "txt.exe"),
            "\\u202etxt.exe");  // right-to-left override
  EXPECT_EQ(visible_line("\xC2\x9B"
                         "31m"),
            "\\u009b31m");  // C1 CSI
  EXPECT_EQ(visible_line("a\xE2\x80\x8B"
                         "b\xE2\x81\xA6"),
            "a\\u200bb\\u2066");
  EXPECT_EQ(visible_line("\xEF\xBB\xBF"
                         "bom"),
            "\\ufeffbom");
}

TEST(Hardening, VisibleLineKeepsOrdinaryTextAndShowsInvalidBytes) {
  EXPECT_EQ(visible_line("Взятка в ЖКХ — «срочно» 😀 \\x"), "Взятка в ЖКХ — «срочно» 😀 \\x");
  EXPECT_EQ(visible_line("\xEF\xBF\xBD"), "\xEF\xBF\xBD");  // a real U+FFFD stays
  EXPECT_EQ(visible_line("a\xff"
                         "b"),
            "a\\xffb");
  EXPECT_EQ(visible_line("\xD0"), "\\xd0");                    // cut short at the end
  EXPECT_EQ(visible_line("\xC0\xAF"), "\\xc0\\xaf");           // overlong '/'
  EXPECT_EQ(visible_line("\xED\xA0\x80"), "\\xed\\xa0\\x80");  // a surrogate
  EXPECT_EQ(visible_line("\xE2\x80"), "\\xe2\\x80");
  EXPECT_FALSE(has_raw_control(visible_line("\x1b]0;title\x07\xC2\x85\xE2\x80\xAE")));
}

TEST(Hardening, VisibleTextKeepsLineBreaksOnly) {
  EXPECT_EQ(visible_text("one\r\ntwo\n\tthree\x1b[A\rfour"), "one\ntwo\n\tthree\\x1b[A\\rfour");
}

// --- item 14: the verbose trace shows no credentials ---------------------------------------

TEST(Hardening, RedactorHidesImapAuthenticateAndLogin) {
  CredentialRedactor r;
  EXPECT_EQ(r.line(TraceDirection::to_server, "A001 CAPABILITY"), "A001 CAPABILITY");
  EXPECT_EQ(r.line(TraceDirection::to_server, "A002 AUTHENTICATE PLAIN AHdvcmsAc2VjcmV0"),
            "A002 AUTHENTICATE PLAIN <credentials hidden>");
  EXPECT_EQ(r.line(TraceDirection::from_server, "A002 OK Logged in"), "A002 OK Logged in");
  EXPECT_EQ(r.line(TraceDirection::to_server, "A003 SELECT INBOX"), "A003 SELECT INBOX");
  // Without SASL-IR: the answer to the server's "+" is hidden too.
  EXPECT_EQ(r.line(TraceDirection::to_server, "A004 authenticate PLAIN"),
            "A004 authenticate PLAIN");
  EXPECT_EQ(r.line(TraceDirection::from_server, "+ "), "+ ");
  EXPECT_EQ(r.line(TraceDirection::to_server, "AHdvcmsAc2VjcmV0"), "<credentials hidden>");
  EXPECT_EQ(r.line(TraceDirection::from_server, "A004 OK"), "A004 OK");
  EXPECT_EQ(r.line(TraceDirection::to_server, "A005 LOGIN work secret"),
            "A005 LOGIN <credentials hidden>");
  EXPECT_EQ(r.line(TraceDirection::from_server, "A005 OK"), "A005 OK");
  EXPECT_EQ(r.line(TraceDirection::to_server, "A006 LOGOUT"), "A006 LOGOUT");
}

TEST(Hardening, RedactorHidesSmtpAuthLoginExchange) {
  CredentialRedactor r;
  EXPECT_EQ(r.line(TraceDirection::to_server, "EHLO mailgate"), "EHLO mailgate");
  EXPECT_EQ(r.line(TraceDirection::to_server, "AUTH LOGIN"), "AUTH LOGIN");
  EXPECT_EQ(r.line(TraceDirection::from_server, "334 VXNlcm5hbWU6"), "334 VXNlcm5hbWU6");
  EXPECT_EQ(r.line(TraceDirection::to_server, "dXBr"), "<credentials hidden>");
  EXPECT_EQ(r.line(TraceDirection::from_server, "334 UGFzc3dvcmQ6"), "334 UGFzc3dvcmQ6");
  EXPECT_EQ(r.line(TraceDirection::to_server, "c2VjcmV0"), "<credentials hidden>");
  EXPECT_EQ(r.line(TraceDirection::from_server, "235 2.7.0 Authentication successful"),
            "235 2.7.0 Authentication successful");
  EXPECT_EQ(r.line(TraceDirection::to_server, "MAIL FROM:<work@x>"), "MAIL FROM:<work@x>");
  EXPECT_EQ(r.line(TraceDirection::to_server, "auth plain AHVwawBzZWNyZXQ="),
            "auth plain <credentials hidden>");
}

// --- item 9: batches cut by bytes as well as count -----------------------------------------

TEST(Hardening, BatchesAreCutByCountAndBytes) {
  std::vector<std::uint32_t> uids = {1, 2, 3, 4, 5, 6, 7};
  std::map<std::uint32_t, std::uint64_t> sizes = {{1, 10}, {2, 10}, {3, 10}, {4, 10},
                                                  {5, 10}, {6, 10}, {7, 10}};
  using Batches = std::vector<std::vector<std::uint32_t>>;
  EXPECT_EQ(cut_batches(uids, sizes, 3, 1000), (Batches{{1, 2, 3}, {4, 5, 6}, {7}}));
  EXPECT_EQ(cut_batches(uids, sizes, 100, 25), (Batches{{1, 2}, {3, 4}, {5, 6}, {7}}));
  EXPECT_EQ(cut_batches(uids, sizes, 100, 30), (Batches{{1, 2, 3}, {4, 5, 6}, {7}}));
  // A message at or over the cap is alone; so is one whose size is unknown.
  sizes[3] = 500;
  sizes.erase(6);
  EXPECT_EQ(cut_batches(uids, sizes, 100, 30), (Batches{{1, 2}, {3}, {4, 5}, {6}, {7}}));
  EXPECT_TRUE(cut_batches({}, sizes, 10, 10).empty());
}

TEST(Hardening, TwelveLargeMessagesAreTwelveBatches) {
  std::vector<std::uint32_t> uids;
  std::map<std::uint32_t, std::uint64_t> sizes;
  for (std::uint32_t u = 1; u <= 12; ++u) {
    uids.push_back(u);
    sizes[u] = 24ULL * 1024 * 1024;
  }
  auto batches = cut_batches(uids, sizes, 100, 32ULL * 1024 * 1024);
  ASSERT_EQ(batches.size(), 12U);
  for (const auto& b : batches) EXPECT_EQ(b.size(), 1U);
}

// --- item 13: insecure settings are explicit; secrets stay secret ---------------------------

namespace {

const char* const kFile = "/etc/m.toml";

std::string error_of(const std::string& text, const fs::path& file = kFile) {
  try {
    load_config_text(text, file);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

// A fresh directory for password files, removed at the end of the test.
struct TempDir {
  fs::path path =
      fs::temp_directory_path() / ("mailgate-hardening-" + std::to_string(::getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  fs::path file(const std::string& name, const std::string& text, fs::perms perms) const {
    std::ofstream(path / name) << text;
    fs::permissions(path / name, perms);
    return path / name;
  }
};

constexpr fs::perms kOwnerOnly = fs::perms::owner_read | fs::perms::owner_write;

}  // namespace

TEST(Hardening, VerifyPeerOffNeedsInsecureOk) {
  const std::string head = "[imap]\nhost = \"mail.example\"\nuser = \"u\"\n";
  const std::string db = "[database]\nurl = \"x\"\n";
  EXPECT_EQ(error_of(head + "verify_peer = false\n" + db),
            std::string(kFile) +
                ":4: imap.verify_peer: false turns off the server certificate check; set "
                "insecure_ok = true in [imap] to allow it");
  auto c = load_config_text(head + "verify_peer = false\ninsecure_ok = true\n" + db, kFile);
  EXPECT_FALSE(c.imap.verify_peer);
  ASSERT_EQ(insecure_settings(c).size(), 1U);
  EXPECT_NE(insecure_settings(c)[0].find("verify_peer = false"), std::string::npos);
  EXPECT_TRUE(insecure_settings(load_config_text(head + db, kFile)).empty());
}

TEST(Hardening, PlaintextImapOffThisMachineNeedsInsecureOk) {
  const std::string db = "[database]\nurl = \"x\"\n";
  EXPECT_EQ(
      error_of("[imap]\nhost = \"mail.example\"\nuser = \"u\"\nsecurity = \"plaintext\"\n" + db),
      std::string(kFile) +
          ":4: imap.security: \"plaintext\" (no TLS) to a server off this machine sends "
          "the password in the clear; set insecure_ok = true in [imap] to allow it");
  for (const char* host : {"127.0.0.1", "localhost", "::1", "127.0.0.2"}) {
    EXPECT_EQ(error_of(std::string("[imap]\nhost = \"") + host +
                       "\"\nuser = \"u\"\nsecurity = \"plaintext\"\n" + db),
              "")
        << host;
  }
  auto c = load_config_text(
      "[imap]\nhost = \"mail.example\"\nuser = \"u\"\nsecurity = \"plaintext\"\n"
      "insecure_ok = true\n" +
          db,
      kFile);
  ASSERT_EQ(insecure_settings(c).size(), 1U);
  EXPECT_NE(insecure_settings(c)[0].find("plaintext"), std::string::npos);
}

TEST(Hardening, SmtpWithoutTlsOffThisMachineNeedsInsecureOk) {
  const std::string head =
      "[imap]\nhost = \"h\"\nuser = \"u\"\n[database]\nurl = \"x\"\n[office]\naddress = "
      "\"a@b.c\"\n";
  EXPECT_NE(error_of(head + "[smtp]\nhost = \"smtp.example\"\nsecurity = \"none\"\n")
                .find(":10: smtp.security: \"none\" (no TLS) is allowed only"),
            std::string::npos);
  auto c = load_config_text(
      head + "[smtp]\nhost = \"smtp.example\"\nsecurity = \"none\"\ninsecure_ok = true\n", kFile);
  EXPECT_TRUE(c.smtp.insecure_ok);
  ASSERT_EQ(insecure_settings(c).size(), 1U);
  EXPECT_NE(insecure_settings(c)[0].find("[smtp]"), std::string::npos);
}

TEST(Hardening, InlinePasswordIsRefused) {
  const std::string text =
      "[imap]\nhost = \"h\"\nuser = \"u\"\npassword = \"secret\"\n[database]\nurl = \"x\"\n";
#ifdef MAILGATE_ALLOW_INLINE_PASSWORD
  GTEST_SKIP() << "built with MAILGATE_ALLOW_INLINE_PASSWORD";
#endif
  EXPECT_EQ(error_of(text),
            std::string(kFile) +
                ":4: imap.password: a password written into the configuration is refused; put "
                "it in a file readable only by the daemon and name it with password_file");
  EXPECT_NE(error_of("[imap]\nhost = \"h\"\nuser = \"u\"\n[database]\nurl = \"x\"\n"
                     "password = \"p\"\n")
                .find(":6: database.password: a password written"),
            std::string::npos);
}

TEST(Hardening, PasswordFileReadableByOthersIsRefused) {
  TempDir dir;
  for (auto [perms, what, mode] :
       {std::tuple{fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                       fs::perms::others_read,
                   "readable", "0644"},
        std::tuple{kOwnerOnly | fs::perms::group_read, "readable", "0640"},
        std::tuple{kOwnerOnly | fs::perms::others_write, "writable", "0602"}}) {
    auto pw = dir.file("pw", "secret\n", perms);
    EXPECT_EQ(error_of("[imap]\nhost = \"h\"\nuser = \"u\"\npassword_file = \"" + pw.string() +
                       "\"\n[database]\nurl = \"x\"\n"),
              std::string(kFile) + ":4: imap.password_file: password_file " + pw.string() + " is " +
                  what + " by others (mode " + mode + "); chmod 600 it");
  }
  auto pw = dir.file("pw", "secret\n", kOwnerOnly);
  auto c = load_config_text("[imap]\nhost = \"h\"\nuser = \"u\"\npassword_file = \"" + pw.string() +
                                "\"\n[database]\nurl = \"x\"\n",
                            kFile);
  EXPECT_EQ(c.imap.password, "secret");
}

// Regression: password_file was opened relative to the current directory, not the file's.
TEST(Hardening, RelativePasswordFileIsTakenFromTheConfigDirectory) {
  TempDir dir;
  fs::create_directories(dir.path / "secrets");
  dir.file("secrets/imap.password", "from-config-dir\n", kOwnerOnly);
  auto here = fs::current_path();
  fs::current_path(fs::temp_directory_path());  // anywhere but the config's directory
  auto c = load_config_text(
      "[imap]\nhost = \"h\"\nuser = \"u\"\npassword_file = \"secrets/imap.password\"\n"
      "[database]\nurl = \"x\"\n",
      dir.path / "mailgate.toml");
  fs::current_path(here);
  EXPECT_EQ(c.imap.password, "from-config-dir");
}
