// Urgency rules inside the running daemon, on real servers: decisions stored with each
// case, the client directory, the sender's history, SIGHUP reload, and the rules CLI.

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <iterator>
#include <thread>

#include "harness.hpp"

namespace fs = std::filesystem;
using mailgate::test::Child;
using mailgate::test::Sandbox;
using mailgate::test::wait_for_log;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string message_from(const std::string& address, int n, const std::string& body) {
  return "From: Client <" + address + ">\r\nTo: antikor@lenobl.example\r\nSubject: Q" +
         std::to_string(n) + "\r\nDate: Wed, 25 Mar 2026 10:00:00 +0300\r\nMessage-ID: <q" +
         std::to_string(n) + "-" + address +
         ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
         "Content-Transfer-Encoding: 8bit\r\n\r\n" +
         body + "\r\n";
}

TEST(RulesDaemon, EveryCaseGetsAnExplainedDecisionAndDeadline) {
  Sandbox sb;
  auto ru = mailgate::test::test_data() / "corpus" / "ru";
  sb.deliver({ru / "ru003-plain-3.eml", ru / "ru005-plain-5.eml", ru / "ru001-plain-1.eml"});
  auto r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  auto rows = sb.sql(
      "SELECT m.message_id, c.urgency, c.topic, c.term, iso8601(c.deadline, 'Europe/Moscow'),"
      " c.decision->'fired' @> '[{\"id\": \"conflict-of-interest\"}]'"
      " FROM cases c JOIN messages m ON m.id = c.message_id ORDER BY c.reg_seq");
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& row : rows) {
    EXPECT_NE(row[1], "NULL") << row[0];
    EXPECT_NE(row[2], "NULL") << row[0];
    EXPECT_NE(row[4], "NULL") << "every case has a deadline: " << row[0];
  }
  // ru003: a conflict of interest with «срочно» and «завтра» — urgent, short term.
  EXPECT_EQ(rows[0][1], "urgent");
  EXPECT_EQ(rows[0][2], "conflict_of_interest");
  EXPECT_EQ(rows[0][3], "2 working days");
  EXPECT_EQ(rows[0][5], "t");
  // ru001: a gift notice — urgent at any time of year.
  EXPECT_EQ(rows[2][1], "urgent");

  // case list --json carries urgency, topic and deadline.
  r = sb.mailgate({"case", "list", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"urgency\":\"urgent\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"topic\":\"conflict_of_interest\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"deadline\":\"20"), std::string::npos) << r.out;
}

TEST(RulesDaemon, ThirdMessageInAWeekRaisesTheScore) {
  Sandbox sb;
  std::vector<std::string> texts;
  for (int i = 0; i < 3; ++i) {
    texts.push_back(message_from("often@org.lenobl.example", i, "Прошу разъяснить порядок."));
  }
  // One batch: the third message must see the first two as history.
  sb.deliver(mailgate::test::write_messages(sb.dir() / "m", texts));
  ASSERT_EQ(sb.mailgate({"run", "--once"}).exit_code, 0);
  auto rows = sb.sql(
      "SELECT c.decision->'fired' @> '[{\"id\": \"frequent-client\"}]' FROM cases c"
      " ORDER BY c.reg_seq");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][0], "f");
  EXPECT_EQ(rows[1][0], "f");
  EXPECT_EQ(rows[2][0], "t");
}

