#include "base/text.hpp"

#include <cctype>
#include <utility>

namespace mailgate::base {

std::size_t space_at(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0u; };
  unsigned c = byte(i);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r') return 1;
  if (c == 0xC2 && byte(i + 1) == 0xA0) return 2;                         // NBSP
  if (c == 0xEF && byte(i + 1) == 0xBB && byte(i + 2) == 0xBF) return 3;  // BOM
  if (c == 0xE2 && byte(i + 1) == 0x80 && (byte(i + 2) <= 0x8B || byte(i + 2) == 0xAF) &&
      byte(i + 2) >= 0x80) {
    return 3;
  }
  if (c == 0xE2 && byte(i + 1) == 0x81 && byte(i + 2) == 0x9F) return 3;
  if (c == 0xE3 && byte(i + 1) == 0x80 && byte(i + 2) == 0x80) return 3;
  return 0;
}

std::string_view ltrim(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t n = space_at(s, i);
    if (n == 0) break;
    i += n;
  }
  return s.substr(i);
}

std::string_view rtrim(std::string_view s) {
  for (;;) {
    if (s.empty()) return s;
    bool cut = false;
    // A space character is one to three bytes long; try each ending.
    for (std::size_t n : {1u, 2u, 3u}) {
      if (s.size() >= n && space_at(s, s.size() - n) == n) {
        s.remove_suffix(n);
        cut = true;
        break;
      }
    }
    if (!cut) return s;
  }
}

std::string_view trim(std::string_view s) { return rtrim(ltrim(s)); }

bool is_blank(std::string_view s) { return trim(s).empty(); }

std::string lower_ru(std::string_view s) {
  std::string out(s);
  auto continuation = [&](std::size_t k) {
    return k < out.size() && (static_cast<unsigned char>(out[k]) & 0xC0) == 0x80;
  };
  for (std::size_t i = 0; i < out.size();) {
    auto c = static_cast<unsigned char>(out[i]);
    if (c < 0x80) {
      out[i++] = static_cast<char>(std::tolower(c));
      continue;
    }
    if (c == 0xD0 && continuation(i + 1)) {
      auto d = static_cast<unsigned char>(out[i + 1]);
      if (d >= 0x90 && d <= 0x9F) {  // А-П → а-п
        out[i + 1] = static_cast<char>(d + 0x20);
      } else if (d >= 0xA0 && d <= 0xAF) {  // Р-Я → р-я (D1 80-8F)
        out[i] = static_cast<char>(0xD1);
        out[i + 1] = static_cast<char>(d - 0x20);
      } else if (d == 0x81) {  // Ё → ё
        out[i] = static_cast<char>(0xD1);
        out[i + 1] = static_cast<char>(0x91);
      }
    }
    // Step over the whole character: a lead byte and the continuation bytes it announces
    // (a dash or "…" is three bytes), never past a byte that does not continue it, so a
    // stray byte costs only itself.
    std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    std::size_t end = i + 1;
    while (end < i + length && continuation(end)) ++end;
    i = end;
  }
  return out;
}

std::string fold_phrase(std::string_view s) {
  std::string lower = lower_ru(s);
  std::string out;
  out.reserve(lower.size());
  bool space = false;
  for (std::size_t i = 0; i < lower.size();) {
    if (std::size_t n = space_at(lower, i); n != 0) {
      space = true;
      i += n;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    if (lower.compare(i, 2, "ё") == 0) {
      out += "е";
      i += 2;
      continue;
    }
    out += lower[i++];
  }
  return out;
}

bool starts_upper(std::string_view s) {
  if (s.empty()) return false;
  auto c = static_cast<unsigned char>(s[0]);
  if (c >= 'A' && c <= 'Z') return true;
  if (s.size() < 2 || c != 0xD0) return false;
  auto d = static_cast<unsigned char>(s[1]);
  return (d >= 0x90 && d <= 0xAF) || d == 0x81;  // А-Я, Ё
}

std::size_t letter_at(std::string_view s, std::size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return 1;
  if ((c == 0xD0 || c == 0xD1) && i + 1 < s.size()) return 2;
  return 0;
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::string cur;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r' || c == '\n') {
      lines.push_back(std::move(cur));
      cur.clear();
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      continue;
    }
    cur += c;
  }
  lines.push_back(std::move(cur));
  return lines;
}

}  // namespace mailgate::base
