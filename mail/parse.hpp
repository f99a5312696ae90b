#pragma once
/// Parsing raw message bytes into a Message. Pure: no I/O, no global state.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "mail/message.hpp"

namespace mailgate::mail {

/// Caps on untrusted input, applied while the message is split (mail/mime_tree.cpp), so no
/// input can make parsing quadratic or recurse without bound (see docs/ARCHITECTURE.md).
struct ParseLimits {
  /// A larger message is registered with its header only (Message::oversized).
  std::size_t max_message_bytes = std::size_t{25} * 1024 * 1024;
  std::size_t max_header_bytes = std::size_t{1024} * 1024;
  std::size_t max_line_bytes = std::size_t{1024} * 1024;
  std::size_t max_depth = 50;
  std::size_t max_parts = 2000;
};

/// Thrown when the bytes cannot be understood as a message at all. The caller registers the
/// raw bytes with status `unparsed`.
class ParseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

Message parse_message(std::string_view raw, const ParseLimits& limits = {});

/// The decoded bytes of each attachment parse_message() lists, in the same order (for
/// passing an officer's attachments on to a client).
std::vector<std::string> attachment_bytes(std::string_view raw, const ParseLimits& limits = {});

/// The `mailgate inspect` JSON form of a message (one object, UTF-8, no trailing newline).
std::string to_json(const Message& message);

}  // namespace mailgate::mail
