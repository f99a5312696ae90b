#include "mail/address.hpp"

#include "mail/charset.hpp"
#include "mail/rfc2047.hpp"

namespace mailgate::mail {
namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_ws(s[b])) ++b;
  while (e > b && is_ws(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

// One mailbox being assembled.
struct Pending {
  std::string phrase;  // display-name words (raw bytes), joined by single spaces
  std::string bare;    // addr-spec written without angle brackets
  std::string angle;   // contents of <...>
  bool has_angle = false;
  std::string comment;  // first comment, for "addr (Full Name)"
  std::vector<std::string> words;

  void add_word(std::string_view w) {
    if (!phrase.empty()) phrase.push_back(' ');
    phrase.append(w);
    words.emplace_back(w);
    // Until an angle address shows up, the words may be a bare addr-spec ("a . b @ c").
    bare.append(w);
  }
  bool empty() const { return phrase.empty() && bare.empty() && !has_angle && comment.empty(); }
};

// Position of the next `c` at or after a position, remembering the last answer: a header full
// of '<' without any '>' must not be scanned once per '<'.
class NextOf {
 public:
  NextOf(std::string_view s, char c) : s_(s), c_(c) {}
  std::size_t find(std::size_t from) {
    if (valid_ && from >= from_ && (found_ == std::string_view::npos || found_ >= from)) {
      return found_;
    }
    valid_ = true;
    from_ = from;
    found_ = s_.find(c_, from);
    return found_;
  }

 private:
  std::string_view s_;
  char c_;
  bool valid_ = false;
  std::size_t from_ = 0;
  std::size_t found_ = std::string_view::npos;
};

}  // namespace

std::vector<Address> parse_address_list(std::string_view raw, std::vector<std::string>* defects,
                                        std::string_view what, std::string_view hint) {
  std::vector<Address> out;
  Pending cur;
  bool in_group = false;

  auto decode = [&](std::string_view s) {
    return trim(decode_header_text(s, defects, what, hint));
  };
  auto finish = [&]() {
    if (cur.empty()) return;
    Address a;
    if (cur.has_angle) {
      // Comments inside the brackets ("<pete(his account)@silly.test>") are not the address.
      std::string addr;
      int depth = 0;
      for (char ch : cur.angle) {
        if (ch == '(') {
          ++depth;
        } else if (ch == ')' && depth > 0) {
          --depth;
        } else if (depth == 0 && !is_ws(ch)) {
          addr.push_back(ch);
        }
      }
      // Obsolete source route: "<@a.example,@b.example:user@c.example>".
      if (!addr.empty() && addr[0] == '@') {
        std::size_t colon = addr.find(':');
        if (colon != std::string::npos) addr = trim(addr.substr(colon + 1));
      }
      a.address = addr;
      a.name = decode(cur.phrase);
      if (a.name.empty() && !cur.comment.empty()) a.name = decode(cur.comment);
      if (!is_valid_utf8(a.address)) a.address = decode(a.address);
      out.push_back(std::move(a));  // kept even if empty: "<>" is the null sender of a bounce
      cur = Pending{};
      return;
    } else {
      std::string bare = trim(cur.bare);
      if (bare.find('@') == std::string::npos && !cur.phrase.empty() &&
          cur.phrase.find(' ') != std::string::npos) {
        // Words without any address: not a mailbox.
        if (defects) defects->push_back(std::string(what) + ": display name without address");
        cur = Pending{};
        return;
      }
      const auto& w = cur.words;
      std::size_t with_at = 0;
      for (const std::string& x : w) with_at += x.find('@') != std::string::npos && x.size() > 1;
      if (w.size() > 1 && with_at == w.size()) {
        // "a@example.org b@example.org": addresses that lost their comma.
        for (const std::string& x : w) {
          Address each;
          each.address = is_valid_utf8(x) ? x : decode(x);
          out.push_back(std::move(each));
        }
        cur = Pending{};
        return;
      }
      auto first = [](const std::string& x) { return x.empty() ? '\0' : x.front(); };
      auto last = [](const std::string& x) { return x.empty() ? '\0' : x.back(); };
      if (w.size() > 1 && w.back().find('@') != std::string::npos && first(w.back()) != '@' &&
          first(w.back()) != '.' && last(w[w.size() - 2]) != '.' && last(w[w.size() - 2]) != '@') {
        // "John Smith john@example.com": a name and an address without angle brackets.
        a.address = trim(w.back());
        std::string name;
        for (std::size_t k = 0; k + 1 < w.size(); ++k) {
          if (!name.empty()) name.push_back(' ');
          name += w[k];
        }
        a.name = decode(name);
      } else {
        a.address = bare;
        if (!cur.comment.empty()) a.name = decode(cur.comment);
      }
    }
    if (!is_valid_utf8(a.address)) a.address = decode(a.address);
    if (!a.address.empty()) out.push_back(std::move(a));
    cur = Pending{};
  };

  NextOf next_gt(raw, '>');
  NextOf next_comma(raw, ',');
  bool missing_gt_noted = false;
  std::size_t i = 0;
  const std::size_t n = raw.size();
  while (i < n) {
    char c = raw[i];
    if (is_ws(c)) {
      ++i;
      continue;
    }
    if (c == '"') {
      // Quoted string; backslash escapes; runs to the closing quote or the end.
      ++i;
      std::string q;
      while (i < n && raw[i] != '"') {
        if (raw[i] == '\\' && i + 1 < n) {
          q.push_back(raw[i + 1]);
          i += 2;
          continue;
        }
        if (raw[i] != '\r' && raw[i] != '\n') q.push_back(raw[i]);
        ++i;
      }
      if (i < n) ++i;
      if (cur.has_angle) continue;
      cur.add_word(q);
      continue;
    }
    if (c == '(') {
      int depth = 0;
      std::string text;
      while (i < n) {
        char d = raw[i];
        if (d == '\\' && i + 1 < n) {
          text.push_back(raw[i + 1]);
          i += 2;
          continue;
        }
        if (d == '(') {
          if (depth++ > 0) text.push_back(d);
        } else if (d == ')') {
          if (--depth == 0) {
            ++i;
            break;
          }
          text.push_back(d);
        } else {
          text.push_back(d);
        }
        ++i;
      }
      if (cur.comment.empty()) cur.comment = trim(text);
      continue;
    }
    if (c == '<') {
      std::size_t close = next_gt.find(i + 1);
      std::size_t end = close == std::string_view::npos ? n : close;
      // A ',' before the '>' of an unterminated bracket ends the mailbox there.
      if (close == std::string_view::npos) {
        std::size_t comma = next_comma.find(i + 1);
        if (comma != std::string_view::npos) end = comma;
        if (defects && !missing_gt_noted) {
          defects->push_back(std::string(what) + ": missing '>'");
          missing_gt_noted = true;
        }
      }
      if (!cur.has_angle) {
        cur.has_angle = true;
        cur.angle = std::string(raw.substr(i + 1, end - i - 1));
      }
      i = (close == std::string_view::npos) ? end : close + 1;
      continue;
    }
    if (c == ',') {
      finish();
      ++i;
      continue;
    }
    if (c == ':' && !in_group && !cur.has_angle) {
      // Group start: the words so far are the group's name.
      in_group = true;
      cur = Pending{};
      ++i;
      continue;
    }
    if (c == ';') {
      finish();
      in_group = false;
      ++i;
      continue;
    }
    // An atom (or specials that belong to an addr-spec: '@', '.').
    std::size_t b = i;
    while (i < n) {
      char d = raw[i];
      if (is_ws(d) || d == '"' || d == '(' || d == '<' || d == ',' || d == ';') break;
      if (d == ':' && !in_group && !cur.has_angle) break;
      if (d == '>') break;
      ++i;
    }
    if (i == b) {
      ++i;  // a stray '>' or similar
      continue;
    }
    std::string_view atom = raw.substr(b, i - b);
    if (cur.has_angle) continue;  // junk after the address
    cur.add_word(atom);
  }
  finish();
  return out;
}

}  // namespace mailgate::mail
