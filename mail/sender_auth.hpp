#pragma once
/// Sender authentication: is a mail that claims to come from an officer vouched for by the
/// organisation's own mail servers? (docs: shared DESIGN.md "Officer mail is authenticated";
/// RFC 8601 Authentication-Results, RFC 5321 section 4.4 Received, RFC 3848.)
/// Pure: reads the parsed header fields only. Whether the claimed address is an officer at all
/// is the caller's business; a mail that is not vouched for is treated as an ordinary client
/// message and flagged by the caller.

#include <string>
#include <string_view>
#include <vector>

#include "mail/message.hpp"

namespace mailgate::mail {

struct SenderAuthSettings {
  /// authserv-ids of the organisation's MTAs that add Authentication-Results, e.g.
  /// "mx.lenobl.ru" (compared case-insensitively). Deployment requirement: such an MTA adds its
  /// Authentication-Results to every message it accepts (or removes foreign ones carrying its
  /// id, RFC 8601 section 5), so that the topmost one with its id is its own.
  std::vector<std::string> authserv_ids;
  /// Our own MTAs whose Received fields are believed: every host from the one that delivers
  /// into the mailbox down to the submission server. Host names are matched against the `by`
  /// part (case-insensitive, trailing dot ignored); IP addresses (with or without brackets or
  /// "IPv6:") against the IP literals the receiving host recorded. List both the name and every
  /// address under which a relay appears in the next host's Received field (127.0.0.1 too if a
  /// content filter hands mail back over loopback; never list a host that accepts
  /// unauthenticated local submission).
  std::vector<std::string> trusted_relays;
  /// The office's MTAs as they name themselves in the `by` part of their Received fields
  /// (host names, case-insensitive). Authentication-Results are believed only ABOVE the first
  /// Received field the office's MTA wrote (where the mail entered the office): one below it
  /// was written before our MTA saw the mail, i.e. by the sender. Empty: the authserv_ids.
  std::vector<std::string> mta_hosts = {};
  /// The key of the tokens in our staff mail's Message-IDs (mail/alert_token.hpp); empty: no
  /// tokens, and an officer's command needs a trusted DKIM pass.
  std::string token_key = {};
};

struct SenderAuthVerdict {
  bool vouched = false;
  /// Short English for the log and the audit trail, e.g.
  /// "dkim=pass header.d=lenobl.ru by mx.lenobl.ru",
  /// "topmost Authentication-Results from mx.lenobl.ru says dkim=fail",
  /// "received by trusted relay mail.lenobl.ru with ESMTPSA".
  std::string reason;
};

/// Vouched when all of these hold:
/// 1. Identity: exactly one From field with exactly one address, equal to claimed_address
///    (ASCII case-insensitive); no Sender field, or exactly one naming the same address (mail
///    sent "on behalf of" an officer is not the officer's command). The officer's domain is the
///    part of claimed_address after the last '@'.
/// 2. Either of
///    a. Authentication-Results: the topmost field whose authserv-id is in authserv_ids (fields
///       with other ids, without an id, or below it are ignored; ARC-Authentication-Results is
///       a different field) has at least one of
///       - dkim=pass with header.d equal to the officer's domain, or with header.i whose domain
///         equals it (the signer vouching for that subdomain); a signature of a parent domain
///         alone does not count (exact match only);
///       - spf=pass with the domain of smtp.mailfrom equal to the officer's domain (smtp.helo
///         only when smtp.mailfrom is absent or null);
///       - dmarc=pass with header.from equal to the officer's domain (the domain owner's
///         policy decides alignment).
///       A failing result does not veto a passing one in the same field ("dkim=fail spf=pass"
///       for the domain is vouched). Comments, quoted strings, "method/version", "none" and
///       case-insensitive keywords are understood. Domains are compared as ASCII
///       (an IDN From in U-labels does not match A-labels: not vouched).
///    b. Received chain: walking Received fields top-down, a field is believed while its `by`
///       host is a trusted relay and, for every field below the topmost, the field above it
///       was believed and recorded a hand-over from a trusted relay: every IP literal in that
///       field (outside its date) is a trusted relay, or, when it recorded no IP at all
///       (a local socket), the name after `from` is one. The first believed field whose `with`
///       is an authenticated submission (RFC 3848/6531: ESMTPA, ESMTPSA, LMTPA, LMTPSA,
///       UTF8SMTPA, UTF8SMTPSA, UTF8LMTPA, UTF8LMTPSA) vouches. Being relayed by a trusted host
///       alone does not (our MX relays everyone's mail), nor does a HELO name, nor Exchange's
///       "with mapi". The topmost Received is assumed to be added by our final MTA.
///    a is checked first; either suffices. The vouching is organisation-level: it proves the
///    organisation's servers sent it, not which of its users did.
///    Authentication-Results count only above the first Received field written by the office's
///    MTA (SenderAuthSettings::mta_hosts): walking Received top-down, the topmost must be by one
///    of those hosts, and the walk continues down while the field above recorded a hand-over
///    from a trusted relay and this one is by one of ours; the last field reached is where the
///    mail entered. No such Received at all: no Authentication-Results are believed.
SenderAuthVerdict vouch_for_sender(const Message& m, std::string_view claimed_address,
                                   const SenderAuthSettings& s);

/// The second factor's other way (issue 12 item 7): the identity check of vouch_for_sender,
/// then the topmost believed Authentication-Results (as in 2a, above the office's first
/// Received) has dkim=pass for the officer's domain (header.d, or header.i in it). SPF, DMARC
/// and the Received chain do not count here: they vouch for the organisation's servers only.
SenderAuthVerdict trusted_dkim_pass(const Message& m, std::string_view claimed_address,
                                    const SenderAuthSettings& s);

}  // namespace mailgate::mail
