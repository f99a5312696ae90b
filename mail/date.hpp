#pragma once
/// RFC 5322 Date header values, including the obsolete forms still sent by old software.

#include <optional>
#include <string>
#include <string_view>

namespace mailgate::mail {

/// Parses a Date value into ISO 8601 with an offset ("2026-03-25T17:19:02+03:00").
/// Accepts: optional day name, 2/3/4-digit years (obs-year: 49 -> 2049, 50 -> 1950,
/// 103 -> 2003), missing seconds, comments and folding anywhere, numeric zones with or without
/// a colon, zone names (UT, GMT, UTC, Z, the US zones of RFC 822, MSK/MSD and other common
/// abbreviations; unknown names and military letters count as +00:00, as RFC 5322 says),
/// month names in full, "DD-Mon-YYYY", asctime ("Wed Mar 25 17:19:02 2026") and ISO-like
/// "2026-03-25 17:19:02 +0300". nullopt if no valid date and time can be read.
std::optional<std::string> parse_date(std::string_view raw);

}  // namespace mailgate::mail
