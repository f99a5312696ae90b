#pragma once
/// Recognising mail about an existing case: the case tag in a subject ("[УПК-2026-000123]")
/// and the Message-IDs a reply refers to. Pure: the daemon looks the results up in storage.

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mail/message.hpp"

namespace mailgate::cases {

/// Finds "[REGNO]" tags for a registration-number pattern such as "УПК-{year}-{seq:06}".
class CaseTagFinder {
 public:
  explicit CaseTagFinder(const std::string& pattern);
  /// The registration numbers tagged in `subject`, in order, each once.
  std::vector<std::string> find(std::string_view subject) const;
  /// "[REGNO] " + subject, unless the subject carries that tag already.
  static std::string tagged(const std::string& regno, const std::string& subject);

 private:
  /// The pattern's pieces: literal text, or a run of digits with a minimum and maximum
  /// length ({year}: exactly 4; {seq:0N}: 1 or more, a padded number may outgrow N).
  struct Digits {
    std::size_t min = 1;
    std::size_t max = std::string::npos;
  };
  using Piece = std::variant<std::string, Digits>;
  std::vector<Piece> pieces_;
  /// Where a tag body that starts at `at` ends if it matches pieces_[i...], else npos.
  std::size_t match(std::string_view s, std::size_t at, std::size_t i) const;
};

/// In-Reply-To first, then References newest first: the ids a reply refers to.
std::vector<std::string> referenced_ids(const mail::Message& m);

}  // namespace mailgate::cases
