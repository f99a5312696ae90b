#pragma once
/// Words and stems: how message text and rule words are brought to one form so that
/// «справка», «справки», «справку» compare equal. Text is UTF-8; words are lower-cased
/// (Cyrillic and Latin), ё is folded to е, and each word is stemmed with the Snowball
/// stemmer from libstemmer (Russian for words with Cyrillic letters, English for Latin-only
/// words; numbers stay as they are).

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mailgate::rules {

/// Hash and equality that let an unordered_map keyed by std::string be searched with a
/// string_view without building a temporary string.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
struct StringEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return a == b; }
};

/// Stems met in one text (or a few texts evaluated together), numbered from 0 so that later
/// lookups are integer work.
class StemTable {
 public:
  static constexpr std::uint32_t npos = UINT32_MAX;

  StemTable();
  /// Move-only: the stem memo remembers ids per table (by generation), so two tables must
  /// never share a generation while their contents differ.
  StemTable(StemTable&& other) noexcept;
  StemTable& operator=(StemTable&& other) noexcept;
  StemTable(const StemTable&) = delete;
  StemTable& operator=(const StemTable&) = delete;

  /// Unique to this table's contents; see ThreadStemmer in text.cpp.
  std::uint64_t generation() const { return generation_; }

  std::uint32_t intern(std::string_view stem);
  /// The stem's id, or npos if no word of the text has it.
  std::uint32_t find(std::string_view stem) const;
  std::string_view stem(std::uint32_t id) const { return *by_id_[id]; }
  std::size_t size() const { return by_id_.size(); }

 private:
  std::unordered_map<std::string, std::uint32_t, StringHash, StringEq> ids_;
  std::vector<const std::string*> by_id_;  ///< map keys do not move, so pointers stay valid
  std::uint64_t generation_;
};

/// One word of a text: its bytes in the original text and its stem.
struct Word {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::uint32_t stem = 0;  ///< id in the StemTable the text was stemmed into
};

/// Lower case with ё folded to е: the form words are compared in before stemming. Characters
/// outside Cyrillic and Latin pass through unchanged.
std::string fold_case(std::string_view utf8);

/// The stem of one folded word.
std::string stem_word(std::string_view folded_word);

/// Splits `text` into words and stems them into `table`. Words are runs of letters and
/// digits; a stress mark or a soft hyphen inside a word is skipped, anything else ends it.
/// Stems are memoised per thread, so a word form is stemmed once however often it occurs.
std::vector<Word> stem_text(std::string_view text, StemTable& table);

/// The stems of a word or phrase as a rule writes it: "справки о доходах" gives
/// {"справк", "о", "доход"}.
std::vector<std::string> stem_phrase(std::string_view text);

/// Forgets the memoised stems of this thread (the benchmark uses it to time a cold start).
void clear_stem_cache();

}  // namespace mailgate::rules
