// Looking up existing cases: for follow-ups (by the tag in a subject, or by one of our
// Message-IDs a reply refers to) and for officers' commands.
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "storage/pq_util.hpp"
#include "storage/store.hpp"

namespace mailgate::storage {
using namespace detail;

namespace {

// The columns read_case() expects, after a leading key column.
const char* const kCaseColumns =
    "c.id, c.regno, c.status, coalesce(c.officer, ''), coalesce(c.unit, ''),"
    " coalesce(m.subject, ''), lower(coalesce(m.from_address, '')),"
    " coalesce((SELECT jsonb_agg(ch.address ORDER BY ch.kind = 'additional', ch.added_at)"
    "   FROM case_channels ch WHERE ch.case_id = c.id AND ch.removed_at IS NULL), '[]')::text,"
    " coalesce(m.message_id, '')";

CaseRef read_case(const pqxx::row& row) {
  CaseRef c;
  c.id = row[1].as<std::int64_t>();
  c.regno = row[2].as<std::string>();
  c.status = row[3].as<std::string>();
  c.officer = row[4].as<std::string>();
  c.unit = row[5].as<std::string>();
  c.subject = row[6].as<std::string>();
  c.client_address = row[7].as<std::string>();
  c.channels = nlohmann::json::parse(row[8].as<std::string>()).get<std::vector<std::string>>();
  c.first_message_id = row[9].as<std::string>();
  return c;
}

}  // namespace

std::map<std::string, CaseRef> Store::cases_by_regno(const std::vector<std::string>& regnos) {
  return guarded("look up cases", [&] {
    std::map<std::string, CaseRef> out;
    if (regnos.empty()) return out;
    pqxx::read_transaction t(*conn_);
    for (const auto& row :
         t.exec_params(std::string("SELECT c.regno, ") + kCaseColumns +
                           " FROM cases c JOIN messages m ON m.id = c.message_id"
                           " WHERE c.regno = ANY (SELECT jsonb_array_elements_text($1::jsonb))",
                       strings(regnos).dump())) {
      out[row[0].as<std::string>()] = read_case(row);
    }
    return out;
  });
}

std::map<std::string, CaseRef> Store::cases_by_our_message_id(const std::vector<std::string>& ids) {
  return guarded("look up cases by Message-ID", [&] {
    std::map<std::string, CaseRef> out;
    if (ids.empty()) return out;
    pqxx::read_transaction t(*conn_);
    for (const auto& row : t.exec_params(
             std::string("SELECT o.message_id, ") + kCaseColumns +
                 " FROM outbox o JOIN cases c ON c.id = o.case_id"
                 " JOIN messages m ON m.id = c.message_id"
                 " WHERE o.message_id = ANY (SELECT jsonb_array_elements_text($1::jsonb))",
             strings(ids).dump())) {
      out[row[0].as<std::string>()] = read_case(row);
    }
    return out;
  });
}

}  // namespace mailgate::storage
