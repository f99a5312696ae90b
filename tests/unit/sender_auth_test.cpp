// Sender authentication: is a mail claiming to come from an officer vouched for by the
// organisation's own servers? Real-looking headers of a regional administration (lenobl.ru):
// genuine mail, forgeries of each kind, and the syntax corners of Authentication-Results.
#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "mail/parse.hpp"
#include "mail/sender_auth.hpp"

namespace mm = mailgate::mail;

namespace {

constexpr const char* kOfficer = "ivanov@lenobl.ru";
constexpr const char* kFrom = "\"Иванов И.И.\" <ivanov@lenobl.ru>";

/// A command mail with `fields` (LF-separated, folded with "\n\t") on top of its header.
mm::Message mail(const std::string& fields, const std::string& from = kFrom) {
  std::string head = fields;
  // Authentication-Results count only above the office MTA's first Received: where a test
  // gives none, the MX's own (mail.lenobl.ru, from the Internet) goes below its fields.
  std::string lower = fields;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.find("authentication-results") != std::string::npos &&
      fields.find("Received:") == std::string::npos) {
    head +=
        "Received: from mail.evil.example (mail.evil.example [203.0.113.5])\n"
        "\tby mail.lenobl.ru (Postfix) with ESMTPS id 4Zk3Lq0xYz;\n"
        "\tWed, 25 Mar 2026 17:19:03 +0300 (MSK)\n";
  }
  if (!from.empty()) head += "From: " + from + "\n";
  head +=
      "To: priem@lenobl.ru\n"
      "Subject: =?UTF-8?B?0J/QtdGA0LXQtNCw0YLRjCDQvtGC0LTQtdC70YM=?=\n"
      "Date: Wed, 25 Mar 2026 17:19:02 +0300\n"
      "Message-ID: <a1b2c3d4@ARM-IVANOV.lenobl.local>\n"
      "MIME-Version: 1.0\n"
      "Content-Type: text/plain; charset=utf-8\n"
      "\n"
      "Передать обращение 47-1234/26 в отдел ЖКХ.\n";
  std::string raw;
  for (char c : head) {
    if (c == '\n') raw += '\r';
    raw += c;
  }
  return mm::parse_message(raw);
}

mm::SenderAuthSettings ar_only() {
  mm::SenderAuthSettings s;
  s.authserv_ids = {"mx.lenobl.ru"};
  s.mta_hosts = {"mail.lenobl.ru"};  // the MX names itself so in its Received fields
  return s;
}

mm::SenderAuthSettings relays_only() {
  mm::SenderAuthSettings s;
  s.trusted_relays = {"mail.lenobl.ru", "mx.lenobl.ru.", "[10.0.0.2]", "127.0.0.1"};
  return s;
}

mm::SenderAuthSettings both() {
  mm::SenderAuthSettings s = relays_only();
  s.authserv_ids = {"MX.lenobl.ru"};
  return s;
}

mm::SenderAuthVerdict vouch(const mm::Message& m, const mm::SenderAuthSettings& s = ar_only(),
                            const char* claimed = kOfficer) {
  return mm::vouch_for_sender(m, claimed, s);
}

// What the office's MX writes for mail from the Internet.
const std::string kMxFromInternet =
    "Received: from mail.evil.example (mail.evil.example [203.0.113.5])\n"
    "\tby mail.lenobl.ru (Postfix) with ESMTPS id 4Zk3Lq0xYz\n"
    "\tfor <priem@lenobl.ru>; Wed, 25 Mar 2026 17:19:03 +0300 (MSK)\n";

// Dovecot LMTP delivery into the mailbox, the topmost field of every message.
const std::string kLmtp =
    "Received: from mail.lenobl.ru ([127.0.0.1])\n"
    "\tby mail.lenobl.ru with LMTP id kL2xA3ZfZ2bXBwAAbW4tGQ\n"
    "\t(envelope-from <ivanov@lenobl.ru>)\n"
    "\tfor <priem@lenobl.ru>; Wed, 25 Mar 2026 17:19:04 +0300\n";

}  // namespace

