#include "mail/rfc2047.hpp"

#include "mail/charset.hpp"
#include "mail/transfer_encoding.hpp"

namespace mailgate::mail {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_charset_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return u > 32 && u < 127 && c != '?' && c != '(' && c != ')' && c != '<' && c != '>' &&
         c != '"' && c != ',' && c != ';' && c != '=';
}

bool is_wsp(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

struct Token {
  bool word = false;
  std::string bytes;    // raw text, or the decoded bytes of an encoded-word
  std::string charset;  // canonical, "" if unknown (encoded-words only)
  std::string label;    // charset as written (encoded-words only)
};

// Finds "?=" at or after `from`, remembering the last answer so that a header full of "=?"
// starts without terminators stays linear.
class TerminatorFinder {
 public:
  explicit TerminatorFinder(std::string_view s) : s_(s) {}
  std::size_t find(std::size_t from) {
    if (searched_ && from >= from_ && (found_ == std::string_view::npos || found_ >= from)) {
      return found_;
    }
    searched_ = true;
    from_ = from;
    found_ = s_.find("?=", from);
    return found_;
  }

 private:
  std::string_view s_;
  bool searched_ = false;
  std::size_t from_ = 0;
  std::size_t found_ = std::string_view::npos;
};

// Tries to read an encoded-word at `p` (which points at "=?"). On success fills `tok` and
// returns the position after "?=".
std::size_t read_word(std::string_view s, std::size_t p, TerminatorFinder& term, Token& tok) {
  std::size_t i = p + 2;
  std::size_t cs_begin = i;
  while (i < s.size() && i - cs_begin <= 80 && is_charset_char(s[i])) ++i;
  if (i >= s.size() || s[i] != '?' || i - cs_begin > 80) return 0;
  std::string_view label = s.substr(cs_begin, i - cs_begin);
  if (i + 2 >= s.size() || s[i + 2] != '?') return 0;
  char enc = s[i + 1];
  if (enc != 'B' && enc != 'b' && enc != 'Q' && enc != 'q') return 0;
  std::size_t text_begin = i + 3;
  std::size_t end = term.find(text_begin);
  if (end == std::string_view::npos) return 0;
  std::string_view text = s.substr(text_begin, end - text_begin);
  // A word never spans a line; a "?=" far away belongs to something else.
  if (text.find_first_of("\r\n") != std::string_view::npos) return 0;
  tok.word = true;
  tok.label = std::string(label);
  tok.charset = canonical_charset(label);
  if (enc == 'B' || enc == 'b') {
    tok.bytes = decode_base64(text);
  } else {
    tok.bytes = decode_q(text);
  }
  return end + 2;
}

}  // namespace

std::string decode_q(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '_') {
      out.push_back(' ');
    } else if (c == '=' && i + 2 < in.size() && hex_value(in[i + 1]) >= 0 &&
               hex_value(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string decode_header_text(std::string_view raw, std::vector<std::string>* defects,
                               std::string_view what, std::string_view hint) {
  std::vector<Token> tokens;
  TerminatorFinder term(raw);
  std::size_t pos = 0;
  std::size_t text_start = 0;
  auto flush_text = [&](std::size_t end) {
    if (end > text_start) {
      Token t;
      t.bytes = std::string(raw.substr(text_start, end - text_start));
      tokens.push_back(std::move(t));
    }
  };
  while (pos < raw.size()) {
    std::size_t p = raw.find("=?", pos);
    if (p == std::string_view::npos) break;
    Token tok;
    std::size_t next = read_word(raw, p, term, tok);
    if (next == 0) {
      pos = p + 1;
      continue;
    }
    flush_text(p);
    tokens.push_back(std::move(tok));
    pos = next;
    text_start = next;
  }
  flush_text(raw.size());

  // Raw 8-bit text outside words: one charset for the whole header.
  std::string raw_text;
  bool any_8bit = false;
  for (const Token& t : tokens) {
    if (!t.word) {
      raw_text += t.bytes;
      if (!any_8bit && !is_ascii(t.bytes)) any_8bit = true;
    }
  }
  std::string raw_charset;
  if (any_8bit) {
    raw_charset = detect_charset(raw_text, hint);
    if (raw_charset != "UTF-8" && defects != nullptr) {
      std::string d(what);
      if (!d.empty()) d += ": ";
      defects->push_back(d + "raw 8-bit header text, read as " + raw_charset);
    }
  }

  std::string out;
  out.reserve(raw.size());
  std::size_t i = 0;
  while (i < tokens.size()) {
    const Token& t = tokens[i];
    if (!t.word) {
      // White space alone between two encoded-words is dropped.
      bool only_ws = true;
      for (char c : t.bytes) {
        if (!is_wsp(c)) {
          only_ws = false;
          break;
        }
      }
      bool between_words =
          i > 0 && i + 1 < tokens.size() && tokens[i - 1].word && tokens[i + 1].word;
      if (!(only_ws && between_words)) {
        out += any_8bit ? to_utf8(t.bytes, raw_charset) : t.bytes;
      }
      ++i;
      continue;
    }
    // Join the bytes of adjacent words (possibly separated by white space) of one charset.
    std::string bytes = t.bytes;
    std::size_t j = i + 1;
    while (true) {
      std::size_t k = j;
      if (k < tokens.size() && !tokens[k].word) {
        bool only_ws = true;
        for (char c : tokens[k].bytes) {
          if (!is_wsp(c)) {
            only_ws = false;
            break;
          }
        }
        if (!only_ws) break;
        ++k;
      }
      if (k < tokens.size() && tokens[k].word && tokens[k].charset == t.charset) {
        bytes += tokens[k].bytes;
        j = k + 1;
      } else {
        break;
      }
    }
    out += to_utf8(bytes, t.charset.empty() ? t.label : t.charset, defects, what, hint);
    i = j;
  }
  return out;
}

}  // namespace mailgate::mail
