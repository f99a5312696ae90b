#include "mail/transfer_encode.hpp"

namespace mailgate::mail {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";
constexpr std::size_t kMaxLine = 76;

}  // namespace

std::string encode_base64_lines(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve(bytes.size() / 57 * 78 + 80);
  std::size_t col = 0;
  auto put = [&](char c) {
    out.push_back(c);
    if (++col == kMaxLine) {
      out += "\r\n";
      col = 0;
    }
  };
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    auto a = static_cast<unsigned char>(bytes[i]);
    auto b = static_cast<unsigned char>(bytes[i + 1]);
    auto c = static_cast<unsigned char>(bytes[i + 2]);
    put(kAlphabet[a >> 2]);
    put(kAlphabet[((a & 3) << 4) | (b >> 4)]);
    put(kAlphabet[((b & 15) << 2) | (c >> 6)]);
    put(kAlphabet[c & 63]);
  }
  if (i + 1 == bytes.size()) {
    auto a = static_cast<unsigned char>(bytes[i]);
    put(kAlphabet[a >> 2]);
    put(kAlphabet[(a & 3) << 4]);
    put('=');
    put('=');
  } else if (i + 2 == bytes.size()) {
    auto a = static_cast<unsigned char>(bytes[i]);
    auto b = static_cast<unsigned char>(bytes[i + 1]);
    put(kAlphabet[a >> 2]);
    put(kAlphabet[((a & 3) << 4) | (b >> 4)]);
    put(kAlphabet[(b & 15) << 2]);
    put('=');
  }
  if (col != 0) out += "\r\n";
  return out;
}

std::string encode_quoted_printable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t eol = text.find("\r\n", pos);
    bool hard_break = eol != std::string_view::npos;
    std::string_view line = text.substr(pos, hard_break ? eol - pos : std::string_view::npos);
    if (!hard_break && line.empty()) break;  // the text ended with CRLF
    std::size_t col = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      auto c = static_cast<unsigned char>(line[i]);
      bool last = i + 1 == line.size();
      bool plain = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last);
      // Mail transports have been known to mangle these at the start of a line.
      if (i == 0 && c == '.') plain = false;
      if (i == 0 && line.substr(0, 5) == "From ") plain = false;
      std::size_t width = plain ? 1 : 3;
      // Keep room for the soft break '=' unless this is the line's last character.
      std::size_t limit = last ? kMaxLine : kMaxLine - 1;
      if (col + width > limit) {
        out += "=\r\n";
        col = 0;
      }
      if (plain) {
        out.push_back(static_cast<char>(c));
      } else {
        out.push_back('=');
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
      }
      col += width;
    }
    if (!hard_break) break;
    out += "\r\n";
    pos = eol + 2;
  }
  return out;
}

std::string to_crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace mailgate::mail
