// The transactional outbox: rows are queued by the transaction that causes them
// (store.cpp's register_batch, queue() here) and sent one at a time by send_one.
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "storage/pq_util.hpp"
#include "storage/store.hpp"

namespace mailgate::storage {
using namespace detail;

// One statement (one round trip): the row and, for a case, its mail_queued event. Used by
// registration (its hot path), officers' actions and failure alerts alike.
void queue_in(pqxx::work& w, std::optional<std::int64_t> case_id, const OutboxItem& mail) {
  w.exec_params(
      "WITH o AS (INSERT INTO outbox (case_id, kind, channel, recipient, envelope_from,"
      " message_id, raw) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id)"
      " INSERT INTO case_events (case_id, kind, detail)"
      " SELECT $1, 'mail_queued', jsonb_build_object('outbox', o.id, 'kind', $2::text,"
      " 'channel', $3::text, 'to', $4::text, 'message_id', $6::text) FROM o"
      " WHERE $1 IS NOT NULL",
      case_id, mail.kind, mail.channel, clean(mail.recipient), clean(mail.envelope_from),
      clean(mail.message_id), pqxx::binarystring(mail.raw.data(), mail.raw.size()));
}

void Store::queue(std::optional<std::int64_t> case_id, const std::vector<OutboxItem>& mail) {
  guarded("queue mail", [&] {
    pqxx::work w(*conn_);
    for (const auto& m : mail) queue_in(w, case_id, m);
    w.commit();
    return 0;
  });
}

bool Store::send_one(const std::function<SendOutcome(const OutboxRow&)>& send, int suppress_days) {
  return guarded("send outbox mail", [&] {
    if (!outbox_prepared_) {
      // The row is chosen and locked first (the index walk stops at the first row no other
      // worker holds), then joined for the facts an alert needs.
      conn_->prepare(
          "claim_outbox",
          "WITH due AS (SELECT id FROM outbox WHERE status = 'pending'"
          " AND next_attempt_at <= now() ORDER BY next_attempt_at, id LIMIT 1"
          " FOR UPDATE SKIP LOCKED)"
          " SELECT o.id, o.case_id, o.kind, o.channel, o.recipient, o.envelope_from,"
          " o.message_id, o.raw, o.attempts, coalesce(c.regno, ''), coalesce(c.officer, ''),"
          " coalesce(c.unit, ''), coalesce(m.subject, '')"
          " FROM due JOIN outbox o ON o.id = due.id LEFT JOIN cases c ON c.id = o.case_id"
          " LEFT JOIN messages m ON m.id = c.message_id");
      outbox_prepared_ = true;
    }
    pqxx::work w(*conn_);
    // SKIP LOCKED: a row another worker holds is not waited for; that worker sends it.
    auto r = w.exec_prepared("claim_outbox");
    if (r.empty()) return false;
    OutboxRow row;
    row.id = r[0][0].as<std::int64_t>();
    if (!r[0][1].is_null()) row.case_id = r[0][1].as<std::int64_t>();
    row.kind = r[0][2].as<std::string>();
    row.channel = r[0][3].as<std::string>();
    row.recipient = r[0][4].as<std::string>();
    row.envelope_from = r[0][5].as<std::string>();
    row.message_id = r[0][6].as<std::string>();
    pqxx::binarystring raw(r[0][7]);
    row.raw.assign(raw.get(), raw.size());
    row.attempts = r[0][8].as<int>();
    row.regno = r[0][9].as<std::string>();
    row.officer = r[0][10].as<std::string>();
    row.unit = r[0][11].as<std::string>();
    row.subject = r[0][12].as<std::string>();

    SendOutcome outcome = send(row);
    nlohmann::json event = {{"outbox", row.id},
                            {"kind", row.kind},
                            {"channel", row.channel},
                            {"to", row.recipient},
                            {"message_id", row.message_id},
                            {"attempt", row.attempts + 1},
                            {"reply", clean(outcome.detail)}};
    using V = SendOutcome::Verdict;
    if (outcome.verdict == V::sent) {
      w.exec_params(
          "UPDATE outbox SET status = 'sent', sent_at = now(), attempts = attempts + 1,"
          " last_error = NULL WHERE id = $1",
          row.id);
    } else if (outcome.verdict == V::retry) {
      w.exec_params(
          "UPDATE outbox SET attempts = attempts + 1, last_error = $2,"
          " next_attempt_at = to_timestamp($3) WHERE id = $1",
          row.id, clean(outcome.detail), epoch_seconds(outcome.retry_at));
    } else {
      w.exec_params(
          "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = $2"
          " WHERE id = $1",
          row.id, clean(outcome.detail));
      if (outcome.suppress && suppress_days > 0) {
        w.exec_params(
            "INSERT INTO suppressed_addresses (address, reason, until)"
            " VALUES (lower($1), $2, now() + make_interval(days => $3))"
            " ON CONFLICT (address) DO UPDATE SET reason = EXCLUDED.reason,"
            " failed_at = now(), until = EXCLUDED.until",
            row.recipient, clean(outcome.detail), suppress_days);
      }
      for (const auto& alert : outcome.alerts) queue_in(w, row.case_id, alert);
    }
    if (row.case_id && outcome.verdict != V::retry) {
      w.exec_params("INSERT INTO case_events (case_id, kind, detail) VALUES ($1, $2, $3::jsonb)",
                    *row.case_id,
                    std::string(outcome.verdict == V::sent ? "mail_sent" : "mail_failed"),
                    event.dump());
    }
    w.commit();
    return true;
  });
}

std::map<std::string, int> Store::acknowledgements_since(const std::vector<std::string>& addresses,
                                                         TimePoint since) {
  return guarded("count acknowledgements", [&] {
    std::map<std::string, int> out;
    if (addresses.empty()) return out;
    pqxx::read_transaction t(*conn_);
    for (const auto& row : t.exec_params(
             "SELECT lower(recipient), count(*) FROM outbox WHERE kind = 'acknowledgement'"
             " AND lower(recipient) = ANY (SELECT lower(jsonb_array_elements_text($1::jsonb)))"
             " AND created_at >= to_timestamp($2) GROUP BY 1",
             strings(addresses).dump(), epoch_seconds(since))) {
      out[row[0].as<std::string>()] = row[1].as<int>();
    }
    return out;
  });
}

std::map<std::string, int> Store::alerted_cases_since(const std::vector<std::string>& senders,
                                                      TimePoint since) {
  return guarded("count staff alerts", [&] {
    std::map<std::string, int> out;
    if (senders.empty()) return out;
    pqxx::read_transaction t(*conn_);
    for (const auto& row : t.exec_params(
             "SELECT lower(m.from_address), count(DISTINCT c.id) FROM outbox o"
             " JOIN cases c ON c.id = o.case_id JOIN messages m ON m.id = c.message_id"
             " WHERE o.kind IN ('officer_alert', 'head_alert') AND o.created_at >= to_timestamp($2)"
             " AND lower(m.from_address) = ANY (SELECT lower(jsonb_array_elements_text($1::jsonb)))"
             " GROUP BY 1",
             strings(senders).dump(), epoch_seconds(since))) {
      out[row[0].as<std::string>()] = row[1].as<int>();
    }
    return out;
  });
}

std::set<std::string> Store::suppressed(const std::vector<std::string>& addresses) {
  return guarded("read suppressed addresses", [&] {
    std::set<std::string> out;
    if (addresses.empty()) return out;
    pqxx::read_transaction t(*conn_);
    for (const auto& row :
         t.exec_params("SELECT address FROM suppressed_addresses WHERE until > now()"
                       " AND address = ANY (SELECT lower(jsonb_array_elements_text($1::jsonb)))",
                       strings(addresses).dump())) {
      out.insert(row[0].as<std::string>());
    }
    return out;
  });
}

std::map<std::string, int> Store::outbox_counts() {
  return guarded("count outbox", [&] {
    std::map<std::string, int> out;
    pqxx::read_transaction t(*conn_);
    for (const auto& row : t.exec("SELECT status, count(*) FROM outbox GROUP BY 1")) {
      out[row[0].as<std::string>()] = row[1].as<int>();
    }
    return out;
  });
}

}  // namespace mailgate::storage