// --- Authentication-Results: genuine -------------------------------------------------------

TEST(SenderAuth, GenuineDkimPass) {
  auto v = vouch(
      mail("Authentication-Results: mx.lenobl.ru;\n"
           "\tdkim=pass (2048-bit key; unprotected) header.d=lenobl.ru header.i=@lenobl.ru\n"
           "\theader.a=rsa-sha256 header.s=mail header.b=Kx9/fQ2+;\n"
           "\tspf=pass (mx.lenobl.ru: domain of ivanov@lenobl.ru designates 10.0.0.2 as permitted\n"
           "\tsender) smtp.mailfrom=ivanov@lenobl.ru\n"
           "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=lenobl.ru; s=mail;\n"
           "\th=from:to:subject:date:message-id; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\n"
           "\tb=Kx9/fQ2+abcdef\n"));
  EXPECT_TRUE(v.vouched);
  EXPECT_EQ(v.reason, "dkim=pass header.d=lenobl.ru by mx.lenobl.ru");
}

TEST(SenderAuth, GenuineSpfPass) {
  auto v = vouch(
      mail("Authentication-Results: mx.lenobl.ru; dkim=none (no signature);\n"
           "\tspf=pass (mx.lenobl.ru: 10.0.0.2 is authorized) smtp.mailfrom=Ivanov@LenObl.ru\n"));
  EXPECT_TRUE(v.vouched);
  EXPECT_EQ(v.reason, "spf=pass smtp.mailfrom=Ivanov@LenObl.ru by mx.lenobl.ru");
}

TEST(SenderAuth, SpfHeloOnlyForNullMailFrom) {
  auto v =
      vouch(mail("Authentication-Results: mx.lenobl.ru; spf=pass smtp.mailfrom=<>\n"
                 "\tsmtp.helo=lenobl.ru\n"));
  EXPECT_TRUE(v.vouched);
  EXPECT_EQ(v.reason, "spf=pass smtp.helo=lenobl.ru by mx.lenobl.ru");
  // A passing HELO does not make up for a MAIL FROM in another domain.
  v =
      vouch(mail("Authentication-Results: mx.lenobl.ru; spf=pass\n"
                 "\tsmtp.mailfrom=bounce@evil.example smtp.helo=lenobl.ru\n"));
  EXPECT_FALSE(v.vouched);
  EXPECT_EQ(v.reason,
            "topmost Authentication-Results from mx.lenobl.ru has no pass for lenobl.ru: "
            "spf=pass smtp.mailfrom=bounce@evil.example");
}

TEST(SenderAuth, DmarcPassCounts) {
  auto v =
      vouch(mail("Authentication-Results: mx.lenobl.ru; dkim=fail header.d=lenobl.ru;\n"
                 "\tdmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=lenobl.ru\n"));
  EXPECT_TRUE(v.vouched);
  EXPECT_EQ(v.reason, "dmarc=pass header.from=lenobl.ru by mx.lenobl.ru");
}

TEST(SenderAuth, FailingResultDoesNotVetoAPass) {
  auto v =
      vouch(mail("Authentication-Results: mx.lenobl.ru; dkim=fail (body hash did not verify)\n"
                 "\theader.d=lenobl.ru; spf=pass smtp.mailfrom=ivanov@lenobl.ru\n"));
  EXPECT_TRUE(v.vouched);
  EXPECT_EQ(v.reason, "spf=pass smtp.mailfrom=ivanov@lenobl.ru by mx.lenobl.ru");
}

// --- Authentication-Results: forged or failing ---------------------------------------------

TEST(SenderAuth, ForgedFromWithoutAuthenticationResults) {
  mm::Message m = mail(kMxFromInternet);
  auto v = vouch(m);
  EXPECT_FALSE(v.vouched);
  EXPECT_EQ(v.reason, "no Authentication-Results from a trusted authserv-id");
  v = vouch(m, both());
  EXPECT_FALSE(v.vouched);
  EXPECT_EQ(v.reason,
            "no Authentication-Results from a trusted authserv-id; "
            "no authenticated submission in the trusted part of the Received chain");
}

