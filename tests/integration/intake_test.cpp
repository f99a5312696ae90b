// Intake against real servers: Dovecot IMAP, PostgreSQL, the mailgate binary.

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <thread>

#include "harness.hpp"

namespace fs = std::filesystem;
using mailgate::test::Child;
using mailgate::test::Sandbox;

namespace {

std::size_t count_cases(const Sandbox& sb) {
  return std::stoul(sb.sql("SELECT count(*) FROM cases")[0][0]);
}

/// sha256 of every registered raw message, checked against the stored bytes themselves.
std::vector<std::string> registered_shas(const Sandbox& sb) {
  auto bad = sb.sql("SELECT count(*) FROM messages WHERE encode(sha256(raw), 'hex') <> raw_sha256");
  EXPECT_EQ(bad[0][0], "0") << "a stored raw message does not match its recorded sha256";
  std::vector<std::string> out;
  for (const auto& row : sb.sql("SELECT raw_sha256 FROM messages")) out.push_back(row[0]);
  std::sort(out.begin(), out.end());
  return out;
}

/// Registration numbers of the year are exactly 1..N.
void expect_gapless(const Sandbox& sb) {
  auto rows = sb.sql(
      "SELECT reg_year, count(*), min(reg_seq), max(reg_seq), count(DISTINCT reg_seq)"
      " FROM cases GROUP BY reg_year");
  for (const auto& r : rows) {
    EXPECT_EQ(r[2], "1") << "year " << r[0];
    EXPECT_EQ(r[3], r[1]) << "year " << r[0];
    EXPECT_EQ(r[4], r[1]) << "year " << r[0];
  }
}

TEST(Intake, RegistersCorpusExactlyOnceByteIdentical) {
  Sandbox sb;
  auto files = mailgate::test::corpus_files(200);
  ASSERT_EQ(files.size(), 200u);
  sb.deliver(files);
  ASSERT_EQ(sb.count("INBOX"), 200u);
  auto served = sb.shas("INBOX");  // what the IMAP server serves, before intake

  auto r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  EXPECT_EQ(count_cases(sb), 200u);
  EXPECT_EQ(registered_shas(sb), served) << "stored raw bytes differ from what IMAP served";
  EXPECT_EQ(sb.count("INBOX"), 0u);
  EXPECT_EQ(sb.count("Processed") + sb.count("Quarantine"), 200u);
  EXPECT_EQ(sb.count("Processed"), 200u) << "corpus messages ended in quarantine:\n" << r.err;
  EXPECT_EQ(sb.shas("Processed"), served);
  expect_gapless(sb);

  // Every case has the configured number form and the parsed fields of its message.
  auto forms = sb.sql("SELECT count(*) FROM cases WHERE regno !~ '^УПК-[0-9]{4}-[0-9]{6}$'");
  EXPECT_EQ(forms[0][0], "0");
  auto ru001 = sb.sql(
      "SELECT m.subject, m.from_address, c.channel, c.status FROM cases c JOIN messages m"
      " ON m.id = c.message_id WHERE m.message_id ="
      " '<6b66b091-f506-5f00-86ec-c99fb9ecdb8d@lenavtodor.example>'");
  ASSERT_EQ(ru001.size(), 1u);
  EXPECT_EQ(ru001[0][0], "Заявление о выкупе подарка");
  EXPECT_EQ(ru001[0][1], "er.garipova@lenavtodor.example");
  EXPECT_EQ(ru001[0][2], "email");
  EXPECT_EQ(ru001[0][3], "registered");

  // (b) A second pass finds nothing new.
  r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(count_cases(sb), 200u);

  // case list --json: one object per case with the promised keys.
  r = sb.mailgate({"case", "list", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 200);
  for (const char* key : {"\"regno\"", "\"received_at\"", "\"from\"", "\"subject\"", "\"status\"",
                          "\"sha256\"", "\"message_id\""}) {
    EXPECT_NE(r.out.find(key), std::string::npos) << key;
  }
}

TEST(Intake, SurvivesKillNineAtRandomMoments) {
  Sandbox sb;
  std::vector<std::string> texts;
  for (int i = 0; i < 300; ++i) texts.push_back(mailgate::test::synthetic_message(i));
  auto files = mailgate::test::write_messages(sb.dir() / "msgs", texts);
  sb.deliver(files);
  auto served = sb.shas("INBOX");
  ASSERT_EQ(served.size(), 300u);

  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> delay_ms(20, 400);
  int kills = 0;
  // Up to 60 kills (each at a random moment of a fresh daemon's life: starting, fetching,
  // registering, moving); what they leave is finished by a clean pass below.
  for (int round = 0; round < 60 && sb.count("INBOX") > 0; ++round) {
    Child daemon(sb.mailgate_argv({"run"}), {}, sb.dir() / "daemon.log");
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    daemon.signal(SIGKILL);
    auto r = daemon.wait();
    if (r.signal == SIGKILL) ++kills;
  }
  // Whatever the kills left half-done, a final clean pass finishes it.
  auto r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GT(kills, 0);

  EXPECT_EQ(sb.count("INBOX"), 0u);
  EXPECT_EQ(count_cases(sb), 300u);
  EXPECT_EQ(registered_shas(sb), served);
  auto moved = sb.shas("Processed");
  auto q = sb.shas("Quarantine");
  moved.insert(moved.end(), q.begin(), q.end());
  std::sort(moved.begin(), moved.end());
  EXPECT_EQ(moved, served);
  auto dup = sb.sql("SELECT count(*) - count(DISTINCT raw_sha256) FROM messages");
  EXPECT_EQ(dup[0][0], "0") << "a message was registered twice";
  expect_gapless(sb);
  std::cout << "kill -9 rounds that hit a running daemon: " << kills << "\n";
}

TEST(Intake, MessageThatCrashesParserEndsInQuarantine) {
  Sandbox sb;
  std::vector<std::string> texts;
  for (int i = 0; i < 10; ++i) texts.push_back(mailgate::test::synthetic_message(i));
  texts[4] += "CRASH-THE-PARSER\r\n";
  sb.deliver(mailgate::test::write_messages(sb.dir() / "msgs", texts));

  std::map<std::string, std::string> env = {{"MAILGATE_TEST_CRASH_MARKER", "CRASH-THE-PARSER"}};
  int crashes = 0;
  int runs = 0;
  for (; runs < 10; ++runs) {
    auto r = sb.mailgate({"run", "--once"}, env);
    if (r.exit_code == 0) break;
    ASSERT_EQ(r.signal, SIGABRT) << r.err;
    ++crashes;
  }
  EXPECT_EQ(crashes, 3) << "the parser should be tried exactly 3 times";
  EXPECT_EQ(sb.count("INBOX"), 0u);
  EXPECT_EQ(sb.count("Quarantine"), 1u);
  EXPECT_EQ(sb.count("Processed"), 9u);
  auto rows = sb.sql(
      "SELECT c.status, m.parse_status, position('CRASH-THE-PARSER' in convert_from(m.raw, "
      "'UTF8')) > 0 FROM cases c JOIN messages m ON m.id = c.message_id ORDER BY c.reg_seq");
  ASSERT_EQ(rows.size(), 10u);
  int unparsed = 0;
  for (const auto& row : rows) {
    if (row[0] == "unparsed") {
      ++unparsed;
      EXPECT_EQ(row[1], "unparsed");
      EXPECT_EQ(row[2], "t") << "the wrong message was quarantined";
    } else {
      EXPECT_EQ(row[0], "registered");
    }
  }
  EXPECT_EQ(unparsed, 1);
  expect_gapless(sb);
}

TEST(Intake, UidValidityChangeNeitherLosesNorDuplicates) {
  Sandbox sb;
  std::vector<std::string> texts;
  for (int i = 0; i < 6; ++i) texts.push_back(mailgate::test::synthetic_message(i));
  sb.deliver(mailgate::test::write_messages(sb.dir() / "a", {texts[0], texts[1], texts[2]}));
  ASSERT_EQ(sb.mailgate({"run", "--once"}).exit_code, 0);
  ASSERT_EQ(count_cases(sb), 3u);

  // Simulate a crash after registration but before the move, followed by a renumbering of
  // the mailbox: the exact bytes of two registered messages are back in the INBOX, with one
  // new message, and then the INBOX gets a new UIDVALIDITY.
  std::string old_validity = sb.sql("SELECT uidvalidity FROM mailbox_state")[0][0];
  std::vector<fs::path> again;
  {
    auto s = sb.imap();
    auto st = s->select("Processed");
    auto uids = s->search_all_uids();
    ASSERT_EQ(uids.size(), 3u);
    std::vector<std::string> raw;
    for (std::size_t i = 0; i < 2; ++i) {
      raw.push_back(s->fetch("Processed", st.uidvalidity, uids[i]));
    }
    raw.push_back(texts[3]);
    again = mailgate::test::write_messages(sb.dir() / "b", raw);
  }
  sb.deliver(again);
  auto doveadm = mailgate::test::run({"doveadm", "-c", sb.env("DOVECOT_CONF"), "mailbox", "update",
                                      "-u", "work", "--uid-validity",
                                      std::to_string(std::stoul(old_validity) + 1000), "INBOX"});
  ASSERT_EQ(doveadm.exit_code, 0) << doveadm.err;

  auto r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("UIDVALIDITY"), std::string::npos) << r.err;
  EXPECT_NE(sb.sql("SELECT uidvalidity FROM mailbox_state")[0][0], old_validity);
  EXPECT_EQ(count_cases(sb), 4u) << "re-served messages must match their registrations";
  EXPECT_EQ(sb.count("INBOX"), 0u);

  // After the change is handled, new mail is registered as usual.
  sb.deliver(mailgate::test::write_messages(sb.dir() / "c", {texts[4], texts[5]}));
  ASSERT_EQ(sb.mailgate({"run", "--once"}).exit_code, 0);
  EXPECT_EQ(count_cases(sb), 6u);
  expect_gapless(sb);
}

TEST(Intake, WrongPasswordGivesClearErrorNotCrash) {
  Sandbox sb;
  // Write a copy of the config with a wrong password file.
  auto bad_pw = sb.dir() / "wrong.password";
  std::ofstream(bad_pw) << "not-the-password\n";
  std::filesystem::permissions(
      bad_pw, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::ifstream in(sb.config());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto pos = text.find("imap.password");
  ASSERT_NE(pos, std::string::npos);
  text.replace(pos, std::string("imap.password").size(), "wrong.password");
  auto config = sb.dir() / "bad.toml";
  std::ofstream(config) << text;

  auto r = mailgate::test::run(
      {mailgate::test::mailgate_binary().string(), "--config", config.string(), "run", "--once"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("refused the login"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("not-the-password"), std::string::npos) << "password leaked into the log";

  // As a daemon it keeps retrying with backoff and stops cleanly on SIGTERM.
  Child daemon({mailgate::test::mailgate_binary().string(), "--config", config.string(), "run"}, {},
               sb.dir() / "retry.log");
  ASSERT_TRUE(mailgate::test::wait_for_log(sb.dir() / "retry.log", "retrying in"));
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_TRUE(daemon.running()) << "the daemon gave up instead of retrying";
  daemon.signal(SIGTERM);
  auto done = daemon.wait();
  EXPECT_EQ(done.exit_code, 0) << done.out;
  EXPECT_NE(done.out.find("retrying in"), std::string::npos) << done.out;
}

TEST(Intake, SigtermStopsADaemonCleanly) {
  Sandbox sb;
  std::vector<std::string> texts;
  for (int i = 0; i < 300; ++i) texts.push_back(mailgate::test::synthetic_message(i));
  sb.deliver(mailgate::test::write_messages(sb.dir() / "msgs", texts));
  Child daemon(sb.mailgate_argv({"run"}), {}, sb.dir() / "daemon.log");
  // Stop it in the middle of its work: once it has registered something (a daemon killed
  // before it installed its handlers would only show a slow start on a loaded machine).
  ASSERT_TRUE(mailgate::test::wait_for_log(sb.dir() / "daemon.log", "registered as"));
  daemon.signal(SIGTERM);
  auto r = daemon.wait();
  EXPECT_EQ(r.exit_code, 0) << r.out;
  // Whatever it had registered, it had moved: no registered message is left in the INBOX.
  std::size_t registered = count_cases(sb);
  EXPECT_EQ(sb.count("INBOX") + registered, 300u) << r.out;
  ASSERT_EQ(sb.mailgate({"run", "--once"}).exit_code, 0);
  EXPECT_EQ(count_cases(sb), 300u);
}

}  // namespace

namespace {

/// A copy of the sandbox config with some lines replaced.
fs::path edited_config(const Sandbox& sb, const std::string& name,
                       const std::vector<std::pair<std::string, std::string>>& edits) {
  std::ifstream in(sb.config());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const auto& [from, to] : edits) {
    auto pos = text.find(from);
    EXPECT_NE(pos, std::string::npos) << from;
    if (pos != std::string::npos) text.replace(pos, from.size(), to);
  }
  auto path = sb.dir() / name;
  std::ofstream(path) << text;
  return path;
}

TEST(Intake, StartTlsWorksAndCertificatesAreVerified) {
  Sandbox sb;
  sb.deliver(
      mailgate::test::write_messages(sb.dir() / "msgs", {mailgate::test::synthetic_message(1)}));
  auto bin = mailgate::test::mailgate_binary().string();

  // The sandbox certificate is not in the system trust store: without our CA file the
  // connection must be refused, never silently accepted.
  auto no_ca = edited_config(sb, "no-ca.toml",
                             {{"ca_file = \"" + sb.env("CA_FILE") + "\"", "ca_file = \"\""}});
  auto r = mailgate::test::run({bin, "--config", no_ca.string(), "run", "--once"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("cannot reach the IMAP server"), std::string::npos) << r.err;
  EXPECT_EQ(sb.count("INBOX"), 1u);

  // STARTTLS on the plain port, verified with the sandbox CA.
  auto starttls =
      edited_config(sb, "starttls.toml",
                    {{"port = " + sb.env("IMAPS_PORT"), "port = " + sb.env("IMAP_PORT")},
                     {"security = \"imaps\"", "security = \"starttls\""}});
  r = mailgate::test::run({bin, "--config", starttls.string(), "run", "--once"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(sb.count("INBOX"), 0u);
  EXPECT_EQ(std::stoul(sb.sql("SELECT count(*) FROM cases")[0][0]), 1u);
}

}  // namespace
