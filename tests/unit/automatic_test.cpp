// Loop safety: which incoming messages must never get an automatic answer. Real bounces,
// auto-replies and list mail from the corpora, then each signal on its own.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "mail/automatic.hpp"
#include "mail/compose.hpp"
#include "mail/message_id.hpp"
#include "mail/parse.hpp"

namespace fs = std::filesystem;
namespace mm = mailgate::mail;

namespace {

const fs::path kCorpus = fs::path(MAILGATE_TEST_DATA) / "corpus";

mm::LoopSettings settings() {
  mm::LoopSettings s;
  s.own_domains = {"upk.example"};
  return s;
}

mm::AutomaticVerdict classify_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return mm::classify_automatic(mm::parse_message(ss.str()), settings());
}

/// An ordinary citizen's message with `extra` header lines (CRLF-terminated) added.
mm::AutomaticVerdict classify(const std::string& extra,
                              const std::string& from = "Иван <ivan@mail.example>") {
  std::string raw = (from.empty() ? "" : "From: " + from + "\r\n") +
                    "To: priem@upk.example\r\n"
                    "Subject: Жалоба\r\n"
                    "Message-ID: <123@mail.example>\r\n" +
                    extra + "Content-Type: text/plain; charset=utf-8\r\n\r\nТекст\r\n";
  return mm::classify_automatic(mm::parse_message(raw), settings());
}

}  // namespace

TEST(Automatic, CorpusAutoReplies) {
  auto v = classify_file(kCorpus / "ru/ru046-auto-reply-1.eml");  // Outlook out-of-office
  EXPECT_EQ(v.kind, mm::Automatic::auto_reply);
  EXPECT_EQ(v.reason, "Auto-Submitted: auto-replied");
  v = classify_file(kCorpus / "ru/ru047-auto-reply-2.eml");  // from noreply@, still auto-reply
  EXPECT_EQ(v.kind, mm::Automatic::auto_reply);
}

TEST(Automatic, CorpusBounces) {
  for (const char* f : {"ru/ru048-bounce-1.eml", "ru/ru049-bounce-2.eml",
                        "mime/mimekit/messages__bounce.eml", "mime/python-test_email/msg_25.eml",
                        "mime/ruby-mail/multipart_report_emails__report_530.eml"}) {
    SCOPED_TRACE(f);
    auto v = classify_file(kCorpus / f);
    EXPECT_EQ(v.kind, mm::Automatic::bounce);
    EXPECT_EQ(v.reason, "Content-Type: multipart/report; report-type=delivery-status");
  }
  // A Mailman list's copy of a bounce: multipart/report without report-type, Return-Path <>;
  // the bounce signal wins over the list headers.
  auto v = classify_file(kCorpus / "mime/python-test_email/msg_16.eml");
  EXPECT_EQ(v.kind, mm::Automatic::bounce);
  EXPECT_EQ(v.reason, "Return-Path: <>");
  v = classify_file(kCorpus / "mime/mailparser/delivery-status.eml");
  EXPECT_EQ(v.kind, mm::Automatic::bounce);
}

TEST(Automatic, CorpusMailingLists) {
  auto v = classify_file(kCorpus / "ru/ru050-list-1.eml");
  EXPECT_EQ(v.kind, mm::Automatic::mailing_list);
  EXPECT_EQ(v.reason, "List-Id present");
  EXPECT_EQ(classify_file(kCorpus / "ru/ru051-list-2.eml").kind, mm::Automatic::mailing_list);
  EXPECT_EQ(
      classify_file(kCorpus / "mime/mimekit/openpgp___Announce__GnuPG_2.1.20_released.eml").kind,
      mm::Automatic::mailing_list);
}

TEST(Automatic, CorpusOrdinaryMail) {
  for (const char* f :
       {"ru/ru001-plain-1.eml", "ru/ru002-plain-2.eml", "ru/ru011-subject-split-1.eml"}) {
    SCOPED_TRACE(f);
    auto v = classify_file(kCorpus / f);
    EXPECT_EQ(v.kind, mm::Automatic::none) << v.reason;
    EXPECT_EQ(v.reason, "");
  }
}