TEST(RulesDaemon, ClientDirectoryImportAndHeadOfBody) {
  Sandbox sb;
  auto csv = sb.dir() / "clients.csv";
  std::ofstream(csv) << "email,full_name,position,position_category,organisation,unit\n"
                        "Head@Org.lenobl.example,Петров П.П.,Председатель комитета,"
                        "head_of_executive_body,Комитет,\n"
                        "not-an-address,Кто-то,,,,\n"
                        "clerk@org.lenobl.example,\"Сидоров, С.С.\",Специалист,,Комитет,\n"
                        "short,row\n";
  auto r = sb.mailgate({"clients", "import", csv.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("imported 2"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find(csv.string() + ":3:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(csv.string() + ":5:"), std::string::npos) << r.err;
  auto rows = sb.sql("SELECT email, full_name FROM clients ORDER BY email");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "clerk@org.lenobl.example");
  EXPECT_EQ(rows[0][1], "Сидоров, С.С.");
  EXPECT_EQ(rows[1][0], "head@org.lenobl.example");

  // Re-import updates; a file with a bad header writes nothing.
  std::ofstream(csv)
      << "email;фио;должность\nclerk@org.lenobl.example;Сидоров С.С.;Главный специалист\n";
  ASSERT_EQ(sb.mailgate({"clients", "import", csv.string()}).exit_code, 0);
  EXPECT_EQ(sb.sql("SELECT position FROM clients WHERE email = 'clerk@org.lenobl.example'")[0][0],
            "Главный специалист");
  std::ofstream(csv) << "mail,name\nx@y.example,X\n";
  r = sb.mailgate({"clients", "import", csv.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(":1: unknown column"), std::string::npos) << r.err;
  EXPECT_EQ(sb.sql("SELECT count(*) FROM clients")[0][0], "2");

  // The profile reaches the rules: `rules test` against the database, then the daemon.
  auto eml = sb.dir() / "head.eml";
  std::ofstream(eml) << message_from("head@org.lenobl.example", 1, "Прошу разъяснить порядок.");
  r = sb.mailgate({"rules", "test", eml.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"id\":\"head-of-executive-body\""), std::string::npos) << r.out;
  sb.deliver({eml});
  ASSERT_EQ(sb.mailgate({"run", "--once"}).exit_code, 0);
  EXPECT_EQ(sb.sql("SELECT decision->'fired' @> '[{\"id\": \"head-of-executive-body\"}]'"
                   " FROM cases")[0][0],
            "t");
}

TEST(RulesDaemon, SighupSwapsRulesOnlyWhenValid) {
  Sandbox sb;
  // A private copy of the shipped rules the test can edit.
  auto rules = sb.dir() / "rules";
  fs::copy(mailgate::test::source_dir() / "rules", rules, fs::copy_options::recursive);
  auto text = slurp(sb.config());
  auto pos = text.find("directory = ");
  ASSERT_NE(pos, std::string::npos);
  text.replace(pos, text.find('\n', pos) - pos, "directory = \"" + rules.string() + "\"");
  std::ofstream(sb.config()) << text;

  auto log = sb.dir() / "daemon.log";
  Child daemon(sb.mailgate_argv({"run"}), {}, log);
  ASSERT_TRUE(wait_for_log(log, "mailgate starting"));

  // A broken file: the reload is refused, the daemon goes on with the old rules.
  std::ofstream(rules / "99-local.toml") << "[[rule]]\nid = \"local\"\nfrobnicate = 1\n";
  daemon.signal(SIGHUP);
  ASSERT_TRUE(wait_for_log(log, "the old ones stay")) << slurp(log);
  EXPECT_NE(slurp(log).find("99-local.toml:3"), std::string::npos) << slurp(log);

  sb.deliver(mailgate::test::write_messages(
      sb.dir() / "a", {message_from("a@x.example", 1, "Прошу разъяснить. Кукушкинслово.")}));
  ASSERT_TRUE(wait_for_log(log, "registered as"));

  // A valid new rule: swapped in, and the next message is judged by it.
  std::ofstream(rules / "99-local.toml")
      << "[[rule]]\nid = \"local\"\ndescription = \"Проверка перезагрузки\"\n"
         "when = { words = [\"кукушкинслово\"] }\nthen = { score = 1 }\n";
  daemon.signal(SIGHUP);
  ASSERT_TRUE(wait_for_log(log, "rules and calendar reloaded")) << slurp(log);
  sb.deliver(mailgate::test::write_messages(
      sb.dir() / "b", {message_from("b@x.example", 2, "Прошу разъяснить. Кукушкинслово.")}));
  for (int i = 0; i < 600 && sb.sql("SELECT count(*) FROM cases")[0][0] != "2"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  daemon.signal(SIGTERM);
  auto done = daemon.wait();
  EXPECT_EQ(done.exit_code, 0) << done.out;
  auto rows =
      sb.sql("SELECT decision->'fired' @> '[{\"id\": \"local\"}]' FROM cases ORDER BY reg_seq");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "f") << "judged by the old rules";
  EXPECT_EQ(rows[1][0], "t") << "judged by the reloaded rules";

  // check-config reports a bad rule file with file:line:column and exit 2.
  std::ofstream(rules / "99-local.toml") << "[[rule]]\nid = \"local\"\nfrobnicate = 1\n";
  auto r = sb.mailgate({"check-config"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("99-local.toml:3:1:"), std::string::npos) << r.err;
}

TEST(RulesDaemon, CalendarDeadlineCommand) {
  auto bin = mailgate::test::mailgate_binary().string();
  auto r = mailgate::test::run({bin, "calendar", "deadline", "--from", "2026-04-30T14:00:00+03:00",
                                "--term", "4 working hours"},
                               {{"MAILGATE_CONFIG", ""}});
  // With no configuration the shipped calendar is used.
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "2026-05-04T10:00:00+03:00\n");
  r = mailgate::test::run(
      {bin, "calendar", "deadline", "--from", "2025-12-26", "--term", "30 days"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "2026-01-26T18:00:00+03:00\n");
  r = mailgate::test::run(
      {bin, "calendar", "deadline", "--from", "2026-02-20", "--term", "2 рабочих дня"});
  EXPECT_EQ(r.out, "2026-02-25T18:00:00+03:00\n");
  r = mailgate::test::run({bin, "calendar", "deadline", "--from", "2026-02-20", "--term", "soon"});
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
