// The case history is append-only: the daemon's database role cannot change or remove a
// row (grants), nor can anyone else without dropping the trigger (the owner included); and
// the daemon does all its work as that role.

#include <gtest/gtest.h>

#include <fstream>
#include <pqxx/pqxx>
#include <regex>

#include "harness.hpp"

using mailgate::test::Sandbox;

namespace {

// The error text of running `sql` as the given connection, or "" when it succeeded.
std::string refusal(const std::string& url, const std::string& sql) {
  try {
    pqxx::connection c(url);
    pqxx::nontransaction n(c);
    n.exec(sql);
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace

TEST(Audit, CaseEventsAreAppendOnlyForTheDaemonRoleAndForEveryone) {
  Sandbox sb;
  auto m = sb.mailgate({"migrate"});
  ASSERT_EQ(m.exit_code, 0) << m.err;
  // A login for the daemon, member of the role the migrations grant to.
  sb.sql("CREATE ROLE mg_daemon LOGIN PASSWORD 'daemon-secret' IN ROLE mailgate_daemon");
  std::string owner_url = sb.env("PGURL");
  std::string daemon_url =
      std::regex_replace(owner_url, std::regex("://[^@]*@"), "://mg_daemon:daemon-secret@");
  ASSERT_NE(daemon_url, owner_url) << "PGURL has no user part: " << owner_url;

  // The daemon works as that role: register, queue and send.
  std::string cfg = sb.dir() / "daemon-role.toml";
  {
    std::ifstream in(sb.config());
    std::string text((std::istreambuf_iterator<char>(in)), {});
    text = std::regex_replace(text, std::regex("url = \"[^\"]*\""), "url = \"" + daemon_url + "\"",
                              std::regex_constants::format_first_only);
    std::ofstream(cfg) << text;
  }
  auto dir = sb.dir() / "in";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "1.eml", std::ios::binary)
      << "From: ivan@example.org\r\nTo: work@sandbox.test\r\nSubject: Вопрос\r\n"
         "Message-ID: <audit1@example.org>\r\n\r\nТекст.\r\n";
  sb.deliver({dir / "1.eml"});
  auto r = sb.mailgate({"--config", cfg, "run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(sb.sql("SELECT count(*) FROM cases")[0][0], "1");
  EXPECT_EQ(sb.sql("SELECT count(*) FROM outbox WHERE status = 'sent'")[0][0], "2");
  ASSERT_GE(std::stoi(sb.sql("SELECT count(*) FROM case_events")[0][0]), 3);

  // As the daemon's role: INSERT and SELECT yes; UPDATE, DELETE, TRUNCATE no.
  EXPECT_EQ(
      refusal(daemon_url, "INSERT INTO case_events (case_id, kind) SELECT id, 'note' FROM cases"),
      "");
  EXPECT_NE(refusal(daemon_url, "UPDATE case_events SET kind = 'forged'").find("permission denied"),
            std::string::npos);
  EXPECT_NE(refusal(daemon_url, "DELETE FROM case_events").find("permission denied"),
            std::string::npos);
  EXPECT_NE(refusal(daemon_url, "TRUNCATE case_events").find("permission denied"),
            std::string::npos);
  // As the owner: the trigger refuses too.
  EXPECT_NE(refusal(owner_url, "UPDATE case_events SET kind = 'forged'").find("append-only"),
            std::string::npos);
  EXPECT_NE(refusal(owner_url, "DELETE FROM case_events").find("append-only"), std::string::npos);
  EXPECT_EQ(sb.sql("SELECT count(*) FROM case_events WHERE kind = 'forged'")[0][0], "0");
}
