// Channel requests waiting for the client's confirmation (issue 12, item 3) and the count
// of recent automatic mail the hourly caps need (item 4).
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "storage/pq_util.hpp"
#include "storage/store.hpp"

namespace mailgate::storage {
using namespace detail;

void record_channel_requests(pqxx::work& w, std::int64_t case_id, const Incoming& in) {
  // A new request supersedes an older one for the same address (the planner only asks
  // again when it no longer sees the old one, e.g. once it is too old), so the code the new
  // confirmation mail carries is the one that counts.
  for (const auto& p : in.pending_channels) {
    w.exec_params(
        "UPDATE channel_confirmations SET state = 'expired', decided_at = now()"
        " WHERE case_id = $1 AND address = lower($2) AND state = 'pending'",
        case_id, clean(p.address));
    w.exec_params(
        "WITH r AS (INSERT INTO channel_confirmations (case_id, address, code)"
        " VALUES ($1, lower($2), $3) RETURNING address)"
        " INSERT INTO case_events (case_id, kind, detail)"
        " SELECT $1, 'channel_requested', jsonb_build_object('address', r.address) FROM r",
        case_id, clean(p.address), clean(p.code));
  }
  auto decide = [&](const std::string& address, const char* state) {
    w.exec_params(
        "UPDATE channel_confirmations SET state = $3, decided_at = now()"
        " WHERE case_id = $1 AND address = lower($2) AND state = 'pending'",
        case_id, clean(address), std::string(state));
  };
  for (const auto& a : in.confirmed_channels) decide(a, "confirmed");
  for (const auto& a : in.cancelled_channels) decide(a, "cancelled");
}

AutoMailCount Store::auto_mail_since(const std::vector<std::string>& kinds, TimePoint since) {
  return guarded("count automatic mail", [&] {
    AutoMailCount out;
    pqxx::read_transaction t(*conn_);
    for (const auto& row :
         t.exec_params("SELECT lower(recipient), count(*) FROM outbox"
                       " WHERE kind = ANY (SELECT jsonb_array_elements_text($1::jsonb))"
                       " AND created_at >= to_timestamp($2) GROUP BY 1",
                       strings(kinds).dump(), epoch_seconds(since))) {
      int n = row[1].as<int>();
      out.total += n;
      out.by_recipient[row[0].as<std::string>()] = n;
    }
    return out;
  });
}

std::map<std::int64_t, std::vector<PendingChannel>> Store::pending_channels(
    const std::vector<std::int64_t>& case_ids, std::chrono::hours max_age) {
  return guarded("read channel requests", [&] {
    std::map<std::int64_t, std::vector<PendingChannel>> out;
    if (case_ids.empty()) return out;
    nlohmann::json ids = case_ids;
    pqxx::read_transaction t(*conn_);
    for (const auto& row : t.exec_params(
             "SELECT case_id, address, code FROM channel_confirmations"
             " WHERE state = 'pending' AND requested_at > now() - make_interval(hours => $2)"
             " AND case_id = ANY (SELECT (jsonb_array_elements_text($1::jsonb))::bigint)"
             " ORDER BY id",
             ids.dump(), static_cast<int>(max_age.count()))) {
      out[row[0].as<std::int64_t>()].push_back(
          {row[1].as<std::string>(), row[2].as<std::string>()});
    }
    return out;
  });
}

}  // namespace mailgate::storage
