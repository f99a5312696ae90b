// The outbox under stress, end to end: client mail is registered by `mailgate run --once`
// with sending disabled (an empty [smtp] host), so every acknowledgement and officer alert
// waits in the outbox; then long-running daemons send it to the sandbox's SMTP sink while
// being killed with SIGKILL at random moments, or while two of them share the database.
// The sink's N.json files tell which Message-IDs arrived and how often.

#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

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

/// Plain Russian client mail from client<i>@example.org: one new case each, so one
/// acknowledgement and one officer alert each.
std::string client_mail(int i) {
  std::string n = std::to_string(i);
  return "From: Клиент " + n + " <client" + n +
         "@example.org>\r\n"
         "To: work@sandbox.test\r\n"
         "Subject: Вопрос о справке " +
         n +
         "\r\n"
         "Message-ID: <outbox-" +
         n +
         "@example.org>\r\n"
         "Date: Wed, 25 Nov 2026 10:00:00 +0300\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: text/plain; charset=utf-8\r\n"
         "Content-Transfer-Encoding: 8bit\r\n\r\n"
         "Добрый день! Прошу разъяснить порядок представления справки о доходах. "
         "Обращение " +
         n + ".\r\n";
}

/// A copy of the sandbox config whose [smtp] host is empty: the daemon registers the mail
/// and queues what it causes, but sends nothing (TOML allows no second [smtp] table, so the
/// key is replaced rather than overridden).
fs::path config_without_smtp(const Sandbox& sb) {
  std::istringstream in(slurp(sb.config()));
  std::ostringstream out;
  std::string line;
  bool in_smtp = false;
  int replaced = 0;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '[') in_smtp = line == "[smtp]";
    if (in_smtp && line.rfind("host", 0) == 0 && line.find('=') != std::string::npos) {
      out << "host = \"\"\n";
      ++replaced;
      continue;
    }
    out << line << '\n';
  }
  if (replaced != 1) throw std::runtime_error("no host key in the sandbox config's [smtp]");
  fs::path path = sb.dir() / "mailgate-no-smtp.toml";
  std::ofstream(path, std::ios::binary) << out.str();
  return path;
}

/// Delivers `clients` client messages and registers them with sending disabled; on return
/// every outbox row they caused is pending and the sink is empty.
void queue_unsent(Sandbox& sb, int clients, std::size_t& rows) {
  std::vector<std::string> texts;
  for (int i = 0; i < clients; ++i) texts.push_back(client_mail(i));
  sb.deliver(mailgate::test::write_messages(sb.dir() / "clients", texts));
  auto argv = sb.mailgate_argv({});
  argv[2] = config_without_smtp(sb).string();  // {binary, "--config", path}
  argv.push_back("run");
  argv.push_back("--once");
  auto r = mailgate::test::run(argv);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(sb.sql("SELECT count(*) FROM cases")[0][0], std::to_string(clients)) << r.err;
  ASSERT_EQ(sb.sql("SELECT count(*) FROM outbox WHERE kind = 'acknowledgement'")[0][0],
            std::to_string(clients));
  ASSERT_EQ(sb.sql("SELECT count(*) FROM outbox WHERE status <> 'pending'")[0][0], "0");
  rows = std::stoul(sb.sql("SELECT count(*) FROM outbox")[0][0]);
  ASSERT_TRUE(fs::is_empty(sb.env("SINK_DIR")));
}

std::size_t pending(const Sandbox& sb) {
  return std::stoul(sb.sql("SELECT count(*) FROM outbox WHERE status = 'pending'")[0][0]);
}

