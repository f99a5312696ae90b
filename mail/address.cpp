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

// The address inside "<...>": comments inside the brackets ("<pete(his account)@silly.test>")
// are not the address, nor is an obsolete source route ("<@a.example,@b.example:user@c.example>").
std::string angle_addr_spec(std::string_view angle) {
  std::string addr;
  int depth = 0;
  for (char ch : angle) {
    if (ch == '(') {
      ++depth;
    } else if (ch == ')' && depth > 0) {
      --depth;
    } else if (depth == 0 && !is_ws(ch)) {
      addr.push_back(ch);
    }
  }
  if (!addr.empty() && addr[0] == '@') {
    std::size_t colon = addr.find(':');
    if (colon != std::string::npos) addr = trim(addr.substr(colon + 1));
  }
  return addr;
}

// "a@example.org b@example.org": every word is an address, the commas between them were lost.
bool lost_commas(const std::vector<std::string>& words) {
  std::size_t with_at = 0;
  for (const std::string& x : words) with_at += x.find('@') != std::string::npos && x.size() > 1;
  return words.size() > 1 && with_at == words.size();
}

// "John Smith john@example.com": a name and an address without angle brackets. The last word
// only counts as the address when it is not the tail of a spaced-out addr-spec ("a . b @ c").
bool name_then_address(const std::vector<std::string>& words) {
  auto first = [](const std::string& x) { return x.empty() ? '\0' : x.front(); };
  auto last = [](const std::string& x) { return x.empty() ? '\0' : x.back(); };
  const std::size_t n = words.size();
  return n > 1 && words.back().find('@') != std::string::npos && first(words.back()) != '@' &&
         first(words.back()) != '.' && last(words[n - 2]) != '.' && last(words[n - 2]) != '@';
}

// One address list, parsed in a single pass: the cursor, the mailboxes found so far and the
// one being assembled, which a ',' or ';' (or the end) finishes.
class ListParser {
 public:
  ListParser(std::string_view raw, std::vector<std::string>* defects, std::string_view what,
             std::string_view hint)
      : raw_(raw),
        defects_(defects),
        what_(what),
        hint_(hint),
        next_gt_(raw, '>'),
        next_comma_(raw, ',') {}

  std::vector<Address> run();

 private:
  std::string decode(std::string_view s) const {
    return trim(decode_header_text(s, defects_, what_, hint_));
  }
  void finish();
  void finish_angle();
  void finish_bare();
  void read_quoted();
  void read_comment();
  void read_angle();
  void read_atom();

  std::string_view raw_;
  std::vector<std::string>* defects_;
  std::string_view what_;
  std::string_view hint_;
  std::vector<Address> out_;
  Pending cur_;
  bool in_group_ = false;
  NextOf next_gt_;
  NextOf next_comma_;
  bool missing_gt_noted_ = false;
  std::size_t i_ = 0;
};

std::vector<Address> ListParser::run() {
  const std::size_t n = raw_.size();
  while (i_ < n) {
    char c = raw_[i_];
    if (is_ws(c)) {
      ++i_;
    } else if (c == '"') {
      read_quoted();
    } else if (c == '(') {
      read_comment();
    } else if (c == '<') {
      read_angle();
    } else if (c == ',') {
      finish();
      ++i_;
    } else if (c == ':' && !in_group_ && !cur_.has_angle) {
      // Group start: the words so far are the group's name.
      in_group_ = true;
      cur_ = Pending{};
      ++i_;
    } else if (c == ';') {
      finish();
      in_group_ = false;
      ++i_;
    } else {
      read_atom();
    }
  }
  finish();
  return std::move(out_);
}

void ListParser::finish() {
  if (cur_.empty()) return;
  if (cur_.has_angle) {
    finish_angle();
  } else {
    finish_bare();
  }
  cur_ = Pending{};
}

void ListParser::finish_angle() {
  Address a;
  a.address = angle_addr_spec(cur_.angle);
  a.name = decode(cur_.phrase);
  if (a.name.empty() && !cur_.comment.empty()) a.name = decode(cur_.comment);
  if (!is_valid_utf8(a.address)) a.address = decode(a.address);
  out_.push_back(std::move(a));  // kept even if empty: "<>" is the null sender of a bounce
}