TEST(SenderAuth, ForgedAuthenticationResultsBelowTheRealOne) {
  const std::string forged =
      "Authentication-Results: mx.lenobl.ru; dkim=pass header.d=lenobl.ru;\n"
      "\tspf=pass smtp.mailfrom=ivanov@lenobl.ru\n";
  auto v =
      vouch(mail("Authentication-Results: mx.lenobl.ru;\n"
                 "\tdkim=fail (signature verification failed) header.d=lenobl.ru;\n"
                 "\tspf=softfail smtp.mailfrom=ivanov@lenobl.ru\n" +
                 kMxFromInternet + forged));
  EXPECT_FALSE(v.vouched);
  EXPECT_EQ(v.reason,
            "topmost Authentication-Results from mx.lenobl.ru says dkim=fail, spf=softfail");

  v = vouch(mail("Authentication-Results: mx.lenobl.ru; none\n" + kMxFromInternet + forged));
  EXPECT_FALSE(v.vouched);
  EXPECT_EQ(v.reason, "topmost Authentication-Results from mx.lenobl.ru says none");

  v = vouch(mail("Authentication-Results: mx.lenobl.ru; dkim=pass header.d=evil.example\n" +
                 kMxFromInternet + forged));
  EXPECT_FALSE(v.vouched);
  EXPECT_EQ(v.reason,
            "topmost Authentication-Results from mx.lenobl.ru has no pass for lenobl.ru: "
            "dkim=pass header.d=evil.example");
}

TEST(SenderAuth, OnlyTheTopmostTrustedFieldCounts) {
  // Several fields from the trusted id: the first decides, even one that merely says none.
  auto v =
      vouch(mail("Authentication-Results: mx.lenobl.ru; dkim=none\n"
                 "Authentication-Results: mx.lenobl.ru; dkim=pass header.d=lenobl.ru\n"
                 "Authentication-Results: mx.lenobl.ru; spf=pass smtp.mailfrom=lenobl.ru\n"));
  EXPECT_FALSE(v.vouched);
  EXPECT_EQ(v.reason, "topmost Authentication-Results from mx.lenobl.ru says dkim=none");
  // Fields of other servers above it are skipped, not taken as the topmost.
  v =
      vouch(mail("Authentication-Results: relay.mail.ru; dkim=fail header.d=lenobl.ru\n"
                 "Authentication-Results: mx.lenobl.ru; dkim=pass header.d=lenobl.ru\n"
                 "Authentication-Results: mx.lenobl.ru; dkim=fail header.d=lenobl.ru\n"));
  EXPECT_TRUE(v.vouched);
  EXPECT_EQ(v.reason, "dkim=pass header.d=lenobl.ru by mx.lenobl.ru");
}

TEST(SenderAuth, UntrustedAuthservId) {
  for (const char* field : {
           // Another server's verdict, however favourable.
           "Authentication-Results: mx.evil.example; dkim=pass header.d=lenobl.ru\n",
           // Looks like ours, is not.
           "Authentication-Results: mx.lenobl.ru.evil.example; dkim=pass header.d=lenobl.ru\n",
           "Authentication-Results: evil-mx.lenobl.ru; spf=pass smtp.mailfrom=lenobl.ru\n",
           // No authserv-id at all (Microsoft's form); one field folded over two lines.
           // NOLINTNEXTLINE(bugprone-suspicious-missing-comma)
           "Authentication-Results: spf=pass (sender IP is 203.0.113.5)\n"
           "\tsmtp.mailfrom=lenobl.ru; dkim=pass (signature was verified) header.d=lenobl.ru\n",
           // ARC's copy is a different field.
           "ARC-Authentication-Results: i=1; mx.lenobl.ru; dkim=pass header.d=lenobl.ru\n",
       }) {
    auto v = vouch(mail(field + kMxFromInternet));
    EXPECT_FALSE(v.vouched) << field;
    EXPECT_EQ(v.reason, "no Authentication-Results from a trusted authserv-id") << field;
  }
}

