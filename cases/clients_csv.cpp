#include "cases/clients_csv.hpp"

#include "cases/channel_requests.hpp"
#include "mail/syntax.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>

namespace mailgate::cases {
namespace {

using mail::lower_ascii;

/// One CSV record (RFC 4180: quotes, doubled quotes, line breaks inside quotes). `line` is
/// advanced past the record's line breaks so problems name the right line.
std::optional<std::vector<std::string>> next_record(const std::string& text, std::size_t& pos,
                                                    int& line, char sep) {
  if (pos >= text.size()) return std::nullopt;
  std::vector<std::string> fields(1);
  bool quoted = false;
  while (pos < text.size()) {
    char c = text[pos++];
    if (quoted) {
      if (c == '"' && pos < text.size() && text[pos] == '"') {
        fields.back() += '"';
        ++pos;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == sep) {
      fields.emplace_back();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
      ++line;
      return fields;
    } else {
      fields.back() += c;
    }
  }
  ++line;
  return fields;
}

std::string trim(std::string s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

// Excel in a Russian locale writes ';' between fields, elsewhere ','.
char separator_of(const std::string& text) {
  std::string first = text.substr(0, text.find('\n'));
  return std::count(first.begin(), first.end(), ';') > std::count(first.begin(), first.end(), ',')
             ? ';'
             : ',';
}

// The header row: each column's canonical name (email, full_name, ...).
std::vector<std::string> read_columns(const std::string& file_name,
                                      const std::vector<std::string>& header) {
  static const std::map<std::string, std::string> names = {
      {"email", "email"},
      {"e-mail", "email"},
      {"адрес", "email"},
      {"почта", "email"},
      {"full_name", "full_name"},
      {"фио", "full_name"},
      {"position", "position"},
      {"должность", "position"},
      {"position_category", "position_category"},
      {"категория", "position_category"},
      {"organisation", "organisation"},
      {"organization", "organisation"},
      {"организация", "organisation"},
      {"unit", "unit"},
      {"подразделение", "unit"},
      {"additional_channels", "additional_channels"},
      {"доп_каналы", "additional_channels"},
      {"дополнительные каналы", "additional_channels"},
  };
  // Cyrillic lower case: the header names above are already lower case; accept the
  // common capitalised forms as well.
  static const std::map<std::string, std::string> capitalised = {
      {"Адрес", "адрес"},
      {"Почта", "почта"},
      {"ФИО", "фио"},
      {"Должность", "должность"},
      {"Категория", "категория"},
      {"Организация", "организация"},
      {"Подразделение", "подразделение"},
      {"Дополнительные каналы", "дополнительные каналы"},
      {"Доп_каналы", "доп_каналы"}};
  std::vector<std::string> columns;
  for (const auto& h : header) {
    std::string key = trim(h);
    if (auto c = capitalised.find(key); c != capitalised.end()) key = c->second;
    auto it = names.find(lower_ascii(key));
    if (it == names.end()) {
      throw std::runtime_error(file_name + ":1: unknown column \"" + trim(h) +
                               "\" (expected email, full_name, position, position_category, "
                               "organisation, unit, additional_channels)");
    }
    columns.push_back(it->second);
  }
  if (std::find(columns.begin(), columns.end(), "email") == columns.end()) {
    throw std::runtime_error(file_name + ":1: no email column");
  }
  return columns;
}

// Several addresses separated by ";" or spaces (a "," would split the CSV field).
std::vector<std::string> split_channels(const std::string& v) {
  std::vector<std::string> out;
  std::string a;
  for (char ch : v + " ") {
    if (ch == ';' || ch == ' ' || ch == '\t') {
      if (!a.empty()) out.push_back(lower_ascii(a));
      a.clear();
    } else {
      a += ch;
    }
  }
  return out;
}

storage::ClientRow to_row(const std::vector<std::string>& columns,
                          const std::vector<std::string>& record) {
  storage::ClientRow row;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    std::string v = trim(record[i]);
    const auto& c = columns[i];
    if (c == "email") row.email = lower_ascii(v);
    if (c == "full_name") row.full_name = v;
    if (c == "position") row.position = v;
    if (c == "position_category") row.position_category = v;
    if (c == "organisation") row.organisation = v;
    if (c == "unit") row.unit = v;
    if (c == "additional_channels") row.additional_channels = split_channels(v);
  }
  return row;
}

// Why a row cannot be imported ("" when it can); `seen` holds the lines of earlier rows.
std::string row_problem(const std::vector<std::string>& columns,
                        const std::vector<std::string>& record, const storage::ClientRow& row,
                        const std::map<std::string, int>& seen) {
  if (std::any_of(row.additional_channels.begin(), row.additional_channels.end(),
                  [](const std::string& a) { return !plausible_address(a); })) {
    auto column = std::find(columns.begin(), columns.end(), "additional_channels");
    return "additional_channels: not e-mail addresses: \"" +
           trim(record[std::size_t(column - columns.begin())]) + "\"";
  }
  auto at = row.email.find('@');
  if (row.email.empty() || at == std::string::npos || at == 0 || at + 1 == row.email.size() ||
      row.email.find_first_of(" ,;<>\"") != std::string::npos) {
    return "not an e-mail address: \"" + row.email + "\"";
  }
  if (auto s = seen.find(row.email); s != seen.end()) {
    return row.email + " is already on line " + std::to_string(s->second);
  }
  return "";
}

}  // namespace

ClientsCsv parse_clients_csv(const std::string& file_name, const std::string& input) {
  std::string text = input;
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // Excel writes a BOM
  char sep = separator_of(text);
  std::size_t pos = 0;
  int line = 1;
  auto header = next_record(text, pos, line, sep);
  if (!header) throw std::runtime_error(file_name + ":1: the file is empty");
  std::vector<std::string> columns = read_columns(file_name, *header);

  ClientsCsv out;
  std::map<std::string, int> seen;
  while (true) {
    int record_line = line;
    auto record = next_record(text, pos, line, sep);
    if (!record) break;
    if (record->size() == 1 && trim((*record)[0]).empty()) continue;  // blank line
    auto where = file_name + ":" + std::to_string(record_line) + ": ";
    if (record->size() != columns.size()) {
      out.problems.push_back(where + "expected " + std::to_string(columns.size()) +
                             " fields, found " + std::to_string(record->size()));
      continue;
    }
    storage::ClientRow row = to_row(columns, *record);
    if (std::string problem = row_problem(columns, *record, row, seen); !problem.empty()) {
      out.problems.push_back(where + problem);
      continue;
    }
    seen[row.email] = record_line;
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace mailgate::cases
