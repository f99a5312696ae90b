#pragma once
/// Content-Transfer-Encoding for outgoing bodies (the decoders are in transfer_encoding.hpp).
/// Both encoders emit CRLF line ends and lines of at most 76 characters (RFC 2045).

#include <string>
#include <string_view>

namespace mailgate::mail {

/// Base64 in lines of 76 characters, each ending in CRLF (also the last one).
std::string encode_base64_lines(std::string_view bytes);

/// Quoted-printable of text whose line breaks are CRLF (hard breaks stay CRLF). '=', controls,
/// 8-bit bytes, white space before a line break, a "." alone at the start of a line and "From "
/// at the start of a line are encoded; longer lines get soft breaks. The output ends in CRLF
/// when the input does.
std::string encode_quoted_printable(std::string_view crlf_text);

/// Line breaks ("\r\n", lone "\r", lone "\n") made CRLF.
std::string to_crlf(std::string_view text);

}  // namespace mailgate::mail
