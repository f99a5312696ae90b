#include "mail/transfer_encoding.hpp"

#include <mimetic/codec/base64.h>
#include <mimetic/codec/code.h>
#include <mimetic/codec/qp.h>

#include <iterator>

namespace mailgate::mail {
namespace {

bool contains_ci(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    std::size_t k = 0;
    while (k < needle.size()) {
      char c = hay[i + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != needle[k]) break;
      ++k;
    }
    if (k == needle.size()) return true;
  }
  return false;
}

}  // namespace

TransferEncoding parse_transfer_encoding(std::string_view value) {
  // Only the first 64 bytes matter; a longer value is junk anyway and must not cost time.
  std::string_view v = value.substr(0, 64);
  std::size_t b = v.find_first_not_of(" \t\r\n\"'");
  if (b == std::string_view::npos) return TransferEncoding::kIdentity;
  v = v.substr(b);
  if (contains_ci(v, "base64")) return TransferEncoding::kBase64;
  if (contains_ci(v, "quoted-printable") || contains_ci(v, "quoted_printable")) {
    return TransferEncoding::kQuotedPrintable;
  }
  if (contains_ci(v, "7bit") || contains_ci(v, "8bit") || contains_ci(v, "binary") ||
      contains_ci(v, "7-bit") || contains_ci(v, "8-bit")) {
    return TransferEncoding::kIdentity;
  }
  return TransferEncoding::kUnknown;
}

std::string decode_base64(std::string_view in) {
  std::string out;
  out.reserve(in.size() / 4 * 3 + 3);
  mimetic::Base64::Decoder decoder;
  mimetic::decode(in.begin(), in.end(), decoder, std::back_inserter(out));
  return out;
}

std::string decode_quoted_printable(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  mimetic::QP::Decoder decoder;
  mimetic::decode(in.begin(), in.end(), decoder, std::back_inserter(out));
  return out;
}

std::string decode_transfer(std::string_view body, TransferEncoding te) {
  switch (te) {
    case TransferEncoding::kBase64:
      return decode_base64(body);
    case TransferEncoding::kQuotedPrintable:
      return decode_quoted_printable(body);
    case TransferEncoding::kIdentity:
    case TransferEncoding::kUnknown:
      break;
  }
  return std::string(body);
}

}  // namespace mailgate::mail
