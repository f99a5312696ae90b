#include "mail/rfc2231.hpp"

#include <algorithm>

#include "mail/charset.hpp"
#include "mail/rfc2047.hpp"

namespace mailgate::mail {
namespace {

constexpr std::size_t kMaxParams = 256;

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && hex_value(in[i + 1]) >= 0 &&
        hex_value(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2])));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

// Skips white space and (nested) comments.
std::size_t skip_cfws(std::string_view s, std::size_t i) {
  while (i < s.size()) {
    if (is_ws(s[i])) {
      ++i;
    } else if (s[i] == '(') {
      int depth = 0;
      while (i < s.size()) {
        char c = s[i];
        if (c == '\\') {
          i += 2;
          continue;
        }
        if (c == '(') ++depth;
        if (c == ')' && --depth == 0) {
          ++i;
          break;
        }
        ++i;
      }
    } else {
      break;
    }
  }
  return i < s.size() ? i : s.size();
}

struct Piece {
  std::string value;
  bool extended = false;
};

struct Collected {
  std::optional<Piece> plain;       // name=
  std::optional<Piece> star;        // name*=
  std::map<unsigned, Piece> parts;  // name*N= / name*N*=
};

// Splits "charset'lang'rest"; returns false if there are not two quotes.
bool split_charset(std::string_view v, std::string_view& charset, std::string_view& rest) {
  std::size_t q1 = v.find('\'');
  if (q1 == std::string_view::npos) return false;
  std::size_t q2 = v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return false;
  charset = v.substr(0, q1);
  rest = v.substr(q2 + 1);
  return true;
}

// The main value: one token ("text/plain", "attachment"), lower-cased. Returns where the
// parameters start.
std::size_t read_main_value(std::string_view raw, std::string& value) {
  std::size_t i = skip_cfws(raw, 0);
  // What follows the token before a ';' can only be a comment or a parameter that lost its
  // semicolon.
  while (i < raw.size() && raw[i] != ';' && !is_ws(raw[i]) && raw[i] != '(') {
    value.push_back(lower(raw[i]));
    ++i;
  }
  return skip_cfws(raw, i);
}

// A quoted value from its opening quote at `i`; `i` ends up at the next ';' (or the end).
std::string read_quoted_value(std::string_view raw, std::size_t& i, std::string_view name,
                              std::vector<std::string>* defects, std::string_view what) {
  std::string value;
  ++i;
  bool closed = false;
  while (i < raw.size()) {
    char c = raw[i];
    if (c == '\\' && i + 1 < raw.size()) {
      value.push_back(raw[i + 1]);
      i += 2;
      continue;
    }
    if (c == '"') {
      closed = true;
      ++i;
      break;
    }
    if (c == '\r' || c == '\n') {
      ++i;
      continue;
    }
    value.push_back(c);
    ++i;
  }
  if (!closed && defects) {
    std::string d(what);
    if (!d.empty()) d += ": ";
    defects->push_back(d + "unterminated quoted parameter " + sanitize_utf8(name));
  }
  // Skip anything up to the next ';'.
  while (i < raw.size() && raw[i] != ';') ++i;
  return value;
}

// An unquoted value from `i`, without trailing white space and a trailing comment. It runs to
// the next ';' or, when the ';' is missing ("us-ascii format=flowed"), to white space followed
// by "name=", where `i` is left to resume parsing at that name. One pass over the bytes: finding
// the ';' first made each parameter cost the rest of the header (quadratic for
// "a=b a=b a=b ..."), and rescanning a run of white space from each of its bytes was quadratic
// too (both found while fuzzing).
std::string_view read_bare_value(std::string_view raw, std::size_t& i) {
  std::size_t vb = i;
  std::size_t ve = std::string_view::npos;
  while (i < raw.size() && raw[i] != ';') {
    if (!is_ws(raw[i])) {
      ++i;
      continue;
    }
    std::size_t n = i;
    while (n < raw.size() && is_ws(raw[n])) ++n;
    std::size_t e = n;
    while (e < raw.size() && raw[e] != ';' && raw[e] != '=' && !is_ws(raw[e]) && raw[e] != '"' &&
           raw[e] != '?') {
      ++e;
    }
    if (e < raw.size() && e > n && raw[e] == '=') {
      ve = i;
      i = n;  // resume parsing at the next parameter name
      break;
    }
    i = std::max(n, e);
  }
  std::string_view v = raw.substr(vb, (ve == std::string_view::npos ? i : ve) - vb);
  while (!v.empty() && is_ws(v.back())) v.remove_suffix(1);
  if (!v.empty() && v.back() == ')') {
    std::size_t open = v.rfind('(');
    if (open != std::string_view::npos && open > 0 && is_ws(v[open - 1])) {
      v = v.substr(0, open);
      while (!v.empty() && is_ws(v.back())) v.remove_suffix(1);
    }
  }
  return v;
}