TEST(Automatic, OrdinaryMail) {
  EXPECT_EQ(classify("").kind, mm::Automatic::none);
  EXPECT_EQ(classify("Auto-Submitted: no\r\n").kind, mm::Automatic::none);
  EXPECT_EQ(classify("Auto-Submitted: NO ; comment=x\r\n").kind, mm::Automatic::none);
  EXPECT_EQ(classify("Auto-Submitted: no (a person wrote this)\r\n").kind, mm::Automatic::none);
  EXPECT_EQ(classify("X-Auto-Response-Suppress: DR, RN, NRN\r\n").kind, mm::Automatic::none);
  // The sender's wish for no automatic reply, not a sign of one (issue 12, item 11): a person's
  // letter may carry it. It stops only the acknowledgement (mail::suppresses_auto_response).
  EXPECT_EQ(classify("X-Auto-Response-Suppress: All\r\n").kind, mm::Automatic::none);
  EXPECT_EQ(classify("X-Auto-Response-Suppress: DR, OOF\r\n").kind, mm::Automatic::none);
  EXPECT_EQ(classify("Precedence: first-class\r\n").kind, mm::Automatic::none);
  EXPECT_EQ(classify("Return-Path: <ivan@mail.example>\r\n").kind, mm::Automatic::none);
  // A reply to our acknowledgement references our id: that is a person answering us.
  EXPECT_EQ(classify("In-Reply-To: <mg.41.0123456789abcdef0123456789abcdef@upk.example>\r\n").kind,
            mm::Automatic::none);
  EXPECT_EQ(classify("", "Nora Replyson <nora@mail.example>").kind, mm::Automatic::none);
}

TEST(Automatic, AutoReplySignals) {
  struct Case {
    const char* header;
    const char* reason;
  } cases[] = {
      {"Auto-Submitted: auto-replied\r\n", "Auto-Submitted: auto-replied"},
      {"Auto-Submitted: Auto-Generated; owner-email=\"x@y\"\r\n", "Auto-Submitted: Auto-Generated"},
      {"Auto-Submitted: auto-notified\r\n", "Auto-Submitted: auto-notified"},
      {"X-Autoreply: yes\r\n", "X-Autoreply: yes"},
      {"X-Autorespond: Vacation\r\n", "X-Autorespond: Vacation"},
      {"Precedence: auto_reply\r\n", "Precedence: auto_reply"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.header);
    auto v = classify(c.header);
    EXPECT_EQ(v.kind, mm::Automatic::auto_reply);
    EXPECT_EQ(v.reason, c.reason);
  }
}

TEST(Automatic, BounceSignals) {
  EXPECT_EQ(classify("Return-Path: <>\r\n").reason, "Return-Path: <>");
  EXPECT_EQ(classify("Return-Path: < >\r\n").kind, mm::Automatic::bounce);
  EXPECT_EQ(classify("", "").reason, "no From address (null sender)");
  EXPECT_EQ(classify("", "<>").reason, "no From address (null sender)");
  EXPECT_EQ(classify("", "Mail Delivery System <MAILER-DAEMON@mx.example>").reason,
            "From: MAILER-DAEMON@mx.example");
  EXPECT_EQ(classify("", "postmaster@mx.example").kind, mm::Automatic::bounce);
  EXPECT_EQ(classify("X-Failed-Recipients: a@b.example\r\n").reason, "X-Failed-Recipients present");
  // The top Content-Type decides; a report-type other than delivery-status (a read receipt)
  // is not a bounce.
  std::string dsn =
      "From: a@b.example\r\nContent-Type: multipart/report; report-type=\"Delivery-Status\";\r\n"
      " boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n";
  EXPECT_EQ(mm::classify_automatic(mm::parse_message(dsn), settings()).kind, mm::Automatic::bounce);
  std::string mdn =
      "From: a@b.example\r\nContent-Type: multipart/report; "
      "report-type=disposition-notification; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: "
      "text/plain\r\n\r\nx\r\n--b--\r\n";
  EXPECT_EQ(mm::classify_automatic(mm::parse_message(mdn), settings()).kind, mm::Automatic::none);
}

TEST(Automatic, MailingListSignals) {
  for (const char* h : {"List-Id: News <news.lists.example>\r\n",
                        "List-Unsubscribe: <mailto:unsub@lists.example>\r\n",
                        "List-Post: <mailto:news@lists.example>\r\n", "list-help: <x>\r\n",
                        "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"}) {
    SCOPED_TRACE(h);
    EXPECT_EQ(classify(h).kind, mm::Automatic::mailing_list);
  }
  for (const char* p : {"bulk", "list", "junk", "Bulk"}) {
    auto v = classify(std::string("Precedence: ") + p + "\r\n");
    EXPECT_EQ(v.kind, mm::Automatic::mailing_list);
  }
  EXPECT_EQ(classify("Precedence: bulk\r\n").reason, "Precedence: bulk");
}

