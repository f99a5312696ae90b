#pragma once
/// Канцеляризмы and newspaper clichés: the list format and the matcher.
///
/// The list is data (templates/lint/cliches.txt, compiled into the binary; TemplateSet::load
/// and check_plain_language also take any other list). One entry per line; "#" starts a comment. An
/// entry is one or more words that must follow each other in one sentence. A word ending in "*"
/// matches any word that starts with it, which tolerates Russian inflection ("осуществ*" finds
/// "осуществлять", "осуществляется", "осуществлено"); a word without "*" matches only itself.
/// Case and ё/е do not matter. After " = " an entry may say what to write instead; the lint
/// message shows it.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "templates/sentences.hpp"

namespace mailgate::templates {

/// The entries of a list, comments and blank lines dropped, spaces collapsed:
/// "в целях = чтобы, для".
std::vector<std::string> parse_cliche_list(std::string_view text);

/// The text of templates/lint/cliches.txt as built into the binary.
std::string_view shipped_cliche_list();

/// One cliché found in a run of words.
struct ClicheHit {
  std::size_t first = 0;  ///< index of its first word
  std::size_t count = 0;  ///< number of words
  std::string hint;       ///< what to write instead (may be empty)
};

class ClicheMatcher {
 public:
  explicit ClicheMatcher(const std::vector<std::string>& entries);

  /// Non-overlapping hits, left to right; at one position the longest entry wins.
  std::vector<ClicheHit> find(const std::vector<TextWord>& words) const;

 private:
  struct Pattern {
    std::vector<std::string> words;  ///< folded, without the "*"
    std::vector<bool> prefix;
    std::string hint;
  };
  std::vector<Pattern> patterns_;
};

}  // namespace mailgate::templates
