#pragma once
/// Registration numbers: "УПК-{year}-{seq:06}" → "УПК-2026-000123".

#include <optional>
#include <string>

namespace mailgate::storage {

/// Formats a number. Placeholders: {year}, {seq}, {seq:0N} (zero-padded to N digits).
std::string format_regno(const std::string& pattern, int year, int seq);

/// Why a pattern is unusable (an unknown placeholder, no {seq}), or nothing if it is fine.
std::optional<std::string> regno_pattern_problem(const std::string& pattern);

}  // namespace mailgate::storage
