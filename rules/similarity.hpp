#pragma once
/// How alike two texts are, for spotting a repeated appeal (59-FZ art. 11 p. 5: the same
/// question again with no new arguments). The measure is the Jaccard index of the sets of
/// content stems: word order, endings, dates, numbers and the little words do not count.

#include <string>
#include <string_view>
#include <unordered_set>

#include "rules/prepared.hpp"

namespace mailgate::rules {

using StemSet = std::unordered_set<std::string>;

/// The content stems of the appeal's subject and body.
StemSet stem_set(const PreparedAppeal& appeal);
/// The content stems of a text.
StemSet stem_set(std::string_view text);

/// |a ∩ b| / |a ∪ b|, 0 when both are empty.
double jaccard(const StemSet& a, const StemSet& b);

}  // namespace mailgate::rules
