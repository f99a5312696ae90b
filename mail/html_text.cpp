#include "mail/html_text.hpp"

#include <array>
#include <cstring>
#include <vector>

#include "mail/charset.hpp"

namespace mailgate::mail {
namespace {

struct Entity {
  std::string_view name;
  char32_t cp;
};

// The references that occur in mail (Outlook, Thunderbird, web forms, Russian typography).
constexpr std::array<Entity, 120> kEntities{{
    {"amp", '&'},       {"lt", '<'},       {"gt", '>'},        {"quot", '"'},
    {"apos", '\''},     {"nbsp", 0xA0},    {"ensp", 0x2002},   {"emsp", 0x2003},
    {"thinsp", 0x2009}, {"zwnj", 0x200C},  {"zwj", 0x200D},    {"shy", 0xAD},
    {"ndash", 0x2013},  {"mdash", 0x2014}, {"minus", 0x2212},  {"hellip", 0x2026},
    {"laquo", 0xAB},    {"raquo", 0xBB},   {"lsaquo", 0x2039}, {"rsaquo", 0x203A},
    {"ldquo", 0x201C},  {"rdquo", 0x201D}, {"bdquo", 0x201E},  {"lsquo", 0x2018},
    {"rsquo", 0x2019},  {"sbquo", 0x201A}, {"prime", 0x2032},  {"Prime", 0x2033},
    {"bull", 0x2022},   {"middot", 0xB7},  {"copy", 0xA9},     {"reg", 0xAE},
    {"trade", 0x2122},  {"deg", 0xB0},     {"plusmn", 0xB1},   {"times", 0xD7},
    {"divide", 0xF7},   {"sect", 0xA7},    {"para", 0xB6},     {"numero", 0x2116},
    {"euro", 0x20AC},   {"pound", 0xA3},   {"yen", 0xA5},      {"cent", 0xA2},
    {"curren", 0xA4},   {"iexcl", 0xA1},   {"iquest", 0xBF},   {"brvbar", 0xA6},
    {"uml", 0xA8},      {"ordf", 0xAA},    {"ordm", 0xBA},     {"not", 0xAC},
    {"macr", 0xAF},     {"sup1", 0xB9},    {"sup2", 0xB2},     {"sup3", 0xB3},
    {"acute", 0xB4},    {"micro", 0xB5},   {"cedil", 0xB8},    {"frac14", 0xBC},
    {"frac12", 0xBD},   {"frac34", 0xBE},  {"larr", 0x2190},   {"rarr", 0x2192},
    {"uarr", 0x2191},   {"darr", 0x2193},  {"harr", 0x2194},   {"rArr", 0x21D2},
    {"lArr", 0x21D0},   {"le", 0x2264},    {"ge", 0x2265},     {"ne", 0x2260},
    {"asymp", 0x2248},  {"infin", 0x221E}, {"permil", 0x2030}, {"dagger", 0x2020},
    {"Dagger", 0x2021}, {"loz", 0x25CA},   {"spades", 0x2660}, {"hearts", 0x2665},
    {"Agrave", 0xC0},   {"Aacute", 0xC1},  {"Acirc", 0xC2},    {"Atilde", 0xC3},
    {"Auml", 0xC4},     {"Aring", 0xC5},   {"AElig", 0xC6},    {"Ccedil", 0xC7},
    {"Egrave", 0xC8},   {"Eacute", 0xC9},  {"Ecirc", 0xCA},    {"Euml", 0xCB},
    {"Iacute", 0xCD},   {"Ntilde", 0xD1},  {"Oacute", 0xD3},   {"Ouml", 0xD6},
    {"Oslash", 0xD8},   {"Uacute", 0xDA},  {"Uuml", 0xDC},     {"szlig", 0xDF},
    {"agrave", 0xE0},   {"aacute", 0xE1},  {"acirc", 0xE2},    {"atilde", 0xE3},
    {"auml", 0xE4},     {"aring", 0xE5},   {"aelig", 0xE6},    {"ccedil", 0xE7},
    {"egrave", 0xE8},   {"eacute", 0xE9},  {"ecirc", 0xEA},    {"euml", 0xEB},
    {"iacute", 0xED},   {"ntilde", 0xF1},  {"oacute", 0xF3},   {"ouml", 0xF6},
    {"oslash", 0xF8},   {"uacute", 0xFA},  {"uuml", 0xFC},     {"yuml", 0xFF},
}};

// Names a browser also accepts without the terminating ';'.
constexpr std::array<std::string_view, 7> kLegacyNoSemicolon{"amp",  "lt",   "gt", "quot",
                                                             "nbsp", "copy", "reg"};

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }
bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

bool ieq_prefix(std::string_view s, std::size_t at, std::string_view lower_word) {
  if (at + lower_word.size() > s.size()) return false;
  for (std::size_t k = 0; k < lower_word.size(); ++k) {
    if (lower(s[at + k]) != lower_word[k]) return false;
  }
  return true;
}

// Position of "</name" (case-insensitive) at or after `from`, or npos.
std::size_t scan_close_tag(std::string_view s, std::size_t from, std::string_view name) {
  std::size_t i = from;
  while (i < s.size()) {
    const void* p = std::memchr(s.data() + i, '<', s.size() - i);
    if (p == nullptr) return std::string_view::npos;
    i = static_cast<std::size_t>(static_cast<const char*>(p) - s.data());
    if (i + 1 < s.size() && s[i + 1] == '/' && ieq_prefix(s, i + 2, name) &&
        (i + 2 + name.size() >= s.size() || !is_alnum(s[i + 2 + name.size()]))) {
      return i;
    }
    ++i;
  }
  return std::string_view::npos;
}

// scan_close_tag with a memory per tag name: a document with thousands of unclosed <title>
// tags must not be scanned to its end once per tag.
class CloseTagFinder {
 public:
  explicit CloseTagFinder(std::string_view s) : s_(s) {}
  std::size_t find(std::size_t from, std::string_view name) {
    for (Memo& m : memos_) {
      if (m.name != name) continue;
      if (from >= m.from && (m.found == std::string_view::npos || m.found >= from)) return m.found;
      m.from = from;
      m.found = scan_close_tag(s_, from, name);
      return m.found;
    }
    memos_.push_back(Memo{std::string(name), from, scan_close_tag(s_, from, name)});
    return memos_.back().found;
  }

