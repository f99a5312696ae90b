// SMTP over libcurl against the sandbox's sink: byte-exact delivery, one connection for many
// messages, classification of 4xx / 5xx / network failures, recovery after each.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "harness.hpp"
#include "mail/compose.hpp"
#include "mail/message_id.hpp"
#include "mail/smtp_session.hpp"

namespace fs = std::filesystem;
namespace mm = mailgate::mail;
using mailgate::test::Sandbox;
using Kind = mm::SmtpResult::Kind;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string optional_env(const Sandbox& sb, const std::string& key) {
  try {
    return sb.env(key);
  } catch (const std::exception&) {
    return {};
  }
}

mm::SmtpSettings plain_settings(const Sandbox& sb) {
  mm::SmtpSettings s;
  s.host = sb.env("SMTP_HOST");
  s.port = std::stoi(sb.env("SMTP_PORT"));
  s.security = mm::SmtpSettings::Security::none;
  s.helo_name = "mailgate.upk.example";
  s.connect_timeout = std::chrono::seconds(5);
  s.timeout = std::chrono::seconds(30);
  return s;
}

/// A distinct message; every few carry an attachment, lines starting with '.', and 8-bit text,
/// so dot-stuffing and size are exercised.
std::string message(int n, const std::string& to = "client1@sandbox.test") {
  mm::OutgoingMail m;
  m.from = {"Приёмная УПК", "priem@upk.example"};
  m.to = {{"Клиент " + std::to_string(n), to}};
  m.subject = "Обращение №" + std::to_string(n) + " зарегистрировано";
  m.text = "Здравствуйте!\n.\n..leading dots\nНомер " + std::to_string(n) + "\n";
  m.message_id = mm::make_message_id("УПК-2026-" + std::to_string(1000 + n), "upk.example");
  m.auto_submitted = "auto-replied";
  m.date = std::chrono::system_clock::now();
  m.utc_offset = std::chrono::minutes(180);
  if (n % 3 == 0) {
    std::string blob;
    for (int i = 0; i < 20000 * (n % 5 + 1); ++i) blob += static_cast<char>((i * 31 + n) % 256);
    m.attachments = {
        {"приложение " + std::to_string(n) + ".bin", "application/octet-stream", blob}};
  }
  if (n % 4 == 0) {
    m.attachments.push_back(
        {"original.eml", "message/rfc822",
         "From: a@b.example\r\nSubject: x\r\n\r\n.\r\n..\r\nТекст 8bit\r\n.\r\n"});
  }
  return mm::compose(m);
}

struct Stored {
  std::string eml;
  nlohmann::json meta;
};

/// Every message the sink stored, in arrival order.
std::vector<Stored> sink(const Sandbox& sb) {
  std::vector<Stored> out;
  fs::path dir = sb.env("SINK_DIR");
  for (int n = 1;; ++n) {
    fs::path meta = dir / (std::to_string(n) + ".json");
    if (!fs::exists(meta)) break;
    out.push_back({slurp(dir / (std::to_string(n) + ".eml")), nlohmann::json::parse(slurp(meta))});
  }
  return out;
}

int unused_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0) << "bind to loopback";
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

void expect_sent(const mm::SmtpResult& r) {
  EXPECT_EQ(r.kind, Kind::sent) << r.code << " " << r.reply;
  EXPECT_EQ(r.code, 250) << r.reply;
}

}  // namespace