// Files a parameter under its base name: name, name*, name*N, name*N*.
void collect(std::map<std::string, Collected>& collected, std::string name, std::string value) {
  bool extended = false;
  if (!name.empty() && name.back() == '*') {
    extended = true;
    name.pop_back();
  }
  std::optional<unsigned> index;
  std::size_t star = name.rfind('*');
  if (star != std::string::npos && star + 1 < name.size() && name.size() - star - 1 <= 6) {
    bool digits = true;
    for (std::size_t k = star + 1; k < name.size(); ++k) {
      if (name[k] < '0' || name[k] > '9') digits = false;
    }
    if (digits) {
      index = static_cast<unsigned>(std::stoul(name.substr(star + 1)));
      name.resize(star);
    }
  }
  Collected& c = collected[name];
  Piece piece{std::move(value), extended};
  if (index) {
    c.parts.emplace(*index, std::move(piece));
  } else if (extended) {
    if (!c.star) c.star = std::move(piece);
  } else {
    if (!c.plain) c.plain = std::move(piece);
  }
}

// Continuations (name*0, name*1*, ...) joined in order. When any piece is extended, the bytes
// of all pieces are joined before conversion: a piece may end inside a multi-byte character.
ParamValue join_continuations(const std::map<unsigned, Piece>& parts,
                              std::vector<std::string>* defects, std::string_view what,
                              std::string_view hint) {
  ParamValue pv;
  bool any_extended = false;
  for (const auto& [idx, p] : parts) any_extended = any_extended || p.extended;
  if (!any_extended) {
    for (const auto& [idx, p] : parts) pv.value += p.value;
    return pv;
  }
  std::string bytes;
  std::string charset;
  bool first = true;
  for (const auto& [idx, p] : parts) {
    std::string_view v = p.value;
    if (first && p.extended) {
      std::string_view cs, rest;
      if (split_charset(v, cs, rest)) {
        charset = std::string(cs);
        v = rest;
      }
    }
    first = false;
    bytes += p.extended ? percent_decode(v) : std::string(v);
  }
  pv.value = to_utf8(bytes, charset, defects, what, hint);
  pv.extended = true;
  return pv;
}

// The value of one parameter: continuations win over name*=, which wins over name=.
ParamValue assemble(Collected& c, std::vector<std::string>* defects, std::string_view what,
                    std::string_view hint) {
  if (!c.parts.empty()) return join_continuations(c.parts, defects, what, hint);
  ParamValue pv;
  if (c.star) {
    std::string_view v = c.star->value;
    std::string_view cs, rest;
    std::string charset;
    if (split_charset(v, cs, rest)) {
      charset = std::string(cs);
      v = rest;
    }
    pv.value = to_utf8(percent_decode(v), charset, defects, what, hint);
    pv.extended = true;
  } else if (c.plain) {
    pv.value = std::move(c.plain->value);
  }
  return pv;
}

}  // namespace

const ParamValue* ParamHeader::find(std::string_view name) const {
  auto it = params.find(std::string(name));
  return it == params.end() ? nullptr : &it->second;
}

ParamHeader parse_param_header(std::string_view raw, std::vector<std::string>* defects,
                               std::string_view what, std::string_view hint) {
  ParamHeader out;
  std::size_t i = read_main_value(raw, out.value);
  std::map<std::string, Collected> collected;
  std::size_t count = 0;
  while (i < raw.size()) {
    while (i < raw.size() && (raw[i] == ';' || is_ws(raw[i]) || raw[i] == '(')) {
      i = raw[i] == '(' ? skip_cfws(raw, i) : i + 1;
    }
    if (i >= raw.size()) break;
    // Name.
    std::size_t nb = i;
    while (i < raw.size() && raw[i] != '=' && raw[i] != ';' && !is_ws(raw[i]) && raw[i] != '"') ++i;
    std::string name;
    for (std::size_t k = nb; k < i; ++k) name.push_back(lower(raw[k]));
    i = skip_cfws(raw, i);
    if (i >= raw.size() || raw[i] != '=') {
      // Not a parameter: skip to the next ';'.
      if (i == nb) ++i;
      while (i < raw.size() && raw[i] != ';') ++i;
      continue;
    }
    ++i;  // '='
    i = skip_cfws(raw, i);
    std::string value = i < raw.size() && raw[i] == '"'
                            ? read_quoted_value(raw, i, name, defects, what)
                            : std::string(read_bare_value(raw, i));
    if (name.empty() || ++count > kMaxParams) continue;
    collect(collected, std::move(name), std::move(value));
  }

  for (auto& [name, c] : collected) out.params.emplace(name, assemble(c, defects, what, hint));
  return out;
}

std::optional<std::string> decoded_param(const ParamHeader& header, std::string_view name,
                                         std::vector<std::string>* defects, std::string_view what,
                                         std::string_view hint) {
  const ParamValue* p = header.find(name);
  if (p == nullptr) return std::nullopt;
  if (p->extended) return p->value;
  return decode_header_text(p->value, defects, what, hint);
}

}  // namespace mailgate::mail
