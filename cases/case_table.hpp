#pragma once
/// How `mailgate case list` shows cases: an aligned table for people, JSON lines for tools.

#include <string>
#include <vector>

#include "storage/store.hpp"

namespace mailgate::cases {

/// Case flags in the officer's words ("автоответ", "ссылается на УПК-2026-000001").
std::string flag_text(const std::vector<std::string>& flags);

std::string case_table(const std::vector<storage::CaseSummary>& cases);
std::string case_json(const storage::CaseSummary& c);

/// Display width of UTF-8 text in a terminal (one column per code point; good enough for
/// Cyrillic and Latin, which is what the table shows).
std::size_t display_width(const std::string& utf8);

}  // namespace mailgate::cases
