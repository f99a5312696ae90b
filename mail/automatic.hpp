#pragma once
/// Loop safety: is an incoming message one we must never answer automatically?
/// (docs: DESIGN.md "Loop safety"; RFC 3834.) Pure: reads the parsed header fields only.

#include <string>
#include <vector>

#include "mail/message.hpp"

namespace mailgate::mail {

enum class Automatic { none, auto_reply, bounce, mailing_list, no_reply, own_mail };

struct AutomaticVerdict {
  Automatic kind = Automatic::none;
  std::string reason;  ///< short English, e.g. "Auto-Submitted: auto-replied"; empty for none
};

struct LoopSettings {
  /// Domains our outgoing Message-IDs use (compared case-insensitively).
  std::vector<std::string> own_domains;
  /// The field our outgoing mail carries; its presence alone marks our own mail.
  std::string loop_header = "X-Mailgate-Loop";
  /// Substrings of a local part (case-insensitive) that mark an address nobody reads.
  std::vector<std::string> no_reply_patterns{
      "noreply",      "no-reply",     "no_reply",     "no.reply",  "donotreply",
      "do-not-reply", "do_not_reply", "do.not.reply", "dontreply", "dont-reply"};
};

/// The first signal found, checked in this order:
/// - own_mail: a Message-ID made by make_message_id for one of own_domains (not merely any id
///   in that domain: clients may share the office's domain), or the loop header is present;
/// - bounce: top Content-Type multipart/report with report-type=delivery-status, a null
///   sender (Return-Path: <>, no From or an empty From address), a From local part
///   mailer-daemon or postmaster, or X-Failed-Recipients;
/// - auto_reply: Auto-Submitted other than "no" (case-insensitive, parameters ignored),
///   X-Autoreply, X-Autorespond, Precedence: auto_reply;
/// - mailing_list: any List-* field (List-Id, List-Unsubscribe, List-Post, ...), Precedence
///   bulk, list or junk;
/// - no_reply: the address an answer would go to (the first Reply-To, else From) has a local
///   part containing one of no_reply_patterns. A web form's "From: noreply@..." with the
///   citizen's Reply-To is answerable, so it is not flagged.
AutomaticVerdict classify_automatic(const Message& message, const LoopSettings& settings);

/// X-Auto-Response-Suppress names All, OOF or AutoReply: the sender asks for no automatic
/// reply. A person's own letter may carry it (Outlook, Exchange rules), so it stops only the
/// acknowledgement, not the case or the staff alerts (issue 12, item 11).
bool suppresses_auto_response(const Message& message);

/// "none", "auto_reply", "bounce", "mailing_list", "no_reply", "own_mail".
const char* to_string(Automatic kind);

}  // namespace mailgate::mail
