#pragma once
/// Composing outgoing mail (acknowledgements, answers, forwards to officers) as RFC 5322 bytes.
///
/// Whatever the values hold, they cannot add a header line or break the MIME structure:
/// header text is cleaned (control characters, CR and LF become spaces) and written plain or
/// as RFC 2047 encoded-words, addresses and message ids are checked against their grammar,
/// and MIME boundaries are random and checked against the content.

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "mail/message.hpp"

namespace mailgate::mail {

struct OutgoingAttachment {
  std::string filename;      ///< UTF-8; may be empty (no file name)
  std::string content_type;  ///< "type/subtype"; anything not of that form is sent as
                             ///< application/octet-stream
  std::string bytes;
};

struct OutgoingMail {
  Address from;
  std::vector<Address> to;  ///< at least one
  std::optional<Address> reply_to;
  std::string subject;
  /// The text/plain body: UTF-8 (invalid bytes become U+FFFD), any line ends (sent as CRLF),
  /// a final line break added if missing.
  std::string text;
  std::string html;                        ///< empty: text/plain only; else multipart/alternative
  std::string message_id;                  ///< "<...>", from make_message_id; required
  std::optional<std::string> in_reply_to;  ///< dropped when not one well-formed "<...>" id
  std::vector<std::string> references;     ///< ill-formed ids are dropped
  /// "auto-replied", "auto-generated" or "" (no Auto-Submitted field).
  std::string auto_submitted;
  /// Further fields, e.g. the loop header. Names: printable ASCII without ':', not a field
  /// compose writes itself. Values are unstructured text (encoded when not plain ASCII).
  std::vector<HeaderField> extra_headers;
  /// content_type "message/rfc822": the bytes are attached as they are (7bit or 8bit), which
  /// needs CRLF line ends, no NUL and lines of at most 998 bytes; bytes that break those rules
  /// go as application/octet-stream in base64 instead. Everything else goes in base64.
  std::vector<OutgoingAttachment> attachments;
  std::chrono::system_clock::time_point date;
  /// The zone of the Date field: +03:00 for Moscow. Whole minutes, within ±23:59.
  std::chrono::minutes utc_offset{0};
};

/// A value compose refuses to write: an invalid address, an unusable message id, a bad extra
/// field name, no recipients. Never thrown for text it can clean or encode.
class ComposeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The message as RFC 5322 bytes with CRLF line ends, ready for SMTP DATA: UTF-8 throughout,
/// Subject and display names RFC 2047-encoded when not plain ASCII, header lines folded to at
/// most 76 characters (a single address or message id longer than that keeps its line),
/// bodies quoted-printable or base64 (whichever is shorter), lines at most 76 characters.
/// Throws ComposeError.
std::string compose(const OutgoingMail& mail);

/// An addr-spec we are willing to write: mail::deliverable_address (mail/address_rule.hpp),
/// the same rule intake applies to a client's channels.
bool is_valid_addr_spec(std::string_view address);

}  // namespace mailgate::mail
