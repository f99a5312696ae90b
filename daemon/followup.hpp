#pragma once
/// Recognising mail about an existing case: the case tag in a subject ("[УПК-2026-000123]")
/// and the Message-IDs a reply refers to. Pure: the daemon looks the results up in storage.

#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "mail/message.hpp"

namespace mailgate::daemon {

/// Finds "[REGNO]" tags for a registration-number pattern such as "УПК-{year}-{seq:06}".
class CaseTagFinder {
 public:
  explicit CaseTagFinder(const std::string& pattern);
  /// The registration numbers tagged in `subject`, in order, each once.
  std::vector<std::string> find(std::string_view subject) const;
  /// "[REGNO] " + subject, unless the subject carries that tag already.
  static std::string tagged(const std::string& regno, const std::string& subject);

 private:
  std::regex tag_;
};

/// In-Reply-To first, then References newest first: the ids a reply refers to.
std::vector<std::string> referenced_ids(const mail::Message& m);

}  // namespace mailgate::daemon
