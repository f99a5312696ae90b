#pragma once
/// Content-Transfer-Encoding: recognising the header as senders really write it, and decoding
/// bodies. Both decoders are linear, never throw and accept what mail clients accept (base64
/// with line breaks, junk characters and missing or mid-stream padding; quoted-printable with
/// lower-case hex, stray '=' and trailing white space).

#include <string>
#include <string_view>

namespace mailgate::mail {

enum class TransferEncoding { kIdentity, kBase64, kQuotedPrintable, kUuencode, kUnknown };

/// Reads a Content-Transfer-Encoding value: case, quotes, white space and trailing junk
/// ("Base64 ", "quoted-printable;") are tolerated. 7bit, 8bit, binary and absent are identity;
/// x-uuencode (old Netscape and Eudora attachments) is decoded too.
TransferEncoding parse_transfer_encoding(std::string_view value);

std::string decode_base64(std::string_view in);
std::string decode_quoted_printable(std::string_view in);
/// uuencode: the lines between "begin NNN name" and "end" (all lines if there is no "begin").
std::string decode_uuencode(std::string_view in);

/// Decodes `body` per `te`; kIdentity and kUnknown return the bytes unchanged.
std::string decode_transfer(std::string_view body, TransferEncoding te);

}  // namespace mailgate::mail