/// Waits until no outbox row is pending. Returns false instead if every daemon has exited
/// first (then nothing would ever drain the outbox).
bool wait_drained(const Sandbox& sb, const std::vector<Child*>& daemons) {
  for (;;) {
    if (pending(sb) == 0) return true;
    bool alive = false;
    for (Child* d : daemons) alive = d->running() || alive;
    if (!alive) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

/// How often each Message-ID arrived at the sink.
std::map<std::string, int> sink_message_ids(const Sandbox& sb) {
  std::map<std::string, int> out;
  for (const auto& e : fs::directory_iterator(sb.env("SINK_DIR"))) {
    const std::string name = e.path().filename().string();
    if (e.path().extension() != ".json" || name[0] == '.') continue;
    auto j = nlohmann::json::parse(slurp(e.path()));
    ++out[j["message_id"].is_string() ? j["message_id"].get<std::string>() : ""];
  }
  return out;
}

std::size_t count_sent_lines(const std::string& log) {
  std::size_t n = 0;
  for (std::size_t at = log.find(" sent to "); at != std::string::npos;
       at = log.find(" sent to ", at + 1)) {
    ++n;
  }
  return n;
}

}  // namespace

TEST(Outbox, KillNineWhileSendingLosesNothing) {
  Sandbox sb;
  std::size_t rows = 0;
  ASSERT_NO_FATAL_FAILURE(queue_unsent(sb, 200, rows));
  ASSERT_EQ(rows, 400u);  // an acknowledgement and an officer alert per case

  const unsigned seed = std::random_device{}();
  std::mt19937 rng(seed);
  const int rounds = std::uniform_int_distribution<int>(5, 10)(rng);
  std::uniform_int_distribution<int> delay_ms(50, 400);
  int kills = 0;
  for (int k = 0; k < rounds; ++k) {
    fs::path log = sb.dir() / ("daemon-" + std::to_string(k) + ".log");
    Child daemon(sb.mailgate_argv({"run"}), {}, log);
    // Kill while it is sending: once this incarnation has sent something (or the outbox
    // is empty already), after a random further delay.
    while (daemon.running() && pending(sb) > 0 && count_sent_lines(slurp(log)) == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    ASSERT_TRUE(daemon.running()) << "the daemon exited by itself:\n" << slurp(log);
    daemon.signal(SIGKILL);
    auto r = daemon.wait();
    ASSERT_EQ(r.signal, SIGKILL) << r.out;
    ++kills;
  }

  // A last daemon, left alone, sends the rest.
  Child last(sb.mailgate_argv({"run"}), {}, sb.dir() / "daemon-last.log");
  // (The killed ones may have sent everything already: then only the start is awaited.)
  ASSERT_TRUE(wait_for_log(sb.dir() / "daemon-last.log", "mailgate starting"));
  ASSERT_TRUE(wait_drained(sb, {&last})) << slurp(sb.dir() / "daemon-last.log");
  last.signal(SIGTERM);
  auto r = last.wait();
  EXPECT_EQ(r.exit_code, 0) << r.out;

  EXPECT_EQ(sb.sql("SELECT count(*) FROM outbox WHERE status <> 'sent'")[0][0], "0");
  // A killed send rolled back: each row has exactly one mail_sent event.
  EXPECT_EQ(sb.sql("SELECT count(*) FROM case_events WHERE kind = 'mail_sent'")[0][0],
            std::to_string(rows));

  auto arrived = sink_message_ids(sb);
  std::set<std::string> queued;
  for (const auto& row : sb.sql("SELECT message_id, kind FROM outbox")) {
    queued.insert(row[0]);
    EXPECT_GE(arrived[row[0]], 1) << row[1] << " " << row[0] << " never reached the sink";
  }
  int duplicates = 0;
  for (const auto& [id, n] : arrived) {
    EXPECT_EQ(queued.count(id), 1u)
        << "the sink got a Message-ID that is not in the outbox: " << id;
    if (n > 1) ++duplicates;
  }
  // A duplicate needs a kill after the sink stored the message and before our commit; each
  // sending thread ([outbox] workers, 4 by default) has at most one row in flight, so each
  // kill makes at most that many.
  const int workers = 4;
  EXPECT_LE(duplicates, kills * workers);
  RecordProperty("kills", kills);
  RecordProperty("duplicates", duplicates);
  RecordProperty("seed", std::to_string(seed));
  std::cout << "outbox kill -9: " << kills << " kills (seed " << seed << "), " << rows << " rows, "
            << duplicates << " Message-ID(s) delivered more than once\n";
}

TEST(Outbox, TwoDaemonsNeverSendTheSameRowTwice) {
  Sandbox sb;
  std::size_t rows = 0;
  ASSERT_NO_FATAL_FAILURE(queue_unsent(sb, 150, rows));
  ASSERT_EQ(rows, 300u);
  // Due only once both daemons are surely up, so that they really compete for the rows
  // (otherwise a quick first daemon may send everything before the second has started).
  sb.sql("UPDATE outbox SET next_attempt_at = now() + interval '20 seconds'");

  fs::path log_a = sb.dir() / "daemon-a.log";
  fs::path log_b = sb.dir() / "daemon-b.log";
  Child a(sb.mailgate_argv({"run"}), {}, log_a);
  Child b(sb.mailgate_argv({"run"}), {}, log_b);
  ASSERT_TRUE(wait_for_log(log_a, "mailgate starting"));
  ASSERT_TRUE(wait_for_log(log_b, "mailgate starting"));
  ASSERT_TRUE(wait_drained(sb, {&a, &b})) << slurp(log_a) << slurp(log_b);
  a.signal(SIGTERM);
  b.signal(SIGTERM);
  auto ra = a.wait();
  auto rb = b.wait();
  EXPECT_EQ(ra.exit_code, 0) << ra.out;
  EXPECT_EQ(rb.exit_code, 0) << rb.out;

  // Only one of them polls the mailbox; both outbox workers send.
  EXPECT_NE((ra.out + rb.out).find("another mailgate instance is polling"), std::string::npos);
  std::size_t sent_a = count_sent_lines(ra.out);
  std::size_t sent_b = count_sent_lines(rb.out);
  EXPECT_GT(sent_a, 0u) << "the first daemon sent nothing";
  EXPECT_GT(sent_b, 0u) << "the second daemon sent nothing";
  EXPECT_EQ(sent_a + sent_b, rows);

  EXPECT_EQ(sb.sql("SELECT count(*) FROM outbox WHERE status <> 'sent'")[0][0], "0");
  EXPECT_EQ(sb.sql("SELECT count(*) FROM case_events WHERE kind = 'mail_sent'")[0][0],
            std::to_string(rows));
  auto arrived = sink_message_ids(sb);
  std::size_t total = 0;
  for (const auto& [id, n] : arrived) {
    total += static_cast<std::size_t>(n);
    EXPECT_EQ(n, 1) << id << " arrived " << n << " times";
  }
  EXPECT_EQ(total, rows);
  std::set<std::string> queued;
  for (const auto& row : sb.sql("SELECT message_id FROM outbox")) queued.insert(row[0]);
  EXPECT_EQ(queued.size(), rows);
  for (const auto& id : queued) EXPECT_EQ(arrived.count(id), 1u) << id << " never arrived";
  RecordProperty("sent_by_first", static_cast<int>(sent_a));
  RecordProperty("sent_by_second", static_cast<int>(sent_b));
  std::cout << "two daemons: " << sent_a << " + " << sent_b << " of " << rows << " rows sent\n";
}