 private:
  struct Memo {
    std::string name;
    std::size_t from;
    std::size_t found;
  };
  std::string_view s_;
  std::vector<Memo> memos_;
};

enum class Block { kNone, kLine, kParagraph, kCell };

Block block_kind(std::string_view tag) {
  static constexpr std::array<std::string_view, 9> paragraph{"p",  "h1", "h2",         "h3",   "h4",
                                                             "h5", "h6", "blockquote", "table"};
  static constexpr std::array<std::string_view, 28> line{
      "div",    "tr",         "li",      "ul",      "ol",      "dl",     "dt",
      "dd",     "pre",        "hr",      "section", "article", "header", "footer",
      "nav",    "aside",      "main",    "address", "center",  "form",   "fieldset",
      "figure", "figcaption", "caption", "tbody",   "thead",   "tfoot",  "body"};
  for (auto t : paragraph) {
    if (t == tag) return Block::kParagraph;
  }
  for (auto t : line) {
    if (t == tag) return Block::kLine;
  }
  if (tag == "td" || tag == "th") return Block::kCell;
  return Block::kNone;
}

class TextBuilder {
 public:
  void text(std::string_view s) {
    flush();
    out_.append(s);
  }
  void space() {
    if (!out_.empty() && out_.back() != '\n') pending_space_ = true;
  }
  void block(int newlines) {
    pending_space_ = false;
    if (newlines > pending_newlines_) pending_newlines_ = newlines;
  }
  void hard_newline() {
    pending_space_ = false;
    trim_trailing_spaces();
    if (pending_newlines_ > 0) flush();
    out_.push_back('\n');
  }
  void literal(char c) {  // inside <pre>
    if (c == '\n') {
      hard_newline();
      return;
    }
    if (c == '\r') return;
    flush();
    out_.push_back(c);
  }
  std::string finish() {
    // Trim trailing spaces on every line, at most one blank line in a row, trim the ends.
    std::string result;
    result.reserve(out_.size());
    int newline_run = 0;
    for (char c : out_) {
      if (c == '\n') {
        while (!result.empty() && (result.back() == ' ' || result.back() == '\t')) {
          result.pop_back();
        }
        if (++newline_run > 2) continue;
        result.push_back(c);
      } else {
        newline_run = 0;
        result.push_back(c);
      }
    }
    std::size_t b = 0;
    while (b < result.size() && (result[b] == '\n' || result[b] == ' ')) ++b;
    std::size_t e = result.size();
    while (e > b && (result[e - 1] == '\n' || result[e - 1] == ' ' || result[e - 1] == '\t')) --e;
    return result.substr(b, e - b);
  }