TEST(Smtp, SettingsAreChecked) {
  mm::SmtpSettings s;
  s.host = "smtp.upk.example";
  s.port = 25;
  s.security = mm::SmtpSettings::Security::none;
  EXPECT_THROW(mm::SmtpSession{s}, std::invalid_argument);  // plaintext off loopback
  for (const char* host : {"127.0.0.1", "::1", "localhost", "LOCALHOST"}) {
    s.host = host;
    EXPECT_NO_THROW(mm::SmtpSession{s}) << host;
  }
  s.security = mm::SmtpSettings::Security::starttls;
  for (const char* host : {"", "smtp.example/path", "user@smtp.example", "smtp example"}) {
    s.host = host;
    EXPECT_THROW(mm::SmtpSession{s}, std::invalid_argument) << host;
  }
  s.host = "smtp.upk.example";
  s.helo_name = "bad name\r\nRSET";
  EXPECT_THROW(mm::SmtpSession{s}, std::invalid_argument);
  s.helo_name = "";
  s.port = 0;
  EXPECT_THROW(mm::SmtpSession{s}, std::invalid_argument);
}

TEST(Smtp, ManyMessagesOneConnectionAndFailuresClassified) {
  Sandbox sb;
  mm::SmtpSession session(plain_settings(sb));

  // 20 messages, one connection, byte-identical at the sink.
  std::vector<std::string> sent;
  for (int n = 1; n <= 20; ++n) {
    sent.push_back(message(n));
    expect_sent(session.send("priem@upk.example", "client1@sandbox.test", sent.back()));
  }
  EXPECT_EQ(session.connections_opened(), 1);
  auto stored = sink(sb);
  ASSERT_EQ(stored.size(), 20u);
  std::set<int> connections;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_TRUE(stored[i].eml == sent[i]) << "message " << i + 1 << " differs at the sink";
    EXPECT_EQ(stored[i].meta["mail_from"], "priem@upk.example");
    EXPECT_EQ(stored[i].meta["rcpt_tos"], nlohmann::json::array({"client1@sandbox.test"}));
    EXPECT_EQ(stored[i].meta["auth_user"], nullptr);  // no user: no AUTH
    connections.insert(stored[i].meta["connection"].get<int>());
  }
  EXPECT_EQ(connections.size(), 1u) << "the sink saw more than one connection";

  // 451 at RCPT: transient; the session still works afterwards.
  auto r = session.send("priem@upk.example", "reject4-box@sandbox.test", message(21));
  EXPECT_EQ(r.kind, Kind::transient);
  EXPECT_EQ(r.code, 451);
  EXPECT_NE(r.reply.find("451"), std::string::npos) << r.reply;
  expect_sent(session.send("priem@upk.example", "client2@sandbox.test", message(22)));

  // 550 at RCPT: permanent; then a normal send again.
  r = session.send("priem@upk.example", "reject5-box@sandbox.test", message(23));
  EXPECT_EQ(r.kind, Kind::permanent);
  EXPECT_EQ(r.code, 550);
  EXPECT_NE(r.reply.find("5.1.1"), std::string::npos) << r.reply;
  expect_sent(session.send("priem@upk.example", "client2@sandbox.test", message(24)));

  // 451 after the data (the sink's tempfail*: first attempt of a Message-ID only): transient,
  // and the same message goes through on the retry.
  std::string m25 = message(25, "tempfail@sandbox.test");
  r = session.send("priem@upk.example", "tempfail@sandbox.test", m25);
  EXPECT_EQ(r.kind, Kind::transient) << r.reply;
  EXPECT_EQ(r.code, 451) << r.reply;
  expect_sent(session.send("priem@upk.example", "tempfail@sandbox.test", m25));

  // The null sender, for automatic mail.
  expect_sent(session.send("", "client3@sandbox.test", message(26)));

  // Addresses that would smuggle SMTP commands are refused before any connection.
  long before = session.connections_opened();
  for (const char* bad :
       {"a@b.example>\r\nRCPT TO:<x@evil.example", "a b@x.example", "", "<a@b.example>"}) {
    r = session.send("priem@upk.example", bad, message(27));
    EXPECT_EQ(r.kind, Kind::permanent) << bad;
    EXPECT_EQ(r.code, 0);
  }
  r = session.send("priem@upk.example\r\nRSET", "client1@sandbox.test", message(27));
  EXPECT_EQ(r.kind, Kind::permanent);
  EXPECT_EQ(session.connections_opened(), before);

  stored = sink(sb);
  ASSERT_EQ(stored.size(), 24u);
  EXPECT_EQ(stored[20].meta["rcpt_tos"], nlohmann::json::array({"client2@sandbox.test"}));
  EXPECT_EQ(stored[21].meta["rcpt_tos"], nlohmann::json::array({"client2@sandbox.test"}));
  EXPECT_TRUE(stored[22].eml == m25);
  EXPECT_EQ(stored[23].meta["mail_from"], "");
  EXPECT_EQ(stored[23].meta["rcpt_tos"], nlohmann::json::array({"client3@sandbox.test"}));
}

