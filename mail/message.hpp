#pragma once
/// The parsed form of one RFC 5322 message: plain values, every string UTF-8.
/// mail/ produces it; storage/, rules/ and the daemon consume it. Nothing here knows about
/// cases, mailboxes or the database.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailgate::mail {

struct Address {
  std::string name;     ///< decoded display name, may be empty
  std::string address;  ///< addr-spec as written ("local@domain"), may be empty for groups
  bool operator==(const Address&) const = default;
};

struct Attachment {
  std::string filename;      ///< decoded (RFC 2047 / RFC 2231), may be empty
  std::string content_type;  ///< lower-case "type/subtype"
  std::size_t size = 0;      ///< bytes after transfer decoding
  std::string sha256;        ///< lower-case hex of the decoded bytes
  bool nested = false;       ///< lives inside an attached message/rfc822
};

/// One top-level header field: name as written, value unfolded and trimmed, made valid UTF-8
/// (not RFC 2047-decoded). Loop safety and sender authentication read these.
struct HeaderField {
  std::string name;
  std::string value;
};

struct Message {
  /// Every top-level header field in order (capped like the header block itself).
  std::vector<HeaderField> header;
  /// Larger than ParseLimits::max_message_bytes: only the header was read; no text, no
  /// attachments. Registered with status "oversized".
  bool oversized = false;
  std::string message_id;  ///< as written, with angle brackets; empty if absent
  std::optional<Address> from;
  std::vector<Address> to;
  std::vector<Address> cc;
  std::vector<Address> reply_to;
  std::optional<std::string> date;  ///< ISO 8601 with offset, e.g. 2026-03-25T17:19:02+03:00
  std::string subject;
  std::optional<std::string> in_reply_to;
  std::vector<std::string> references;
  std::optional<std::string> auto_submitted;
  std::string text;       ///< the body as a person reads it (text/plain, else text of text/html)
  std::string text_type;  ///< the part the text came from: "text/plain", "text/html" or ""
  std::vector<Attachment> attachments;
  /// Things the parser had to guess or repair (undeclared charset, bad encoded-word, ...).
  /// Kept so an officer can see why a message looks odd; never fatal.
  std::vector<std::string> defects;

  /// First top-level field of that name (case-insensitive), or nullptr.
  const std::string* field(std::string_view name) const;
};

}  // namespace mailgate::mail