 private:
  void trim_trailing_spaces() {
    while (!out_.empty() && (out_.back() == ' ' || out_.back() == '\t')) out_.pop_back();
  }
  void flush() {
    if (pending_newlines_ > 0) {
      trim_trailing_spaces();
      if (!out_.empty()) {
        int have = 0;
        for (std::size_t k = out_.size(); k > 0 && out_[k - 1] == '\n' && have < 2; --k) ++have;
        for (int k = have; k < pending_newlines_; ++k) out_.push_back('\n');
      }
      pending_newlines_ = 0;
      pending_space_ = false;
    } else if (pending_space_) {
      if (!out_.empty() && out_.back() != '\n') out_.push_back(' ');
      pending_space_ = false;
    }
  }

  std::string out_;
  bool pending_space_ = false;
  int pending_newlines_ = 0;
};

}  // namespace

std::string decode_html_entity(std::string_view name) {
  std::string out;
  if (name.empty()) return out;
  if (name[0] == '#') {
    char32_t cp = 0;
    bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    std::size_t k = hex ? 2 : 1;
    if (k >= name.size()) return out;
    for (; k < name.size(); ++k) {
      char c = name[k];
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (hex && c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (hex && c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else {
        return {};
      }
      cp = cp * (hex ? 16 : 10) + static_cast<char32_t>(d);
      if (cp > 0x10FFFF) cp = 0x110000;  // stays invalid, no overflow
    }
    // Windows-1252 numbers that HTML maps to the characters they meant (&#150; is a dash).
    static constexpr std::array<char32_t, 32> k1252{
        0x20AC, 0x81,   0x201A, 0x192,  0x201E, 0x2026, 0x2020, 0x2021, 0x2C6,  0x2030, 0x160,
        0x2039, 0x152,  0x8D,   0x17D,  0x8F,   0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x2DC,  0x2122, 0x161,  0x203A, 0x153,  0x9D,   0x17E,  0x178};
    if (cp >= 0x80 && cp <= 0x9F) cp = k1252[cp - 0x80];
    if (cp == 0) cp = 0xFFFD;
    if (cp == 0xA0) cp = ' ';
    append_utf8(out, cp);
    return out;
  }
  for (const Entity& e : kEntities) {
    if (e.name == name) {
      append_utf8(out, e.cp == 0xA0 ? char32_t{' '} : e.cp);
      return out;
    }
  }
  return out;
}

std::string html_to_text(std::string_view s) {
  TextBuilder tb;
  CloseTagFinder closer(s);
  int pre_depth = 0;
  std::size_t i = 0;
  const std::size_t n = s.size();
  std::size_t run_start = 0;
  auto flush_run = [&](std::size_t end) {
    // Plain text between markup: collapse white space unless inside <pre>.
    std::size_t k = run_start;
    while (k < end) {
      char c = s[k];
      if (pre_depth > 0) {
        tb.literal(c);
        ++k;
        continue;
      }
      if (is_ws(c)) {
        tb.space();
        ++k;
        continue;
      }
      std::size_t e = k;
      while (e < end && !is_ws(s[e])) ++e;
      tb.text(s.substr(k, e - k));
      k = e;
    }
  };

  while (i < n) {
    char c = s[i];
    if (c == '&') {
      std::size_t k = i + 1;
      while (k < n && k - i <= 32 && (is_alnum(s[k]) || s[k] == '#')) ++k;
      std::string_view name = s.substr(i + 1, k - i - 1);
      std::string value;
      std::size_t next = k;
      if (k < n && s[k] == ';') {
        value = decode_html_entity(name);
        next = k + 1;
      } else {
        for (auto legacy : kLegacyNoSemicolon) {
          if (name.substr(0, legacy.size()) == legacy) {
            value = decode_html_entity(legacy);
            next = i + 1 + legacy.size();
            break;
          }
        }
        if (value.empty() && !name.empty() && name[0] == '#') {
          value = decode_html_entity(name);
          next = k;
        }
      }
      if (!value.empty()) {
        flush_run(i);
        tb.text(value);
        i = next;
        run_start = i;
        continue;
      }
      ++i;
      continue;
    }
    if (c != '<' || i + 1 >= n) {
      ++i;
      continue;
    }
    char d = s[i + 1];
    if (d == '!') {
      flush_run(i);
      if (s.substr(i, 4) == "<!--") {
        std::size_t e = s.find("-->", i + 4);
        i = (e == std::string_view::npos) ? n : e + 3;
      } else {
        std::size_t e = s.find('>', i + 2);
        i = (e == std::string_view::npos) ? n : e + 1;
      }
      run_start = i;
      continue;
    }
    if (d == '?') {
      flush_run(i);
      std::size_t e = s.find('>', i + 2);
      i = (e == std::string_view::npos) ? n : e + 1;
      run_start = i;
      continue;
    }
    bool closing = d == '/';
    std::size_t nb = i + (closing ? 2 : 1);
    if (nb >= n || !is_alpha(s[nb])) {
      ++i;  // a literal '<'
      continue;
    }
    flush_run(i);
    std::size_t ne = nb;
    std::string tag;
    while (ne < n && (is_alnum(s[ne]) || s[ne] == ':' || s[ne] == '-') && tag.size() < 32) {
      tag.push_back(lower(s[ne]));
      ++ne;
    }
    // Skip attributes to the closing '>', honouring quotes that are closed.
    std::size_t k = ne;
    while (k < n && s[k] != '>') {
      if ((s[k] == '"' || s[k] == '\'') && k > 0 && (s[k - 1] == '=' || is_ws(s[k - 1]))) {
        std::size_t q = s.find(s[k], k + 1);
        if (q != std::string_view::npos) {
          k = q + 1;
          continue;
        }
      }
      ++k;
    }
    i = (k < n) ? k + 1 : n;
    run_start = i;

    if (!closing && (tag == "script" || tag == "style" || tag == "title" || tag == "template" ||
                     tag == "xml" || tag == "o:p" || tag == "head")) {
      if (tag == "o:p") continue;  // Outlook's empty paragraph marker
      if (tag == "head") {
        // Only skip a head that really ends; an unterminated one holds the whole document.
        std::size_t e = closer.find(i, "head");
        if (e != std::string_view::npos) {
          std::size_t gt = s.find('>', e);
          i = (gt == std::string_view::npos) ? n : gt + 1;
          run_start = i;
        }
        continue;
      }
      std::size_t e = closer.find(i, tag);
      if (e == std::string_view::npos) {
        if (tag != "title") i = n;  // an unterminated script or style swallows the rest
      } else {
        std::size_t gt = s.find('>', e);
        i = (gt == std::string_view::npos) ? n : gt + 1;
      }
      run_start = i;
      continue;
    }
    if (tag == "br") {
      tb.hard_newline();
      continue;
    }
    if (tag == "pre") pre_depth += closing ? (pre_depth > 0 ? -1 : 0) : 1;
    switch (block_kind(tag)) {
      case Block::kParagraph:
        tb.block(2);
        break;
      case Block::kLine:
        tb.block(1);
        break;
      case Block::kCell:
        tb.space();
        break;
      case Block::kNone:
        if (tag == "img" || tag == "input") tb.space();
        break;
    }
  }
  flush_run(n);
  return tb.finish();
}

std::string html_meta_charset(std::string_view html) {
  std::string_view s = html.substr(0, std::size_t{64} * 1024);
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t lt = s.find('<', i);
    if (lt == std::string_view::npos) break;
    if (!ieq_prefix(s, lt + 1, "meta") || lt + 5 >= s.size() || is_alnum(s[lt + 5])) {
      i = lt + 1;
      continue;
    }
    std::size_t gt = s.find('>', lt);
    std::string_view tag =
        s.substr(lt + 5, (gt == std::string_view::npos ? s.size() : gt) - lt - 5);
    i = (gt == std::string_view::npos) ? s.size() : gt + 1;
    // Find "charset" inside the tag (either the attribute or inside content="...").
    for (std::size_t k = 0; k + 7 <= tag.size(); ++k) {
      if (!ieq_prefix(tag, k, "charset")) continue;
      std::size_t v = k + 7;
      while (v < tag.size() && is_ws(tag[v])) ++v;
      if (v >= tag.size() || tag[v] != '=') continue;
      ++v;
      while (v < tag.size() && (is_ws(tag[v]) || tag[v] == '"' || tag[v] == '\'')) ++v;
      std::size_t e = v;
      while (e < tag.size() && !is_ws(tag[e]) && tag[e] != '"' && tag[e] != '\'' && tag[e] != ';' &&
             tag[e] != '/' && tag[e] != '>') {
        ++e;
      }
      if (e > v) return std::string(tag.substr(v, e - v));
    }
  }
  return {};
}

}  // namespace mailgate::mail