TEST(Smtp, ConnectionRefusedIsTransient) {
  mm::SmtpSettings s;
  s.host = "127.0.0.1";
  s.port = unused_port();
  s.security = mm::SmtpSettings::Security::none;
  s.user = "mailgate";
  s.password = "S3cret-Pa55";
  s.connect_timeout = std::chrono::seconds(5);
  mm::SmtpSession session(s);
  for (int i = 0; i < 2; ++i) {
    auto r = session.send("priem@upk.example", "a@b.example", message(1));
    EXPECT_EQ(r.kind, Kind::transient);
    EXPECT_EQ(r.code, 0);
    EXPECT_FALSE(r.reply.empty());
    EXPECT_EQ(r.reply.find("S3cret-Pa55"), std::string::npos);
  }
}

TEST(Smtp, StartTlsVerifiedWithAuth) {
  Sandbox sb;
  if (optional_env(sb, "SMTP_SECURITY") != "starttls") {
    GTEST_SKIP() << "this sandbox's SMTP sink offers no STARTTLS";
  }
  mm::SmtpSettings s = plain_settings(sb);
  s.security = mm::SmtpSettings::Security::starttls;
  s.ca_file = sb.env("CA_FILE");
  s.user = "mailgate-sender";
  s.password = "S3cret-Pa55";
  mm::SmtpSession session(s);
  std::vector<std::string> sent;
  for (int n = 1; n <= 5; ++n) {
    sent.push_back(message(n));
    auto r = session.send("priem@upk.example", "client1@sandbox.test", sent.back());
    expect_sent(r);
    EXPECT_EQ(r.reply.find("S3cret-Pa55"), std::string::npos);
  }
  EXPECT_EQ(session.connections_opened(), 1);
  auto stored = sink(sb);
  ASSERT_EQ(stored.size(), 5u);
  for (std::size_t i = 0; i < stored.size(); ++i) {
    EXPECT_TRUE(stored[i].eml == sent[i]);
    EXPECT_EQ(stored[i].meta["tls"], true);
    EXPECT_EQ(stored[i].meta["auth_user"], "mailgate-sender");
    EXPECT_EQ(stored[i].meta["connection"], stored[0].meta["connection"]);
  }
  // A 550 over TLS, then recovery on a new TLS connection.
  auto r = session.send("priem@upk.example", "reject5@sandbox.test", message(6));
  EXPECT_EQ(r.kind, Kind::permanent);
  EXPECT_EQ(r.code, 550);
  expect_sent(session.send("priem@upk.example", "client1@sandbox.test", message(7)));

  // Without the sandbox CA the certificate cannot be verified: transient, nothing sent.
  mm::SmtpSettings untrusted = s;
  untrusted.ca_file = "";  // the system trust store, which does not know the sandbox CA
  mm::SmtpSession bad(untrusted);
  r = bad.send("priem@upk.example", "client1@sandbox.test", message(8));
  EXPECT_EQ(r.kind, Kind::transient) << r.reply;
  EXPECT_EQ(r.code, 0) << r.reply;
  EXPECT_EQ(r.reply.find("S3cret-Pa55"), std::string::npos);
  EXPECT_EQ(sink(sb).size(), 6u);
}
