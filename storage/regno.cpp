#include "storage/regno.hpp"

#include <stdexcept>

namespace mailgate::storage {
namespace {

/// Walks the pattern; calls `on_text` for literal text and `on_field` for each {…}.
template <typename Text, typename Field>
void walk(const std::string& pattern, Text on_text, Field on_field) {
  std::size_t i = 0;
  while (i < pattern.size()) {
    std::size_t open = pattern.find('{', i);
    if (open == std::string::npos) {
      on_text(pattern.substr(i));
      return;
    }
    on_text(pattern.substr(i, open - i));
    std::size_t close = pattern.find('}', open);
    if (close == std::string::npos) throw std::invalid_argument("unclosed '{'");
    on_field(pattern.substr(open + 1, close - open - 1));
    i = close + 1;
  }
}

int seq_width(const std::string& field) {
  if (field == "seq") return 0;
  if (field.rfind("seq:0", 0) == 0 && field.size() > 5) {
    int w = 0;
    for (char c : field.substr(5)) {
      if (c < '0' || c > '9') throw std::invalid_argument("bad width in {" + field + "}");
      w = w * 10 + (c - '0');
      if (w > 20) throw std::invalid_argument("width too large in {" + field + "}");
    }
    return w;
  }
  throw std::invalid_argument("unknown placeholder {" + field + "}");
}

}  // namespace

std::string format_regno(const std::string& pattern, int year, int seq) {
  std::string out;
  walk(
      pattern, [&](const std::string& t) { out += t; },
      [&](const std::string& f) {
        if (f == "year") {
          out += std::to_string(year);
          return;
        }
        std::string digits = std::to_string(seq);
        int width = seq_width(f);
        if (static_cast<int>(digits.size()) < width) {
          digits.insert(0, static_cast<std::size_t>(width) - digits.size(), '0');
        }
        out += digits;
      });
  return out;
}

std::optional<std::string> regno_pattern_problem(const std::string& pattern) {
  bool has_seq = false;
  try {
    walk(
        pattern, [](const std::string&) {},
        [&](const std::string& f) {
          if (f == "year") return;
          seq_width(f);
          has_seq = true;
        });
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  if (!has_seq) return "must contain {seq} or {seq:0N}";
  return std::nullopt;
}

}  // namespace mailgate::storage
