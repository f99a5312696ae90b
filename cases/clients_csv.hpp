#pragma once
/// The client directory as administrators keep it: a UTF-8 CSV file with a header row.

#include <string>
#include <vector>

#include "storage/store.hpp"

namespace mailgate::cases {

struct ClientsCsv {
  std::vector<storage::ClientRow> rows;
  std::vector<std::string> problems;  ///< "file:line: reason", one per skipped row
};

/// Columns (English or Russian header names, any order): email|адрес|почта,
/// full_name|фио, position|должность, position_category|категория,
/// organisation|organization|организация, unit|подразделение,
/// additional_channels|доп_каналы|дополнительные каналы (addresses separated by ";" or
/// spaces: every answer is also sent there, R3). Only email is required.
/// Throws std::runtime_error ("file:1: ...") when the header itself is unusable.
ClientsCsv parse_clients_csv(const std::string& file_name, const std::string& text);

}  // namespace mailgate::cases
