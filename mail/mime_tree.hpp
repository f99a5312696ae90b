#pragma once
/// The MIME structure of a message: header fields and body byte ranges of every entity.
///
/// Why not mimetic's MimeEntity for this (tried first): its parser
/// matches a boundary anywhere in a line, not only at a line start; it keeps no byte ranges, so
/// the raw bytes of an attached message/rfc822 cannot be recovered; it recurses without a limit
/// (a 6 MB chain of nested message/rfc822 headers overflows the stack); and both its header
/// reader (one line) and its boundary search (Boyer-Moore with the bad-character rule only:
/// boundary length times body length) are quadratic on hostile input. This splitter is one pass
/// over the bytes, keeps string_views into them, and enforces ParseLimits as it goes; mimetic's
/// codecs still decode the bodies (see transfer_encoding.hpp).

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "mail/message.hpp"
#include "mail/rfc2231.hpp"

namespace mailgate::mail {

// HeaderField (mail/message.hpp): here the value is raw bytes, unfolded (CRLF before WSP
// removed, the WSP kept) and trimmed.

struct MimeNode {
  enum class Kind { kLeaf, kMultipart, kMessage };
  Kind kind = Kind::kLeaf;
  std::vector<HeaderField> header;
  ParamHeader content_type;  ///< value is "type/subtype", lower-case, defaulted
  bool content_type_declared = false;
  /// Leaf: the raw (transfer-encoded) body. kMessage: the enclosed message's bytes as written
  /// (after transfer decoding if the part was, against RFC 2046, base64/QP encoded).
  std::string_view body;
  std::vector<std::size_t> children;  ///< indexes into MimeTree::nodes, in document order
  std::size_t parent = static_cast<std::size_t>(-1);
  std::size_t depth = 0;

  /// First field of that name (case-insensitive), or nullptr.
  const std::string* field(std::string_view name) const;
};

struct ParseLimits;

struct MimeTree {
  std::vector<MimeNode> nodes;  ///< nodes[0] is the message itself
  std::vector<std::string> defects;
  /// Owns decoded bytes of message/rfc822 parts that were transfer-encoded.
  std::deque<std::string> arena;
};

/// Splits `raw` (BOM and mbox "From " line already removed) into entities. Never throws for
/// bad input; over a limit it truncates and records a defect.
/// header_only: read the top-level header and nothing else (the body is left empty).
MimeTree build_mime_tree(std::string_view raw, const ParseLimits& limits, bool header_only = false);

}  // namespace mailgate::mail