TEST(SenderAuth, DkimFail) {
  auto v = vouch(mail(
      "Authentication-Results: mx.lenobl.ru;\n"
      "\tdkim=fail reason=\"signature verification failed\" (2048-bit key) header.d=lenobl.ru\n"
      "\theader.i=@lenobl.ru header.b=Kx9/fQ2+; spf=none smtp.mailfrom=ivanov@lenobl.ru;\n"
      "\tdmarc=fail (p=NONE) header.from=lenobl.ru\n"));
  EXPECT_FALSE(v.vouched);
  EXPECT_EQ(v.reason,
            "topmost Authentication-Results from mx.lenobl.ru says dkim=fail, spf=none, "
            "dmarc=fail");
}

TEST(SenderAuth, DkimPassForAnotherDomain) {
  for (const char* d :
       {"evil.example", "lenobl.ru.evil.example", "evillenobl.ru", "sub.lenobl.ru", "ru"}) {
    auto v = vouch(
        mail(std::string("Authentication-Results: mx.lenobl.ru; dkim=pass header.d=") + d + "\n"));
    EXPECT_FALSE(v.vouched) << d;
    EXPECT_EQ(v.reason,
              std::string("topmost Authentication-Results from mx.lenobl.ru has no pass for "
                          "lenobl.ru: dkim=pass header.d=") +
                  d)
        << d;
  }
}

TEST(SenderAuth, SubdomainOfficerNeedsExactDomain) {
  mm::Message parent = mail("Authentication-Results: mx.lenobl.ru; dkim=pass header.d=lenobl.ru\n",
                            "petrova@adm.lenobl.ru");
  EXPECT_FALSE(vouch(parent, ar_only(), "petrova@adm.lenobl.ru").vouched);
  // The parent's signature with the subdomain as its identity does count.
  mm::Message identity = mail(
      "Authentication-Results: mx.lenobl.ru; dkim=pass header.d=lenobl.ru\n"
      "\theader.i=petrova@adm.lenobl.ru\n",
      "petrova@adm.lenobl.ru");
  auto v = vouch(identity, ar_only(), "petrova@adm.lenobl.ru");
  EXPECT_TRUE(v.vouched);
  EXPECT_EQ(v.reason, "dkim=pass header.i=petrova@adm.lenobl.ru by mx.lenobl.ru");
}

TEST(SenderAuth, CommentsQuotedStringsAndCase) {
  // Quoted authserv-id with a version, odd case, CFWS around '=' and '.', method version.
  auto v = vouch(
      mail("Authentication-Results: \"MX.LenObl.RU\" 1 (our MX; dkim=fail);\n"
           "\tDKIM/1 (sig (nested; x=y)) = Pass (good) Header . D = \"LENOBL.RU.\" (signer)\n"));
  EXPECT_TRUE(v.vouched);
  EXPECT_EQ(v.reason, "dkim=pass header.d=LENOBL.RU. by MX.LenObl.RU");

  // A pass hidden in a comment or a quoted reason is not a result.
  v =
      vouch(mail("Authentication-Results: mx.lenobl.ru; dkim=fail (dkim=pass header.d=lenobl.ru)\n"
                 "\treason=\"bad sig; dkim=pass header.d=lenobl.ru\" header.d=lenobl.ru\n"));
  EXPECT_FALSE(v.vouched);
  EXPECT_EQ(v.reason, "topmost Authentication-Results from mx.lenobl.ru says dkim=fail");

  // A comment never closed swallows the rest.
  v = vouch(
      mail("Authentication-Results: mx.lenobl.ru; dkim=fail (x; dkim=pass header.d=lenobl.ru\n"));
  EXPECT_FALSE(v.vouched);

  // A field name in any case.
  v = vouch(mail("AUTHENTICATION-RESULTS: mx.lenobl.ru; spf=PASS smtp.mailfrom=lenobl.ru\n"));
  EXPECT_TRUE(v.vouched);
  EXPECT_EQ(v.reason, "spf=pass smtp.mailfrom=lenobl.ru by mx.lenobl.ru");
}

