#include "mail/transfer_encoding.hpp"

#include <mimetic/codec/code.h>
#include <mimetic/codec/qp.h>

#include <array>
#include <cstdint>
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
  if (contains_ci(v, "quoted-printable") || contains_ci(v, "quoted_printable") ||
      contains_ci(v, "quoted printable")) {
    return TransferEncoding::kQuotedPrintable;
  }
  if (contains_ci(v, "uue")) {  // x-uuencode, uuencode, x-uue
    return TransferEncoding::kUuencode;
  }
  if (contains_ci(v, "7bit") || contains_ci(v, "8bit") || contains_ci(v, "binary") ||
      contains_ci(v, "7-bit") || contains_ci(v, "8-bit")) {
    return TransferEncoding::kIdentity;
  }
  return TransferEncoding::kUnknown;
}

// Our own base64 loop (same leniency as mimetic::Base64::Decoder: characters outside the
// alphabet are skipped, '=' ends a quantum, so concatenated padded chunks decode) writing into
// a preallocated buffer: attachments are mostly base64 and this is the hot path.
std::string decode_base64(std::string_view in) {
  static constexpr auto kTable = [] {
    std::array<signed char, 256> t{};
    for (auto& v : t) v = -1;
    constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
      t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<signed char>(i);
    }
    t[static_cast<unsigned char>('=')] = -2;
    return t;
  }();
  std::string out;
  out.resize(in.size() / 4 * 3 + 3);
  char* o = out.data();
  std::uint32_t acc = 0;
  int n = 0;
  for (unsigned char c : in) {
    signed char v = kTable[c];
    if (v >= 0) {
      acc = (acc << 6) | static_cast<std::uint32_t>(v);
      if (++n == 4) {
        *o++ = static_cast<char>(acc >> 16);
        *o++ = static_cast<char>(acc >> 8);
        *o++ = static_cast<char>(acc);
        acc = 0;
        n = 0;
      }
    } else if (v == -2 && n > 0) {
      // Padding: emit the complete bytes of a partial quantum and start over.
      if (n >= 2) *o++ = static_cast<char>(acc >> (6 * n - 8));
      if (n == 3) *o++ = static_cast<char>(acc >> (6 * n - 16));
      acc = 0;
      n = 0;
    }
  }
  // A missing final padding: keep what the last characters hold.
  if (n >= 2) *o++ = static_cast<char>(acc >> (6 * n - 8));
  if (n == 3) *o++ = static_cast<char>(acc >> (6 * n - 16));
  out.resize(static_cast<std::size_t>(o - out.data()));
  return out;
}

std::string decode_quoted_printable(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  mimetic::QP::Decoder decoder;
  mimetic::decode(in.begin(), in.end(), decoder, std::back_inserter(out));
  return out;
}

std::string decode_uuencode(std::string_view in) {
  std::string out;
  out.reserve(in.size() * 3 / 4);
  std::size_t pos = 0;
  // Skip to the "begin" line when there is one.
  for (std::size_t p = 0; p < in.size();) {
    std::size_t e = in.find('\n', p);
    std::string_view line = in.substr(p, (e == std::string_view::npos ? in.size() : e) - p);
    if (line.substr(0, 6) == "begin ") {
      pos = e == std::string_view::npos ? in.size() : e + 1;
      break;
    }
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) break;  // no begin line
    p = e == std::string_view::npos ? in.size() : e + 1;
  }
  auto val = [](char c) { return static_cast<unsigned>((c - ' ') & 0x3F); };
  while (pos < in.size()) {
    std::size_t e = in.find('\n', pos);
    std::string_view line = in.substr(pos, (e == std::string_view::npos ? in.size() : e) - pos);
    pos = e == std::string_view::npos ? in.size() : e + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty()) continue;
    if (line == "end") break;
    std::size_t n = val(line[0]);
    std::size_t i = 1;
    std::size_t produced = 0;
    while (produced < n) {
      unsigned c[4];
      for (int k = 0; k < 4; ++k) {
        c[k] = i + static_cast<std::size_t>(k) < line.size()
                   ? val(line[i + static_cast<std::size_t>(k)])
                   : 0;
      }
      i += 4;
      unsigned char b[3] = {static_cast<unsigned char>((c[0] << 2) | (c[1] >> 4)),
                            static_cast<unsigned char>((c[1] << 4) | (c[2] >> 2)),
                            static_cast<unsigned char>((c[2] << 6) | c[3])};
      for (int k = 0; k < 3 && produced < n; ++k, ++produced) {
        out.push_back(static_cast<char>(b[k]));
      }
    }
  }
  return out;
}

std::string decode_transfer(std::string_view body, TransferEncoding te) {
  switch (te) {
    case TransferEncoding::kBase64:
      return decode_base64(body);
    case TransferEncoding::kQuotedPrintable:
      return decode_quoted_printable(body);
    case TransferEncoding::kUuencode:
      return decode_uuencode(body);
    case TransferEncoding::kIdentity:
    case TransferEncoding::kUnknown:
      break;
  }
  return std::string(body);
}

}  // namespace mailgate::mail
