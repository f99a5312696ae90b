#pragma once
/// RFC 5322 address lists (From, To, Cc, Reply-To) as mail clients really write them.

#include <string>
#include <string_view>
#include <vector>

#include "mail/message.hpp"

namespace mailgate::mail {

/// Parses an address list leniently, in one pass: quoted display names with escapes, encoded
/// words in plain and in quoted names (Outlook quotes them), raw 8-bit names in a detected
/// charset, comments (an old-style "addr (Full Name)" comment becomes the name when there is no
/// other), groups ("Team: a@x, b@y;" yields the members, an empty group nothing), source routes,
/// a missing closing '>', addresses that lost their separating comma. Entries without any
/// address are dropped, except an explicit "<>" (the null sender of a bounce).
std::vector<Address> parse_address_list(std::string_view raw,
                                        std::vector<std::string>* defects = nullptr,
                                        std::string_view what = {}, std::string_view hint = {});

}  // namespace mailgate::mail
