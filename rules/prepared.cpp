#include "rules/prepared.hpp"

#include <cstdint>

namespace mailgate::rules {

void PreparedField::index(std::size_t stems) {
  // Counting sort by stem: two passes over the words and no allocation per stem.
  first_.assign(stems + 1, 0);
  for (const Word& w : words) ++first_[w.stem + 1];
  for (std::size_t i = 1; i < first_.size(); ++i) first_[i] += first_[i - 1];
  positions_.resize(words.size());
  std::vector<std::uint32_t> next(first_.begin(), first_.end() - 1);
  for (std::size_t i = 0; i < words.size(); ++i) {
    positions_[next[words[i].stem]++] = std::uint32_t(i);
  }
}

std::string_view profile_text(const ClientProfile& profile, ProfileField field) {
  switch (field) {
    case ProfileField::full_name:
      return profile.full_name;
    case ProfileField::position:
      return profile.position;
    case ProfileField::position_category:
      return profile.position_category;
    case ProfileField::organisation:
      return profile.organisation;
    case ProfileField::unit:
      return profile.unit;
  }
  return {};
}

PreparedAppeal prepare(const Appeal& appeal) {
  PreparedAppeal p;
  p.appeal = &appeal;
  auto stem = [&](PreparedField& field, std::string_view text) {
    // Word offsets are 32-bit; the parser's limits keep messages far below 4 GB anyway.
    field.text = text.substr(0, UINT32_MAX);
    field.words = stem_text(field.text, p.stems);
  };
  if (appeal.message != nullptr) {
    stem(p.subject, appeal.message->subject);
    stem(p.body, appeal.message->text);
  }
  for (std::size_t f = 0; f < kProfileFields; ++f) {
    stem(p.profile[f], profile_text(appeal.profile, ProfileField(f)));
  }
  // Indexed only now: the index is sized by the stem table, which every field adds to.
  p.subject.index(p.stems.size());
  p.body.index(p.stems.size());
  for (auto& field : p.profile) field.index(p.stems.size());
  return p;
}

}  // namespace mailgate::rules
