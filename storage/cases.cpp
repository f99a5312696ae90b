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
    " coalesce(m.message_id, ''), coalesce(m.from_name, ''),"
    " extract(epoch FROM c.registered_at)::float8, extract(epoch FROM c.deadline)::float8,"
    " coalesce(c.term, ''), coalesce(c.urgency, ''), c.extended_days, coalesce(m.body_text, '')";

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
  c.client_name = row[10].as<std::string>();
  auto at = [](double epoch) {
    return TimePoint(
        std::chrono::duration_cast<TimePoint::duration>(std::chrono::duration<double>(epoch)));
  };
  c.registered_at = at(row[11].as<double>());
  if (!row[12].is_null()) c.deadline = at(row[12].as<double>());
  c.term = row[13].as<std::string>();
  c.urgency = row[14].as<std::string>();
  if (!row[15].is_null()) c.extended_days = row[15].as<int>();
  c.text = row[16].as<std::string>();
  return c;
}

}  // namespace

void apply_case_update(pqxx::work& w, std::int64_t case_id, const CaseUpdate& u) {
  w.exec_params(
      "UPDATE cases SET"
      " status = coalesce(nullif($2, ''), status),"
      " outcome = coalesce(nullif($3, ''), outcome),"
      " closed_at = CASE WHEN $4 THEN now() ELSE closed_at END,"
      // Written once: a second extension keeps the deadline the case was registered with.
      " original_deadline = CASE WHEN $6::int IS NOT NULL THEN coalesce(original_deadline,"
      "   deadline) ELSE original_deadline END,"
      " deadline = coalesce(to_timestamp($5), deadline),"
      " extended_days = coalesce($6::int, extended_days),"
      " officer = coalesce(nullif($7, ''), officer),"
      " forwarded_to = coalesce(nullif($8, ''), forwarded_to),"
      " forwarded_at = CASE WHEN $8 <> '' THEN now() ELSE forwarded_at END"
      " WHERE id = $1",
      case_id, u.status, u.outcome, u.close,
      u.deadline ? std::optional<double>(epoch_seconds(*u.deadline)) : std::optional<double>(),
      u.extended_days, clean(u.officer), clean(u.forwarded_to));
  if (!u.event_kind.empty()) {
    w.exec_params("INSERT INTO case_events (case_id, kind, detail) VALUES ($1, $2, $3::jsonb)",
                  case_id, u.event_kind, clean(u.event_detail));
  }
}

bool apply_command_update(pqxx::work& w, std::int64_t case_id, const CaseUpdate& u) {
  if (u.expected_status.empty()) {
    apply_case_update(w, case_id, u);
    return true;
  }
  // The console's row lock and status guard (Store::act), and each command once.
  auto r = w.exec_params("SELECT status FROM cases WHERE id = $1 FOR UPDATE", case_id);
  if (r.empty() || r[0][0].as<std::string>() != u.expected_status) return false;
  auto once = w.exec_params(
      "INSERT INTO executed_commands (case_id, message_id, digest) VALUES ($1, nullif($2, ''), $3)"
      " ON CONFLICT DO NOTHING RETURNING id",
      case_id, clean(u.command_message_id), u.command_digest);
  if (once.empty()) return false;
  apply_case_update(w, case_id, u);
  return true;
}

bool Store::command_executed(const std::string& message_id, const std::string& digest) {
  return guarded("look up executed commands", [&] {
    pqxx::read_transaction t(*conn_);
    auto r = t.exec_params(
        "SELECT 1 FROM executed_commands WHERE message_id = nullif($1, '') OR digest = $2 LIMIT 1",
        clean(message_id), digest);
    return !r.empty();
  });
}

bool Store::act(std::int64_t case_id, const std::string& expected_status, const CaseUpdate& update,
                const std::vector<OutboxItem>& mail) {
  return guarded("act on a case", [&] {
    pqxx::work w(*conn_);
    auto r = w.exec_params("SELECT status FROM cases WHERE id = $1 FOR UPDATE", case_id);
    if (r.empty() || r[0][0].as<std::string>() != expected_status) return false;
    apply_case_update(w, case_id, update);
    for (const auto& m : mail) queue_in(w, case_id, m);
    w.commit();
    return true;
  });
}

std::vector<Store::Event> Store::case_events(std::int64_t case_id, const std::string& timezone) {
  return guarded("read case history", [&] {
    std::vector<Event> out;
    pqxx::read_transaction t(*conn_);
    for (const auto& row : t.exec_params(
             "SELECT iso8601(at, $2), kind, detail::text FROM case_events WHERE case_id = $1"
             " ORDER BY id",
             case_id, timezone)) {
      out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>()});
    }
    return out;
  });
}

std::string Store::first_message_raw(std::int64_t case_id) {
  return guarded("read the case's message", [&] {
    pqxx::read_transaction t(*conn_);
    auto r = t.exec_params(
        "SELECT m.raw FROM cases c JOIN messages m ON m.id = c.message_id WHERE c.id = $1",
        case_id);
    if (r.empty()) return std::string();
    pqxx::binarystring raw(r[0][0]);
    return std::string(raw.get(), raw.size());
  });
}

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
