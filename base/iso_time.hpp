#pragma once
/// Moments typed by administrators on the command line.

#include <chrono>
#include <optional>
#include <string>

namespace mailgate::base {

/// "2026-04-30T14:00:00+03:00", "2026-04-30T14:00Z", "2026-04-30 14:00" or "2026-04-30".
/// Without an offset the time is local at `default_offset` (a bare date is its 00:00).
std::optional<std::chrono::sys_seconds> parse_iso_time(const std::string& text,
                                                       std::chrono::minutes default_offset);

}  // namespace mailgate::base
