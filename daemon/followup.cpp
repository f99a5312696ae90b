#include "daemon/followup.hpp"

#include <algorithm>

namespace mailgate::daemon {
namespace {

// The pattern as a regular expression over its UTF-8 bytes: literal text escaped, {year}
// four digits, {seq} and {seq:0N} one or more digits (a padded number may outgrow N).
std::string pattern_regex(const std::string& pattern) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern.compare(i, 6, "{year}") == 0) {
      out += "[0-9]{4}";
      i += 6;
      continue;
    }
    if (pattern.compare(i, 4, "{seq") == 0) {
      std::size_t close = pattern.find('}', i);
      if (close != std::string::npos) {
        out += "[0-9]+";
        i = close + 1;
        continue;
      }
    }
    char c = pattern[i++];
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

CaseTagFinder::CaseTagFinder(const std::string& pattern)
    : tag_("\\[(" + pattern_regex(pattern) + ")\\]") {}

std::vector<std::string> CaseTagFinder::find(std::string_view subject) const {
  std::vector<std::string> out;
  std::string s(subject);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), tag_); it != std::sregex_iterator();
       ++it) {
    std::string regno = (*it)[1].str();
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

}  // namespace mailgate::daemon