// --- Identity --------------------------------------------------------------------------------

TEST(SenderAuth, Stranger) {
  // A citizen with a perfectly authenticated mail of his own is still not the officer.
  mm::Message m = mail(
      "Authentication-Results: mx.lenobl.ru; dkim=pass header.d=mail.ru;\n"
      "\tspf=pass smtp.mailfrom=petrov@mail.ru\n",
      "Петров П.П. <petrov@mail.ru>");
  auto v = vouch(m, both());
  EXPECT_FALSE(v.vouched);
  EXPECT_EQ(v.reason, "From address petrov@mail.ru is not ivanov@lenobl.ru");
  // Asked about his own address, the answer is about authenticity only.
  EXPECT_TRUE(vouch(m, both(), "petrov@mail.ru").vouched);
}

TEST(SenderAuth, FromMustBeExactlyTheOfficer) {
  const std::string pass = "Authentication-Results: mx.lenobl.ru; dkim=pass header.d=lenobl.ru\n";
  auto v = vouch(mail(pass + "From: petrov@mail.ru\n"));
  EXPECT_FALSE(v.vouched);
  EXPECT_EQ(v.reason, "2 From fields");
  v = vouch(mail(pass, "ivanov@lenobl.ru, petrov@mail.ru"));
  EXPECT_FALSE(v.vouched);
  EXPECT_EQ(v.reason, "From has 2 addresses");
  v = vouch(mail(pass, ""));
  EXPECT_FALSE(v.vouched);
  EXPECT_EQ(v.reason, "no From field");
  v = vouch(mail(pass + "Sender: petrov@mail.ru\n"));
  EXPECT_FALSE(v.vouched);
  EXPECT_EQ(v.reason, "Sender petrov@mail.ru differs from From");
  // A Sender naming the officer himself, any case of the address: fine.
  v = vouch(mail(pass + "Sender: Ivanov <IVANOV@lenobl.ru>\n"), ar_only(), "Ivanov@LenObl.ru");
  EXPECT_TRUE(v.vouched);
  EXPECT_FALSE(vouch(mail(pass), ar_only(), "ivanov").vouched);
}

// --- Received chain --------------------------------------------------------------------------

TEST(SenderAuth, TrustedRelayWithEsmtpsa) {
  const std::string submission =
      "Received: from ARM-IVANOV.lenobl.local (unknown [10.1.2.3])\n"
      "\t(Authenticated sender: ivanov@lenobl.ru)\n"
      "\tby mail.lenobl.ru (Postfix) with ESMTPSA id 4Zk3Lq0xYz\n"
      "\tfor <priem@lenobl.ru>; Wed, 25 Mar 2026 17:19:02 +0300 (MSK)\n";
  auto v = vouch(mail(kLmtp + submission), relays_only());
  EXPECT_TRUE(v.vouched);
  EXPECT_EQ(v.reason, "received by trusted relay mail.lenobl.ru with ESMTPSA");

  // More hops of ours: a local socket (no IP recorded), then the MX by its (mapped) address.
  v = vouch(mail("Received: from mail.lenobl.ru by mail.lenobl.ru with LMTP id x1;\n"
                 "\tWed, 25 Mar 2026 17:19:05 +0300\n"
                 "Received: from mx.lenobl.ru (mx.lenobl.ru [IPv6:::ffff:10.0.0.2])\n"
                 "\tby mail.lenobl.ru (Postfix, from userid 0) with ESMTPS id 4Zk3Lr;\n"
                 "\tWed, 25 Mar 2026 17:19:04 +0300\n"
                 "Received: from ARM-IVANOV ([10.1.2.3]:51234 helo=ARM-IVANOV)\n"
                 "\tby mx.lenobl.ru with esmtpsa (TLS1.3) tls TLS_AES_256_GCM_SHA384\n"
                 "\t(Exim 4.96) (envelope-from <ivanov@lenobl.ru>) id 1rXyZ-000Abc-2D;\n"
                 "\tWed, 25 Mar 2026 17:19:03 +0300\n"),
            relays_only());
  EXPECT_TRUE(v.vouched);
  EXPECT_EQ(v.reason, "received by trusted relay mx.lenobl.ru with esmtpsa");

  // Either way suffices: a failing Authentication-Results does not veto the relay.
  v = vouch(
      mail("Authentication-Results: mx.lenobl.ru; dkim=none; spf=none\n" + kLmtp + submission),
      both());
  EXPECT_TRUE(v.vouched);
  EXPECT_EQ(v.reason, "received by trusted relay mail.lenobl.ru with ESMTPSA");
}

