#include "base/terminal_text.hpp"

#include <cstdio>

#include "base/utf8.hpp"

namespace mailgate::base {
namespace {

void hex_byte(std::string& out, unsigned char b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(b));
  out += buf;
}

void code_point(std::string& out, char32_t cp) {
  char buf[12];
  std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
  out += buf;
}

// Characters that change how the terminal lays out or orders the text without showing
// themselves: C1 controls, bidirectional marks, embeddings, overrides and isolates,
// zero-width characters, line and paragraph separators, the byte order mark.
bool invisible_format(char32_t cp) {
  return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x115f || cp == 0x1160 ||
         cp == 0x180e || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
         (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb);
}

std::string escape(std::string_view text, bool lines) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const auto b = static_cast<unsigned char>(text[pos]);
    if (b < 0x80) {
      ++pos;
      const bool kept = lines && (b == '\n' || b == '\t');
      // The \r of a CRLF line end in text: the \n that follows breaks the line.
      const bool crlf = lines && b == '\r' && pos < text.size() && text[pos] == '\n';
      if (crlf) continue;
      if (kept || (b >= 0x20 && b != 0x7f)) {
        out += static_cast<char>(b);
      } else if (b == '\n') {
        out += "\\n";
      } else if (b == '\r') {
        out += "\\r";
      } else if (b == '\t') {
        out += "\\t";
      } else {
        hex_byte(out, b);
      }
      continue;
    }
    std::size_t start = pos;
    char32_t cp = utf8::next(text, pos);
    std::string_view bytes = text.substr(start, pos - start);
    if (cp == 0xFFFD && bytes != "\xEF\xBF\xBD") {
      for (char c : bytes) hex_byte(out, static_cast<unsigned char>(c));
    } else if (invisible_format(cp)) {
      code_point(out, cp);
    } else {
      out += bytes;
    }
  }
  return out;
}

}  // namespace

std::string visible_line(std::string_view text) { return escape(text, false); }

std::string visible_text(std::string_view text) { return escape(text, true); }

}  // namespace mailgate::base