void ListParser::finish_bare() {
  std::string bare = trim(cur_.bare);
  if (bare.find('@') == std::string::npos && !cur_.phrase.empty() &&
      cur_.phrase.find(' ') != std::string::npos) {
    // Words without any address: not a mailbox.
    if (defects_) defects_->push_back(std::string(what_) + ": display name without address");
    return;
  }
  const auto& w = cur_.words;
  if (lost_commas(w)) {
    for (const std::string& x : w) {
      Address each;
      each.address = is_valid_utf8(x) ? x : decode(x);
      out_.push_back(std::move(each));
    }
    return;
  }
  Address a;
  if (name_then_address(w)) {
    a.address = trim(w.back());
    std::string name;
    for (std::size_t k = 0; k + 1 < w.size(); ++k) {
      if (!name.empty()) name.push_back(' ');
      name += w[k];
    }
    a.name = decode(name);
  } else {
    a.address = std::move(bare);
    if (!cur_.comment.empty()) a.name = decode(cur_.comment);
  }
  if (!is_valid_utf8(a.address)) a.address = decode(a.address);
  if (!a.address.empty()) out_.push_back(std::move(a));
}

// Quoted string; backslash escapes; runs to the closing quote or the end.
void ListParser::read_quoted() {
  const std::size_t n = raw_.size();
  ++i_;
  std::string q;
  while (i_ < n && raw_[i_] != '"') {
    if (raw_[i_] == '\\' && i_ + 1 < n) {
      q.push_back(raw_[i_ + 1]);
      i_ += 2;
      continue;
    }
    if (raw_[i_] != '\r' && raw_[i_] != '\n') q.push_back(raw_[i_]);
    ++i_;
  }
  if (i_ < n) ++i_;
  if (!cur_.has_angle) cur_.add_word(q);
}

// A (nested) comment; the first one of a mailbox is kept as a fallback name.
void ListParser::read_comment() {
  const std::size_t n = raw_.size();
  int depth = 0;
  std::string text;
  while (i_ < n) {
    char d = raw_[i_];
    if (d == '\\' && i_ + 1 < n) {
      text.push_back(raw_[i_ + 1]);
      i_ += 2;
      continue;
    }
    if (d == '(') {
      if (depth++ > 0) text.push_back(d);
    } else if (d == ')') {
      if (--depth == 0) {
        ++i_;
        break;
      }
      text.push_back(d);
    } else {
      text.push_back(d);
    }
    ++i_;
  }
  if (cur_.comment.empty()) cur_.comment = trim(text);
}

void ListParser::read_angle() {
  const std::size_t n = raw_.size();
  std::size_t close = next_gt_.find(i_ + 1);
  std::size_t end = close == std::string_view::npos ? n : close;
  // A ',' before the '>' of an unterminated bracket ends the mailbox there.
  if (close == std::string_view::npos) {
    std::size_t comma = next_comma_.find(i_ + 1);
    if (comma != std::string_view::npos) end = comma;
    if (defects_ && !missing_gt_noted_) {
      defects_->push_back(std::string(what_) + ": missing '>'");
      missing_gt_noted_ = true;
    }
  }
  if (!cur_.has_angle) {
    cur_.has_angle = true;
    cur_.angle = std::string(raw_.substr(i_ + 1, end - i_ - 1));
  }
  i_ = (close == std::string_view::npos) ? end : close + 1;
}

// An atom (or specials that belong to an addr-spec: '@', '.').
void ListParser::read_atom() {
  const std::size_t n = raw_.size();
  std::size_t b = i_;
  while (i_ < n) {
    char d = raw_[i_];
    if (is_ws(d) || d == '"' || d == '(' || d == '<' || d == ',' || d == ';') break;
    if (d == ':' && !in_group_ && !cur_.has_angle) break;
    if (d == '>') break;
    ++i_;
  }
  if (i_ == b) {
    ++i_;  // a stray '>' or similar
    return;
  }
  if (cur_.has_angle) return;  // junk after the address
  cur_.add_word(raw_.substr(b, i_ - b));
}

}  // namespace

std::vector<Address> parse_address_list(std::string_view raw, std::vector<std::string>* defects,
                                        std::string_view what, std::string_view hint) {
  return ListParser(raw, defects, what, hint).run();
}

}  // namespace mailgate::mail