TEST(SenderAuth, RelayedWithoutAuthenticationIsNotVouched) {
  // Every hop is ours, but the MX took it from the Internet without authentication.
  auto v = vouch(mail(kLmtp + kMxFromInternet), relays_only());
  EXPECT_FALSE(v.vouched);
  EXPECT_EQ(v.reason, "no authenticated submission in the trusted part of the Received chain");
  v = vouch(mail(""), relays_only());
  EXPECT_FALSE(v.vouched);
  EXPECT_EQ(v.reason, "no Received field");
}

TEST(SenderAuth, ForgedReceivedChain) {
  const std::string forged =
      "Received: from ARM-IVANOV.lenobl.local (unknown [10.1.2.3])\n"
      "\tby mail.lenobl.ru (Postfix) with ESMTPSA id 4Zk3Lq0xYz;\n"
      "\tWed, 25 Mar 2026 17:19:02 +0300 (MSK)\n";
  for (const char* hop : {
           // The real hop from the Internet, then the forgery below it.
           "from mail.evil.example (mail.evil.example [203.0.113.5])",
           // HELO names a trusted relay or a trusted IP; the recorded address is the truth.
           "from mail.lenobl.ru (unknown [203.0.113.5])",
           "from [127.0.0.1] (unknown [203.0.113.5])",
           // Postfix joins a HELO of several words: "HELO mail.lenobl.ru with".
           "from mail.lenobl.ru with (unknown [203.0.113.5])",
           // qmail and Exchange record the address without brackets.
           "from unknown (HELO mail.lenobl.ru) (203.0.113.5)",
       }) {
    std::string real = std::string("Received: ") + hop +
                       "\n\tby mail.lenobl.ru (Postfix) with ESMTP id 4Zk3Lr;\n"
                       "\tWed, 25 Mar 2026 17:19:03 +0300 (MSK)\n";
    auto v = vouch(mail(kLmtp + real + forged), relays_only());
    EXPECT_FALSE(v.vouched) << hop;
    EXPECT_EQ(v.reason, "no authenticated submission in the trusted part of the Received chain")
        << hop;
  }
  // A topmost field not written by us: nothing in the chain is believed.
  auto v = vouch(mail(forged + kLmtp), mm::SenderAuthSettings{{}, {"mx.lenobl.ru"}});
  EXPECT_FALSE(v.vouched);
  EXPECT_EQ(v.reason, "topmost Received is by mail.lenobl.ru, not a trusted relay");
  // ESMTPSA recorded by somebody else's server, below ours.
  v = vouch(mail(kLmtp + kMxFromInternet +
                 "Received: from pc (unknown [198.51.100.7]) by smtp.evil.example\n"
                 "\twith ESMTPSA id 1; Wed, 25 Mar 2026 17:19:01 +0300\n"),
            relays_only());
  EXPECT_FALSE(v.vouched);
}

// --- Authentication-Results count only above the office MTA's first Received (issue 12) ---

