#include "mail/header_encode.hpp"

#include "mail/charset.hpp"

namespace mailgate::mail {
namespace {

constexpr std::string_view kWordPrefix = "=?utf-8?B?";
constexpr std::string_view kWordSuffix = "?=";
constexpr std::size_t kWordOverhead = kWordPrefix.size() + kWordSuffix.size();  // 12
constexpr std::size_t kMaxWord = 75;  // RFC 2047 section 2
/// The longest plain word we fold around; a longer one makes the text encoded instead.
constexpr std::size_t kMaxPlainWord = 60;

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16 |
                 static_cast<unsigned char>(bytes[i + 1]) << 8 |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

/// Length of the longest prefix of `s` of at most `max_bytes` bytes that ends on a character
/// boundary (at least one whole character when max_bytes >= 4).
std::size_t char_prefix(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s.size();
  std::size_t n = max_bytes;
  while (n > 0 && is_continuation(s[n])) --n;
  return n;
}

std::string make_word(std::string_view chunk) {
  std::string w(kWordPrefix);
  w += base64(chunk);
  w += kWordSuffix;
  return w;
}

/// Text bytes a word of `columns` characters can hold (base64: 3 bytes per 4 characters).
std::size_t word_capacity(std::size_t columns) {
  if (columns > kMaxWord) columns = kMaxWord;
  if (columns <= kWordOverhead) return 0;
  return (columns - kWordOverhead) / 4 * 3;
}

}  // namespace

std::string clean_header_text(std::string_view text) {
  std::string s = is_valid_utf8(text) ? std::string(text) : sanitize_utf8(text);
  for (char& c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) c = ' ';
  }
  return s;
}

bool is_plain_header_text(std::string_view text) {
  if (text.empty()) return true;
  if (text.front() == ' ' || text.back() == ' ') return false;
  if (text.find("=?") != std::string_view::npos) return false;
  if (text.find("  ") != std::string_view::npos) return false;
  std::size_t word = 0;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7E) return false;
    word = c == ' ' ? 0 : word + 1;
    if (word > kMaxPlainWord) return false;
  }
  return true;
}

std::vector<std::string> b_encoded_words(std::string_view utf8, std::size_t max_bytes) {
  std::vector<std::string> words;
  if (max_bytes < 4) max_bytes = 4;
  while (!utf8.empty()) {
    std::size_t n = char_prefix(utf8, max_bytes);
    if (n == 0) n = 1;  // cannot happen with valid UTF-8 and max_bytes >= 4
    words.push_back(make_word(utf8.substr(0, n)));
    utf8.remove_prefix(n);
  }
  return words;
}

FieldWriter::FieldWriter(std::string& out, std::string_view name) : out_(out) {
  out_.append(name);
  out_.push_back(':');
  col_ = name.size() + 1;
}

void FieldWriter::fold_or_space(std::size_t width) {
  if (!bare_ && col_ + 1 + width > kLineLimit) {
    out_ += "\r\n ";
    col_ = 1;
  } else {
    out_.push_back(' ');
    ++col_;
  }
  bare_ = false;
}

void FieldWriter::token(std::string_view t) {
  fold_or_space(t.size());
  out_.append(t);
  col_ += t.size();
}

void FieldWriter::glue(std::string_view t) {
  out_.append(t);
  col_ += t.size();
  bare_ = false;
}

void FieldWriter::encoded_words(std::string_view utf8) {
  while (!utf8.empty()) {
    // Fill the current line if a word with at least one 4-byte character fits, else fold.
    std::size_t room = col_ + 1 < kLineLimit ? kLineLimit - col_ - 1 : 0;
    if (word_capacity(room) < 6 && !bare_) room = kLineLimit - 1;
    std::size_t capacity = word_capacity(room);
    if (capacity < 6) capacity = 6;  // a very long field name: the line runs long once
    std::size_t n = char_prefix(utf8, capacity);
    if (n == 0) n = 1;
    std::string word = make_word(utf8.substr(0, n));
    token(word);
    utf8.remove_prefix(n);
  }
}

void FieldWriter::text(std::string_view cleaned) {
  if (!is_plain_header_text(cleaned)) {
    encoded_words(cleaned);
    return;
  }
  std::size_t pos = 0;
  while (pos < cleaned.size()) {
    std::size_t sp = cleaned.find(' ', pos);
    if (sp == std::string_view::npos) sp = cleaned.size();
    token(cleaned.substr(pos, sp - pos));
    pos = sp + 1;
  }
}

void FieldWriter::end() { out_ += "\r\n"; }

}  // namespace mailgate::mail
