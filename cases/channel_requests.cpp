#include "cases/channel_requests.hpp"

#include <algorithm>
#include <cctype>

#include "base/text.hpp"
#include "mail/address_rule.hpp"

namespace mailgate::cases {
namespace {

using base::lower_ru;

// Refused addresses the client is told about: a few, each cut short (a hostile letter may
// carry hundreds of lines).
constexpr std::size_t kMaxRefused = 5;
constexpr std::size_t kMaxRefusedShown = 100;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool address_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || std::string_view("._%+-@'").find(c) != std::string_view::npos;
}

// What looks like an address starting at `pos` (after white space, an optional '<' or ':'),
// deliverable or not; "" when there is nothing with an '@' there.
std::string candidate_at(std::string_view s, std::size_t pos) {
  while (pos < s.size() && (is_space(s[pos]) || s[pos] == '<' || s[pos] == ':')) ++pos;
  std::size_t end = pos;
  while (end < s.size() && address_char(s[end])) ++end;
  std::string a(s.substr(pos, end - pos));
  while (!a.empty() && (a.back() == '.' || a.back() == '\'' || a.back() == '-')) a.pop_back();
  return a.find('@') == std::string::npos ? std::string() : a;
}

// The address starting at `pos`, or "" when there is none we can write to.
std::string address_at(std::string_view s, std::size_t pos) {
  std::string a = candidate_at(s, pos);
  return plausible_address(a) ? a : std::string();
}

// White space runs become one space, so phrases match across line breaks.
std::string squeeze(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (is_space(c)) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

void add_once(std::vector<std::string>& list, const std::string& a) {
  if (std::find(list.begin(), list.end(), a) == list.end()) list.push_back(a);
}

}  // namespace

bool plausible_address(std::string_view a) { return mail::deliverable_address(a); }

std::vector<std::string> default_request_phrases() {
  return {
      "прошу продублировать ответ на адрес",   "прошу продублировать ответ на",
      "прошу дублировать ответ на адрес",      "прошу дублировать ответ на",
      "продублируйте ответ на адрес",          "продублируйте ответ на",
      "прошу также направить ответ на адрес",  "прошу также направить ответ на",
      "копию ответа прошу направить на адрес", "копию ответа прошу направить на",
  };
}

ChannelRequests find_channel_requests(std::string_view text,
                                      const std::vector<std::string>& request_phrases) {
  ChannelRequests out;
  std::string unquoted;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    std::size_t first = line.find_first_not_of(" \t");
    bool quoted = first != std::string_view::npos && line[first] == '>';
    if (!quoted) {
      std::string lower = lower_ru(line);
      const std::string key = "дополнительный канал";
      std::size_t k = lower.find(key);
      if (k != std::string::npos) {
        std::size_t after = k + key.size();
        std::size_t colon = lower.find(':', after);
        if (colon != std::string::npos &&
            lower.find_first_not_of(" \t", after) == colon) {  // "канал:" or "канал :"
          std::size_t p = lower.find_first_not_of(" \t", colon + 1);
          const std::string remove = "удалить";
          if (p != std::string::npos && lower.compare(p, remove.size(), remove) == 0) {
            std::string a = address_at(lower, p + remove.size());
            if (!a.empty()) add_once(out.remove, a);
          } else {
            std::string a = candidate_at(lower, colon + 1);
            if (plausible_address(a)) {
              add_once(out.add, a);
            } else if (!a.empty() && out.refused.size() < kMaxRefused) {
              // Told to the client, so a typo is not lost silently (issue 12, item 2).
              add_once(out.refused, a.substr(0, kMaxRefusedShown));
            }
          }
        }
      }
      unquoted.append(line);
      unquoted += '\n';
    }
    if (end == text.size()) break;
    start = end + 1;
  }
  std::string body = squeeze(lower_ru(unquoted));
  for (const auto& phrase : request_phrases) {
    std::string p = squeeze(lower_ru(phrase));
    if (p.empty()) continue;
    for (std::size_t at = body.find(p); at != std::string::npos; at = body.find(p, at + 1)) {
      std::string a = address_at(body, at + p.size());
      if (!a.empty()) add_once(out.add, a);
    }
  }
  // Asked to remove: not added by another line of the same message.
  std::erase_if(out.add, [&](const std::string& a) {
    return std::find(out.remove.begin(), out.remove.end(), a) != out.remove.end();
  });
  return out;
}

}  // namespace mailgate::cases
