#pragma once
// What the sandbox's SMTP sink received (SINK_DIR/N.eml + N.json), parsed, and a way to
// deliver message texts to the work INBOX.

#include <string>
#include <vector>

#include "harness.hpp"
#include "mail/message.hpp"

namespace mailgate::test {

struct Sent {
  std::string from;             ///< envelope MAIL FROM
  std::vector<std::string> to;  ///< envelope RCPT TO
  std::string message_id;
  mail::Message mail;  ///< parsed
  std::string raw;
};

/// Everything the sink stored, in order.
std::vector<Sent> sink(const Sandbox& sb);
/// Those sent to `address`.
std::vector<Sent> sent_to(const std::vector<Sent>& all, const std::string& address);
/// Delivers message texts (CRLF) to the work INBOX, in order.
void deliver_texts(Sandbox& sb, const std::vector<std::string>& messages);
/// A header field of a sent message, or "".
std::string header(const Sent& s, const std::string& name);

/// What the office's MTA writes on top of a letter whose sender's domain passed DKIM: its
/// Authentication-Results above the Received it added on accepting the mail (only results
/// above that Received are trusted, issue 12). The letter's own header fields follow.
std::string mta_pass(const Sandbox& sb, const std::string& dkim_domain);

}  // namespace mailgate::test
