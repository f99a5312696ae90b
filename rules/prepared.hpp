#pragma once
/// An appeal made ready for matching, once per message: the subject, body and profile fields
/// split into words and stemmed, with an index from each stem to where it occurs. Every rule
/// then matches words by integer lookups instead of stemming the text again.

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "rules/appeal.hpp"
#include "rules/text.hpp"

namespace mailgate::rules {

struct PreparedField {
  std::string_view text;  ///< the original text, for quoting what matched
  std::vector<Word> words;

  /// Word positions (indexes into `words`) of the stem with this id, in text order.
  std::span<const std::uint32_t> occurrences(std::uint32_t stem) const {
    if (stem + 1 >= first_.size()) return {};
    return {positions_.data() + first_[stem], positions_.data() + first_[stem + 1]};
  }
  /// Builds the stem index; `stems` is the size of the stem table after all fields were
  /// stemmed.
  void index(std::size_t stems);
  /// The original text of words [from, to], "справку о доходах".
  std::string_view quote(std::size_t from, std::size_t to) const {
    return text.substr(words[from].begin, words[to].end - words[from].begin);
  }

 private:
  std::vector<std::uint32_t> first_;  ///< stem id -> start in positions_ (one past the end too)
  std::vector<std::uint32_t> positions_;
};

/// The client-directory fields a rule can look at.
enum class ProfileField { full_name, position, position_category, organisation, unit };
inline constexpr std::size_t kProfileFields = 5;

struct PreparedAppeal {
  const Appeal* appeal = nullptr;
  StemTable stems;
  PreparedField subject;
  PreparedField body;
  std::array<PreparedField, kProfileFields> profile;

  const PreparedField& profile_field(ProfileField f) const { return profile[std::size_t(f)]; }
};

/// Stems the appeal's texts. The result points into `appeal` and its message, which must
/// outlive it.
PreparedAppeal prepare(const Appeal& appeal);

/// The text of a profile field of the appeal.
std::string_view profile_text(const ClientProfile& profile, ProfileField field);

}  // namespace mailgate::rules
