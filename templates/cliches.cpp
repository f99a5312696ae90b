#include "templates/cliches.hpp"

#include "base/utf8.hpp"

namespace mailgate::templates {

namespace utf8 = base::utf8;
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::vector<std::string> split_spaces(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ' ' || c == '\t') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += ' ';
    out += p;
  }
  return out;
}

}  // namespace

std::vector<std::string> parse_cliche_list(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    std::string_view line = text.substr(start, nl == text.npos ? text.npos : nl - start);
    // "#" starts a comment at the start of a line or after a space.
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
        line = line.substr(0, i);
        break;
      }
    }
    line = trim(line);
    if (!line.empty()) {
      std::string_view pattern = line;
      std::string_view hint;
      if (auto eq = line.find('='); eq != line.npos) {
        pattern = trim(line.substr(0, eq));
        hint = trim(line.substr(eq + 1));
      }
      std::string entry = join(split_spaces(pattern));
      if (!entry.empty()) {
        if (!hint.empty()) entry += " = " + join(split_spaces(hint));
        out.push_back(std::move(entry));
      }
    }
    if (nl == text.npos) break;
    start = nl + 1;
  }
  return out;
}

ClicheMatcher::ClicheMatcher(const std::vector<std::string>& entries) {
  for (const std::string& entry : entries) {
    std::string_view pattern = entry;
    Pattern p;
    if (auto eq = pattern.find('='); eq != pattern.npos) {
      p.hint = std::string(trim(pattern.substr(eq + 1)));
      pattern = trim(pattern.substr(0, eq));
    }
    for (std::string word : split_spaces(pattern)) {
      bool prefix = false;
      while (!word.empty() && word.back() == '*') {
        word.pop_back();
        prefix = true;
      }
      if (word.empty()) continue;
      p.words.push_back(utf8::fold(word));
      p.prefix.push_back(prefix);
    }
    if (!p.words.empty()) patterns_.push_back(std::move(p));
  }
}

std::vector<ClicheHit> ClicheMatcher::find(const std::vector<TextWord>& words) const {
  std::vector<ClicheHit> hits;
  for (std::size_t i = 0; i < words.size();) {
    const Pattern* best = nullptr;
    for (const Pattern& p : patterns_) {
      if (i + p.words.size() > words.size()) continue;
      if (best && p.words.size() <= best->words.size()) continue;
      bool ok = true;
      for (std::size_t k = 0; ok && k < p.words.size(); ++k) {
        const TextWord& w = words[i + k];
        if (w.link || w.number) {
          ok = false;
        } else if (p.prefix[k]) {
          ok = w.folded.size() >= p.words[k].size() &&
               w.folded.compare(0, p.words[k].size(), p.words[k]) == 0;
        } else {
          ok = w.folded == p.words[k];
        }
      }
      if (ok) best = &p;
    }
    if (best) {
      hits.push_back({i, best->words.size(), best->hint});
      i += best->words.size();
    } else {
      ++i;
    }
  }
  return hits;
}

}  // namespace mailgate::templates