namespace {

// What the office's MX writes on top of mail from the Internet, and its verdict above it.
const std::string kOurAr = "Authentication-Results: mx.lenobl.ru; dkim=pass header.d=lenobl.ru\n";

}  // namespace

TEST(SenderAuth, AuthenticationResultsAboveOurFirstReceivedCount) {
  auto v = vouch(mail(kOurAr + kMxFromInternet));
  EXPECT_TRUE(v.vouched) << v.reason;
  EXPECT_TRUE(mm::trusted_dkim_pass(mail(kOurAr + kMxFromInternet), kOfficer, ar_only()).vouched);
}

TEST(SenderAuth, AuthenticationResultsBelowOurFirstReceivedAreTheSenders) {
  // The sender prepended a field with our authserv-id to the mail it sent us: it ends up below
  // the Received our MX wrote on accepting it.
  auto v = vouch(mail(kMxFromInternet + kOurAr));
  EXPECT_FALSE(v.vouched);
  EXPECT_EQ(v.reason, "no Authentication-Results from a trusted authserv-id");
  EXPECT_FALSE(mm::trusted_dkim_pass(mail(kMxFromInternet + kOurAr), kOfficer, ar_only()).vouched);
  // ... also when the sender adds a Received in our MX's name below it: the walk down stops at
  // the first field whose host above recorded a hand-over from a host that is not ours.
  const std::string forged_mx =
      "Received: from pc.evil.example by mail.lenobl.ru with ESMTPSA;\n"
      "\tWed, 25 Mar 2026 17:19:01 +0300\n";
  v = vouch(mail(kMxFromInternet + kOurAr + forged_mx));
  EXPECT_FALSE(v.vouched);
}

TEST(SenderAuth, NoReceivedAtAllMeansNoAuthenticationResultsAreBelieved) {
  // Our authserv-id on top, but no Received at all: the mail never passed our MX.
  mm::Message m = mm::parse_message(
      "Authentication-Results: mx.lenobl.ru; dkim=pass header.d=lenobl.ru\r\n"
      "From: <ivanov@lenobl.ru>\r\nTo: priem@lenobl.ru\r\nSubject: x\r\n\r\nbody\r\n");
  auto v = vouch(m);
  EXPECT_FALSE(v.vouched);
  EXPECT_NE(v.reason.find("no Received by the office's MTA"), std::string::npos) << v.reason;
  EXPECT_FALSE(mm::trusted_dkim_pass(m, kOfficer, ar_only()).vouched);
}

TEST(SenderAuth, InternalHopsOfTheOfficeAreWalkedThrough) {
  // LMTP delivery (from 127.0.0.1) on top, the MX's verdict under it, then the MX's Received.
  mm::SenderAuthSettings s = ar_only();
  const std::string m = kLmtp + kOurAr + kMxFromInternet;
  EXPECT_FALSE(vouch(mail(m), s).vouched);  // the LMTP hop is the entry unless 127.0.0.1 is ours
  s.trusted_relays = {"127.0.0.1"};
  EXPECT_TRUE(vouch(mail(m), s).vouched);
  EXPECT_TRUE(mm::trusted_dkim_pass(mail(m), kOfficer, s).vouched);
}

TEST(SenderAuth, TrustedDkimPassNeedsDkimNotSpfOrTheRelay) {
  const std::string spf =
      "Authentication-Results: mx.lenobl.ru; spf=pass smtp.mailfrom=ivanov@lenobl.ru\n";
  EXPECT_TRUE(vouch(mail(spf + kMxFromInternet)).vouched);
  auto v = mm::trusted_dkim_pass(mail(spf + kMxFromInternet), kOfficer, ar_only());
  EXPECT_FALSE(v.vouched);
  // Identity first, as for vouching.
  EXPECT_FALSE(
      mm::trusted_dkim_pass(mail(kOurAr + kMxFromInternet, "<petrov@mail.ru>"), kOfficer, ar_only())
          .vouched);
}
