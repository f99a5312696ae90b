// Issue 12, the hardening items, end to end on the sandbox: the daemon's database role
// cannot rewrite a registration (16), insecure settings need insecure_ok and are warned
// about at every start, password files must be private (13), the verbose protocol trace
// shows no credentials (14), `case list`/`case show` print no raw control characters (15),
// and large letters are not held in memory together (9).

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <iostream>
#include <pqxx/pqxx>
#include <regex>

#include "harness.hpp"
#include "sink.hpp"

namespace fs = std::filesystem;
using mailgate::test::Sandbox;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The error text of running `sql` on the connection, or "" when it succeeded.
std::string refusal(const std::string& url, const std::string& sql) {
  try {
    pqxx::connection c(url);
    pqxx::work w(c);
    w.exec(sql);
    w.commit();
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

// The sandbox's config with `edit` applied, written beside it as `name`.
fs::path config_copy(const Sandbox& sb, const std::string& name,
                     const std::function<std::string(const std::string&)>& edit) {
  auto path = sb.dir() / name;
  std::ofstream(path) << edit(slurp(sb.config()));
  return path;
}

std::string base64(const std::string& in) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    auto n = (static_cast<unsigned char>(in[i]) << 16) |
             (static_cast<unsigned char>(in[i + 1]) << 8) | static_cast<unsigned char>(in[i + 2]);
    out += {t[(n >> 18) & 63], t[(n >> 12) & 63], t[(n >> 6) & 63], t[n & 63]};
  }
  if (i + 1 == in.size()) {
    auto n = static_cast<unsigned char>(in[i]) << 16;
    out += {t[(n >> 18) & 63], t[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    auto n =
        (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += {t[(n >> 18) & 63], t[(n >> 12) & 63], t[(n >> 6) & 63], '='};
  }
  return out;
}

std::string letter(const std::string& id, const std::string& subject, const std::string& body,
                   const std::string& from = "Иван Петров <ivan@example.org>") {
  return "From: " + from + "\r\nTo: work@sandbox.test\r\nSubject: " + subject +
         "\r\nMessage-ID: <" + id +
         ">\r\nDate: Wed, 25 Nov 2026 10:00:00 +0300\r\n"
         "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
         body + "\r\n";
}

}  // namespace

// --- item 16 ---------------------------------------------------------------------------------

TEST(Hardening, DaemonConnectionCannotRewriteOrRemoveARegistration) {
  Sandbox sb;
  mailgate::test::deliver_texts(sb, {letter("reg1@example.org", "Взятка", "Текст.")});
  auto r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(sb.sql("SELECT count(*) FROM cases")[0][0], "1");
  const auto before = sb.sql("SELECT raw_sha256, md5(raw), raw_size FROM messages")[0];
  const auto regno = sb.sql("SELECT regno FROM cases")[0][0];

  // The daemon's own connection string (the sandbox logs it in as the owner, a superuser).
  const std::string url = sb.env("PGURL");
  const std::string refused = "a registration is never changed or removed";
  for (const char* sql : {
           "UPDATE messages SET raw = '\\x00'::bytea",
           "UPDATE messages SET raw_sha256 = repeat('0', 64)",
           "UPDATE messages SET raw_size = 1",
           "UPDATE messages SET uid = uid + 1000",
           "UPDATE messages SET received_at = now() - interval '1 year'",
           "UPDATE cases SET regno = 'УПК-2026-999999'",
           "UPDATE cases SET registered_at = now() - interval '1 year'",
           "UPDATE cases SET received_at = now() - interval '1 year'",
           "UPDATE cases SET message_id = message_id",  // unchanged value: passes
           "DELETE FROM messages",
           "DELETE FROM cases",
           "TRUNCATE messages CASCADE",
           "TRUNCATE cases CASCADE",
       }) {
    auto e = refusal(url, sql);
    if (std::string(sql).rfind("TRUNCATE", 0) == 0) {
      // Refused by this trigger or by case_events' own (append-only), whichever fires first.
      EXPECT_NE(e, "") << sql;
    } else if (std::string(sql).find("message_id = message_id") != std::string::npos) {
      EXPECT_EQ(e, "") << sql;
    } else {
      EXPECT_NE(e.find(refused), std::string::npos) << sql << ": " << e;
    }
  }
  EXPECT_EQ(sb.sql("SELECT raw_sha256, md5(raw), raw_size FROM messages")[0], before);
  EXPECT_EQ(sb.sql("SELECT regno FROM cases")[0][0], regno);
  // The case's work stays writable.
  EXPECT_EQ(refusal(url, "UPDATE cases SET officer = officer, status = status"), "");

  // Retention's switch, and only it, lets a change through (rolled back here).
  {
    pqxx::connection c(url);
    pqxx::work w(c);
    w.exec("SET LOCAL mailgate.retention = 'on'");
    w.exec("UPDATE messages SET raw_size = raw_size + 1");
    w.abort();
  }
  // A login in the daemon's role (0005): the column privileges refuse it before any trigger.
  sb.sql("CREATE ROLE mg_hardening LOGIN PASSWORD 'hardening-secret' IN ROLE mailgate_daemon");
  std::string role_url =
      std::regex_replace(url, std::regex("://[^@]*@"), "://mg_hardening:hardening-secret@");
  EXPECT_NE(refusal(role_url, "UPDATE messages SET raw = '\\x00'::bytea").find("permission denied"),
            std::string::npos);
  EXPECT_NE(refusal(role_url, "UPDATE cases SET regno = 'x'").find("permission denied"),
            std::string::npos);
  EXPECT_NE(refusal(role_url, "DELETE FROM messages").find("permission denied"), std::string::npos);
  EXPECT_EQ(refusal(role_url, "UPDATE cases SET status = status"), "");
}

// --- item 13 ---------------------------------------------------------------------------------

TEST(Hardening, InsecureSettingsNeedInsecureOkAndAreWarnedAtEveryStart) {
  Sandbox sb;
  auto no_verify = config_copy(sb, "no-verify.toml", [](const std::string& t) {
    return std::regex_replace(t, std::regex("verify_peer = true"), "verify_peer = false");
  });
  auto r = sb.mailgate({"--config", no_verify.string(), "check-config"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(no_verify.string() + ":"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("imap.verify_peer: false turns off the server certificate check; set "
                       "insecure_ok = true in [imap]"),
            std::string::npos)
      << r.err;
  r = sb.mailgate({"--config", no_verify.string(), "run", "--once"});
  EXPECT_EQ(r.exit_code, 2);

  auto allowed = config_copy(sb, "insecure-ok.toml", [](const std::string& t) {
    return std::regex_replace(t, std::regex("verify_peer = true"),
                              "verify_peer = false\ninsecure_ok = true");
  });
  r = sb.mailgate({"--config", allowed.string(), "check-config"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: insecure setting: [imap] verify_peer = false"), std::string::npos)
      << r.err;
  for (int start = 0; start < 2; ++start) {
    r = sb.mailgate({"--config", allowed.string(), "run", "--once"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("insecure setting: [imap] verify_peer = false"), std::string::npos)
        << r.err;
  }
  // The sandbox's own config has nothing insecure: no warning.
  r = sb.mailgate({"run", "--once"});
  EXPECT_EQ(r.err.find("insecure setting"), std::string::npos) << r.err;
}

TEST(Hardening, PasswordFileMustBePrivateAndInlinePasswordsAreRefused) {
  Sandbox sb;
  const fs::path pw = sb.env("IMAP_PASSWORD_FILE");
  fs::permissions(pw, fs::perms::group_read | fs::perms::others_read, fs::perm_options::add);
  auto r = sb.mailgate({"check-config"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("mailgate: " + sb.config().string() + ":", 0), 0U) << r.err;
  EXPECT_NE(r.err.find("imap.password_file: password_file " + pw.string() +
                       " is readable by others (mode 0644); chmod 600 it"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(sb.mailgate({"run", "--once"}).exit_code, 2);
  fs::permissions(pw, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(sb.mailgate({"check-config"}).exit_code, 0);

  // A relative password_file is found beside the config, wherever mailgate is started from.
  fs::copy_file(pw, sb.dir() / "relative.password");
  auto relative = config_copy(sb, "relative.toml", [&](const std::string& t) {
    return std::regex_replace(t, std::regex("password_file = \"[^\"]*\""),
                              "password_file = \"relative.password\"");
  });
  r = mailgate::test::run({"/bin/sh", "-c", "cd / && exec \"$0\" --config \"$1\" run --once",
                           mailgate::test::mailgate_binary().string(), relative.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;

#ifndef MAILGATE_ALLOW_INLINE_PASSWORD
  auto inline_pw = config_copy(sb, "inline.toml", [&](const std::string& t) {
    return std::regex_replace(t, std::regex("password_file = \"[^\"]*\""),
                              "password = \"" + sb.env("IMAP_PASSWORD") + "\"");
  });
  r = sb.mailgate({"--config", inline_pw.string(), "check-config"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("imap.password: a password written into the configuration is refused"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find(sb.env("IMAP_PASSWORD")), std::string::npos) << "never echoed";
#endif
}

// --- item 14 ---------------------------------------------------------------------------------

TEST(Hardening, VerboseTraceNeverShowsCredentials) {
  Sandbox sb;
  // SMTP with AUTH as well (the sink accepts any credentials).
  const std::string smtp_password = "Smtp-Secret-4711";
  {
    std::ofstream(sb.dir() / "smtp.password") << smtp_password << "\n";
    fs::permissions(sb.dir() / "smtp.password", fs::perms::owner_read | fs::perms::owner_write);
  }
  auto cfg = config_copy(sb, "verbose.toml", [&](const std::string& t) {
    return std::regex_replace(t, std::regex("\\[smtp\\]\n"),
                              "[smtp]\nuser = \"upk\"\npassword_file = \"" +
                                  (sb.dir() / "smtp.password").string() + "\"\n");
  });
  mailgate::test::deliver_texts(sb, {letter("verbose1@example.org", "Вопрос", "Текст.")});
  auto r =
      sb.mailgate({"--config", cfg.string(), "run", "--once"}, {{"MAILGATE_CURL_VERBOSE", "1"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(sb.sql("SELECT count(*) FROM outbox WHERE status = 'sent'")[0][0], "2") << r.err;
  const std::string& trace = r.err;
  // The protocol is shown...
  EXPECT_NE(trace.find("> A"), std::string::npos) << trace;
  EXPECT_NE(trace.find("AUTHENTICATE PLAIN"), std::string::npos) << trace;
  EXPECT_NE(trace.find("> AUTH PLAIN"), std::string::npos) << trace;
  EXPECT_NE(trace.find("<credentials hidden>"), std::string::npos) << trace;
  EXPECT_NE(trace.find("> MAIL FROM:"), std::string::npos);
  EXPECT_NE(trace.find("UID FETCH"), std::string::npos);
  // ...the credentials, in any form, are not.
  const std::string imap_password = sb.env("IMAP_PASSWORD");
  for (const std::string& secret :
       {imap_password, smtp_password, base64(std::string("\0work\0", 6) + imap_password),
        base64(std::string("\0upk\0", 5) + smtp_password), base64(imap_password),
        base64(smtp_password)}) {
    EXPECT_EQ(trace.find(secret), std::string::npos) << "leaked: " << secret;
  }
}

// --- item 15 ---------------------------------------------------------------------------------

TEST(Hardening, CaseListAndShowPrintNoRawControlCharacters) {
  Sandbox sb;
  // ESC[2J clears the screen, \r rewrites the line, U+202E reverses what follows.
  const std::string hostile =
      "\x1b[2J\rОК\xE2\x80\xAE"
      "fdp.exe";
  auto encoded = "=?UTF-8?B?" + base64(hostile) + "?=";
  mailgate::test::deliver_texts(
      sb, {letter("ctl1@example.org", encoded, "Тело \x1b[31m письма\x1b]0;title\x07",
                  encoded + " <ivan@example.org>")});
  auto r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The letter did carry the bytes into the database: the escaping below is what stops them.
  ASSERT_EQ(sb.sql("SELECT position(chr(27) in subject) > 0 FROM messages")[0][0], "t");
  const auto regno = sb.sql("SELECT regno FROM cases")[0][0];
  auto raw_control = [](const std::string& s) -> std::string {
    for (std::size_t i = 0; i < s.size(); ++i) {
      auto b = static_cast<unsigned char>(s[i]);
      if ((b < 0x20 && b != '\n') || b == 0x7f) return "byte " + std::to_string(b);
      if (s.compare(i, 3, "\xE2\x80\xAE") == 0) return "U+202E";
    }
    return "";
  };
  auto list = sb.mailgate({"case", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(raw_control(list.out), "") << list.out;
  EXPECT_NE(list.out.find("\\x1b[2J\\rОК\\u202efdp.exe"), std::string::npos) << list.out;
  auto show = sb.mailgate({"case", "show", regno});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(raw_control(show.out), "") << show.out;
  EXPECT_NE(show.out.find("Тема: \\x1b[2J\\rОК\\u202efdp.exe"), std::string::npos) << show.out;
}

// --- item 9 ----------------------------------------------------------------------------------

namespace {

// Runs argv to completion; returns its exit status and the peak resident set of that child
// in KiB (wait4's rusage: the child alone, not the sandbox's servers).
std::pair<int, long> run_measured(const std::vector<std::string>& argv, const fs::path& log) {
  pid_t pid = fork();
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ru.ru_maxrss};
}

// A letter of about `bytes` bytes: a short text and a base64 attachment (distinct per n).
std::string large_letter(int n, std::size_t bytes) {
  std::string out = "From: ivan" + std::to_string(n) +
                    "@example.org\r\nTo: work@sandbox.test\r\nSubject: Документы " +
                    std::to_string(n) + "\r\nMessage-ID: <large" + std::to_string(n) +
                    "@example.org>\r\nMIME-Version: 1.0\r\n"
                    "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"
                    "Content-Type: text/plain; charset=utf-8\r\n\r\nСканы во вложении.\r\n--b\r\n"
                    "Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
                    "Content-Disposition: attachment; filename=\"scan.pdf\"\r\n\r\n";
  std::string line(76, 'A');
  line[0] = static_cast<char>('A' + n % 26);
  std::size_t i = 0;
  while (out.size() + 80 < bytes) {
    line[1] = static_cast<char>('A' + (i++ % 26));
    out += line + "\r\n";
  }
  return out + "--b--\r\n";
}

}  // namespace

TEST(Hardening, LargeLettersAreNeverHeldInMemoryTogether) {
  Sandbox sb;
  constexpr std::size_t kSize = std::size_t{24} * 1000 * 1000;
  constexpr int kCount = 12;
  std::vector<fs::path> files;
  fs::create_directories(sb.dir() / "large");
  for (int n = 0; n < kCount; ++n) {
    files.push_back(sb.dir() / "large" / (std::to_string(n) + ".eml"));
    std::ofstream(files.back(), std::ios::binary) << large_letter(n, kSize);
  }
  sb.deliver(files);
  for (const auto& f : files) fs::remove(f);
  auto argv = sb.mailgate_argv({"run", "--once"});
  auto [status, max_rss_kib] = run_measured(argv, sb.dir() / "large.log");
  ASSERT_EQ(status, 0) << slurp(sb.dir() / "large.log");
  ASSERT_EQ(sb.sql("SELECT count(*) FROM cases")[0][0], std::to_string(kCount));
  EXPECT_EQ(sb.sql("SELECT count(*) FROM messages WHERE parse_status = 'parsed'")[0][0],
            std::to_string(kCount));
  std::cout << "peak RSS of run --once over " << kCount << " letters of " << kSize / 1000000
            << " MB: " << max_rss_kib / 1024 << " MiB\n";
  // All twelve at once would need 12 x 24 MB for the raw bytes alone; one at a time stays
  // within a few copies of one letter. Asserted in the normal build of scripts/test only:
  // under AddressSanitizer (its second run) freed memory sits in ASan's quarantine and
  // allocator caches (339-399 MiB measured here, with or without the quarantine), so the
  // figure measures ASan, not the daemon.
#if defined(__SANITIZE_ADDRESS__)
  (void)max_rss_kib;
#else
  EXPECT_LT(static_cast<std::size_t>(max_rss_kib) * 1024, 6 * kSize);
#endif
}
