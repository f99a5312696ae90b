#include "rules/regex_bank.hpp"

#include <re2/re2.h>
#include <re2/set.h>

namespace mailgate::rules {

namespace {

// The sets compile every pattern of a field into one automaton; give it room for a
// thousand patterns. If a message still exhausts it, matching falls back to one pattern at
// a time (slower, same answers).
constexpr int64_t kSetMemory = 64 << 20;

RE2::Options options(bool case_sensitive) {
  RE2::Options o;
  o.set_encoding(RE2::Options::EncodingUTF8);
  o.set_case_sensitive(case_sensitive);
  o.set_log_errors(false);
  return o;
}

}  // namespace

struct RegexBank::FieldSet {
  FieldSet() : set(with_memory(options(true)), RE2::UNANCHORED) {}
  static RE2::Options with_memory(RE2::Options o) {
    o.set_max_mem(kSetMemory);
    return o;
  }
  RE2::Set set;
  std::vector<std::size_t> members;  ///< set index -> bank index
  bool compiled = false;
};

RegexBank::RegexBank()
    : subject_(std::make_unique<FieldSet>()), body_(std::make_unique<FieldSet>()) {}
RegexBank::~RegexBank() = default;

std::optional<std::size_t> RegexBank::add(const std::string& pattern, bool case_sensitive,
                                          TextField field, std::string& error) {
  // One set holds patterns of both kinds, so case-insensitivity travels inside the pattern.
  auto re = std::make_unique<RE2>(pattern, options(case_sensitive));
  if (!re->ok()) {
    error = re->error();
    return std::nullopt;
  }
  std::string written = case_sensitive ? pattern : "(?i)" + pattern;
  std::size_t index = regexes_.size();
  for (FieldSet* fs : {subject_.get(), body_.get()}) {
    bool wanted =
        field == TextField::text || (fs == subject_.get()) == (field == TextField::subject);
    if (!wanted) continue;
    std::string set_error;
    if (fs->set.Add(written, &set_error) < 0) {
      error = set_error;
      return std::nullopt;
    }
    fs->members.push_back(index);
  }
  regexes_.push_back(std::move(re));
  return index;
}

void RegexBank::finish() {
  for (FieldSet* fs : {subject_.get(), body_.get()}) {
    fs->compiled = !fs->members.empty() && fs->set.Compile();
  }
}

std::vector<bool> RegexBank::match_field(std::string_view text, bool subject) const {
  const FieldSet& fs = subject ? *subject_ : *body_;
  std::vector<bool> result(regexes_.size(), false);
  if (fs.members.empty()) return result;
  std::vector<int> hits;
  RE2::Set::ErrorInfo info{};
  if (fs.compiled && (fs.set.Match(re2::StringPiece(text.data(), text.size()), &hits, &info) ||
                      info.kind == RE2::Set::kNoError)) {
    for (int h : hits) result[fs.members[std::size_t(h)]] = true;
    return result;
  }
  for (std::size_t i : fs.members) {
    result[i] = RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *regexes_[i]);
  }
  return result;
}

std::optional<std::string_view> RegexBank::find(std::size_t i, std::string_view text) const {
  re2::StringPiece input(text.data(), text.size()), match;
  if (!regexes_[i]->Match(input, 0, input.size(), RE2::UNANCHORED, &match, 1)) return std::nullopt;
  return std::string_view(match.data(), match.size());
}

}  // namespace mailgate::rules