TEST(Automatic, NoReplySenders) {
  for (const char* from : {"noreply@gosuslugi.example", "No-Reply <no-reply@bank.example>",
                           "DoNotReply@service.example", "info.noreply@shop.example",
                           "do_not_reply@x.example", "notifications-noreply@x.example"}) {
    SCOPED_TRACE(from);
    auto v = classify("", from);
    EXPECT_EQ(v.kind, mm::Automatic::no_reply);
    EXPECT_EQ(v.reason.rfind("no-reply From address ", 0), 0u) << v.reason;
  }
  // Answers go to Reply-To: a web form writing from noreply@ on behalf of a citizen is fine,
  // a real sender with a no-reply Reply-To is not.
  EXPECT_EQ(classify("Reply-To: Иван <ivan@mail.example>\r\n", "noreply@form.example").kind,
            mm::Automatic::none);
  auto v = classify("Reply-To: no-reply@mail.example\r\n");
  EXPECT_EQ(v.kind, mm::Automatic::no_reply);
  EXPECT_EQ(v.reason, "no-reply Reply-To address no-reply@mail.example");
  // The patterns are settings.
  mm::LoopSettings s = settings();
  s.no_reply_patterns = {"robot"};
  std::string raw = "From: robot@x.example\r\nTo: a@b.example\r\n\r\nx\r\n";
  EXPECT_EQ(mm::classify_automatic(mm::parse_message(raw), s).kind, mm::Automatic::no_reply);
}

TEST(Automatic, OwnMail) {
  auto v = classify("X-Mailgate-Loop: УПК-2026-000123\r\n");
  EXPECT_EQ(v.kind, mm::Automatic::own_mail);
  EXPECT_EQ(v.reason, "X-Mailgate-Loop present");
  EXPECT_EQ(classify("x-mailgate-loop: 1\r\n").kind, mm::Automatic::own_mail);

  std::string raw =
      "From: priem@upk.example\r\nTo: a@b.example\r\nMessage-ID: "
      "<anything@UPK.Example>\r\n\r\nx\r\n";
  // Regression: a client on the office's own mail domain (civil servants often are) writes
  // with a Message-ID in that domain; that is not our mail (found by the demo).
  v = mm::classify_automatic(mm::parse_message(raw), settings());
  EXPECT_EQ(v.kind, mm::Automatic::none);
  std::string ours = mm::make_message_id("УПК-2026-000001", "upk.example");
  for (char& c : ours) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  raw = "From: a@b.example\r\nTo: a@b.example\r\nMessage-ID: " + ours + "\r\n\r\nx\r\n";
  v = mm::classify_automatic(mm::parse_message(raw), settings());
  EXPECT_EQ(v.kind, mm::Automatic::own_mail) << ours;
  // A subdomain is someone else.
  raw = "From: a@b.example\r\nTo: a@b.example\r\nMessage-ID: <x@mail.upk.example>\r\n\r\nx\r\n";
  EXPECT_EQ(mm::classify_automatic(mm::parse_message(raw), settings()).kind, mm::Automatic::none);

  // What compose writes with our loop header and id comes back as our own mail.
  mm::OutgoingMail m;
  m.from = {"Приёмная", "priem@upk.example"};
  m.to = {{"", "ivan@mail.example"}};
  m.subject = "Ваше обращение зарегистрировано";
  m.text = "Номер УПК-2026-000123";
  m.message_id = mm::make_message_id("УПК-2026-000123", "upk.example");
  m.auto_submitted = "auto-replied";
  m.date = std::chrono::system_clock::now();
  m.extra_headers = {{"X-Mailgate-Loop", "upk.example"}};
  v = mm::classify_automatic(mm::parse_message(mm::compose(m)), settings());
  EXPECT_EQ(v.kind, mm::Automatic::own_mail);
  m.extra_headers.clear();
  v = mm::classify_automatic(mm::parse_message(mm::compose(m)), settings());
  EXPECT_EQ(v.kind, mm::Automatic::own_mail);
  mm::LoopSettings other;
  other.own_domains = {"elsewhere.example"};
  v = mm::classify_automatic(mm::parse_message(mm::compose(m)), other);
  EXPECT_EQ(v.kind, mm::Automatic::auto_reply);  // still never answered
}

TEST(Automatic, FirstMatchWins) {
  // own_mail > bounce > auto_reply > mailing_list > no_reply
  EXPECT_EQ(
      classify("X-Mailgate-Loop: 1\r\nReturn-Path: <>\r\nAuto-Submitted: auto-replied\r\n").kind,
      mm::Automatic::own_mail);
  EXPECT_EQ(classify("Auto-Submitted: auto-replied\r\nX-Failed-Recipients: a@b\r\n").kind,
            mm::Automatic::bounce);
  EXPECT_EQ(classify("List-Id: <l.example>\r\nAuto-Submitted: auto-generated\r\n").kind,
            mm::Automatic::auto_reply);
  EXPECT_EQ(classify("List-Id: <l.example>\r\n", "noreply@l.example").kind,
            mm::Automatic::mailing_list);
  EXPECT_STREQ(mm::to_string(mm::Automatic::mailing_list), "mailing_list");
}
