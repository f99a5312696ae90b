#pragma once
/// The regular expressions of a rule set, compiled once with RE2. RE2 rather than std::regex:
/// it matches UTF-8 with Unicode case folding (std::regex cannot fold Cyrillic in UTF-8),
/// runs in time linear in the text whatever the pattern (the text is untrusted mail), and
/// matches all patterns of a field in one pass with RE2::Set, so 1,000 regex rules cost one
/// scan of a message rather than 1,000.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.hpp"

// RE2::Set is a nested class and cannot be declared ahead; it lives in FieldSet (the .cpp).
namespace re2 {
class RE2;
}  // namespace re2

namespace mailgate::rules {

class RegexBank {
 public:
  RegexBank();
  ~RegexBank();
  RegexBank(const RegexBank&) = delete;
  RegexBank& operator=(const RegexBank&) = delete;

  /// Compiles a pattern for the given field; returns its index, or sets `error` to RE2's
  /// reason and returns nullopt.
  std::optional<std::size_t> add(const std::string& pattern, bool case_sensitive, TextField field,
                                 std::string& error);
  /// Builds the per-field sets; call once after the last add().
  void finish();

  std::size_t size() const { return regexes_.size(); }

  /// Which patterns of the subject (or body) set match `text`: result[i] for pattern i
  /// (patterns of the other field are false).
  std::vector<bool> match_field(std::string_view text, bool subject) const;
  /// The first fragment pattern i matches in `text`, if any.
  std::optional<std::string_view> find(std::size_t i, std::string_view text) const;

 private:
  struct FieldSet;
  std::vector<std::unique_ptr<re2::RE2>> regexes_;
  std::unique_ptr<FieldSet> subject_;
  std::unique_ptr<FieldSet> body_;
};

}  // namespace mailgate::rules
