#include "cases/followup.hpp"

#include <algorithm>

namespace mailgate::cases {

// A hand matcher rather than std::regex: the pattern is a few literals and digit runs, and
// <regex> in a header made every translation unit that includes it slow to build.
CaseTagFinder::CaseTagFinder(const std::string& pattern) {
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) pieces_.emplace_back(std::move(literal));
    literal.clear();
  };
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern.compare(i, 6, "{year}") == 0) {
      flush();
      pieces_.emplace_back(Digits{4, 4});
      i += 6;
      continue;
    }
    if (pattern.compare(i, 4, "{seq") == 0) {
      std::size_t close = pattern.find('}', i);
      if (close != std::string::npos) {
        flush();
        pieces_.emplace_back(Digits{});
        i = close + 1;
        continue;
      }
    }
    literal += pattern[i++];
  }
  flush();
}

std::size_t CaseTagFinder::match(std::string_view s, std::size_t at, std::size_t i) const {
  if (i == pieces_.size()) return at;
  if (const auto* lit = std::get_if<std::string>(&pieces_[i])) {
    if (s.substr(at, lit->size()) != *lit) return std::string_view::npos;
    return match(s, at + lit->size(), i + 1);
  }
  const auto& d = std::get<Digits>(pieces_[i]);
  std::size_t n = 0;
  while (at + n < s.size() && n < d.max && s[at + n] >= '0' && s[at + n] <= '9') ++n;
  // Longest first, backing off while the rest does not match (as a regex would).
  for (; n >= d.min && n > 0; --n) {
    std::size_t end = match(s, at + n, i + 1);
    if (end != std::string_view::npos) return end;
  }
  return std::string_view::npos;
}

std::vector<std::string> CaseTagFinder::find(std::string_view subject) const {
  std::vector<std::string> out;
  for (std::size_t open = subject.find('['); open != std::string_view::npos;
       open = subject.find('[', open + 1)) {
    std::size_t end = match(subject, open + 1, 0);
    if (end == std::string_view::npos || end >= subject.size() || subject[end] != ']') continue;
    std::string regno(subject.substr(open + 1, end - open - 1));
    if (std::find(out.begin(), out.end(), regno) == out.end()) out.push_back(regno);
  }
  return out;
}

std::string CaseTagFinder::tagged(const std::string& regno, const std::string& subject) {
  std::string tag = "[" + regno + "]";
  if (subject.find(tag) != std::string::npos) return subject;
  return subject.empty() ? tag : tag + " " + subject;
}

std::vector<std::string> referenced_ids(const mail::Message& m) {
  std::vector<std::string> out;
  auto add = [&](const std::string& id) {
    if (!id.empty() && std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  };
  if (m.in_reply_to) {
    // In-Reply-To may hold several ids or junk around one; take every <...>.
    const std::string& v = *m.in_reply_to;
    for (std::size_t open = v.find('<'); open != std::string::npos; open = v.find('<', open + 1)) {
      std::size_t close = v.find('>', open);
      if (close == std::string::npos) break;
      add(v.substr(open, close - open + 1));
    }
  }
  for (auto it = m.references.rbegin(); it != m.references.rend(); ++it) add(*it);
  return out;
}

}  // namespace mailgate::cases
