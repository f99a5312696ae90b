#include "storage/store.hpp"

#include <libpq-fe.h>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <set>

#include "storage/migrations.hpp"
#include "storage/pq_util.hpp"
#include "storage/regno.hpp"

namespace mailgate::storage {
using namespace detail;
namespace {

std::string quote_conninfo(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

/// The URL as libpq keywords plus the password. The password stays out of the URL, which
/// ends up in configs, logs and process listings.
std::string conninfo(const std::string& url, const std::string& password) {
  if (password.empty()) return url;
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (opts == nullptr) {
    std::string why = err != nullptr ? err : "cannot parse";
    PQfreemem(err);
    throw StoreError(false, "database.url: " + why);
  }
  std::string info;
  for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || std::string(o->keyword) == "password") continue;
    info += std::string(o->keyword) + "=" + quote_conninfo(o->val) + " ";
  }
  PQconninfoFree(opts);
  return info + "password=" + quote_conninfo(password);
}

}  // namespace

Store::Store(const std::string& url, const std::string& password) {
  guarded("connect", [&] {
    conn_ = std::make_unique<Conn>(conninfo(url, password));
    return 0;
  });
}

Store::~Store() = default;

int Store::migrate() {
  return guarded("migrate", [&] {
    int applied = 0;
    {
      // CREATE TABLE IF NOT EXISTS is not safe against a concurrent twin (both may try to
      // create the type): serialise on the same lock the migrations take.
      pqxx::work w(*conn_);
      w.exec("SELECT pg_advisory_xact_lock(7407001)");
      // Only when missing: the daemon's own role (mailgate_daemon) may not create tables.
      if (w.exec("SELECT to_regclass('schema_migrations') IS NULL")[0][0].as<bool>()) {
        w.exec(
            "CREATE TABLE schema_migrations ("
            " version integer PRIMARY KEY, name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())");
      }
      w.commit();
    }
    for (const auto& m : migrations()) {
      pqxx::work w(*conn_);
      // Transaction-scoped lock: a second daemon starting at the same moment waits here and
      // then sees the migration as applied.
      w.exec("SELECT pg_advisory_xact_lock(7407001)");
      auto r = w.exec_params("SELECT 1 FROM schema_migrations WHERE version = $1", m.version);
      if (!r.empty()) continue;
      w.exec(m.sql);
      w.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version,
                    std::string(m.name));
      w.commit();
      ++applied;
    }
    return applied;
  });
}

bool Store::try_lock_mailbox(const std::string& mailbox) {
  return guarded("lock mailbox", [&] {
    pqxx::nontransaction n(*conn_);
    auto r = n.exec_params("SELECT pg_try_advisory_lock(7407002, hashtext($1))", mailbox);
    return r[0][0].as<bool>();
  });
}

std::optional<MailboxState> Store::mailbox_state(const std::string& mailbox) {
  return guarded("read mailbox state", [&]() -> std::optional<MailboxState> {
    pqxx::read_transaction t(*conn_);
    auto r = t.exec_params(
        "SELECT uidvalidity, last_uid, rematch_below_uid FROM mailbox_state WHERE mailbox = $1",
        mailbox);
    if (r.empty()) return std::nullopt;
    return MailboxState{r[0][0].as<std::uint32_t>(), r[0][1].as<std::uint32_t>(),
                        r[0][2].as<std::uint32_t>()};
  });
}

void Store::reset_mailbox_state(const std::string& mailbox, std::uint32_t uidvalidity,
                                std::uint32_t rematch_below_uid) {
  guarded("write mailbox state", [&] {
    pqxx::work w(*conn_);
    w.exec_params(
        "INSERT INTO mailbox_state (mailbox, uidvalidity, last_uid, rematch_below_uid)"
        " VALUES ($1, $2, 0, $3)"
        " ON CONFLICT (mailbox) DO UPDATE SET uidvalidity = EXCLUDED.uidvalidity,"
        " last_uid = 0, rematch_below_uid = EXCLUDED.rematch_below_uid, updated_at = now()",
        mailbox, uidvalidity, rematch_below_uid);
    w.commit();
    return 0;
  });
}

std::map<std::uint32_t, int> Store::attempts(const std::string& mailbox, std::uint32_t uidvalidity,
                                             const std::vector<std::uint32_t>& uids) {
  return guarded("read attempts", [&] {
    std::map<std::uint32_t, int> out;
    if (uids.empty()) return out;
    pqxx::read_transaction t(*conn_);
    auto r = t.exec_params(
        "SELECT uid, attempts FROM intake_attempts WHERE mailbox = $1 AND uidvalidity = $2"
        " AND uid = ANY (SELECT jsonb_array_elements_text($3::jsonb)::bigint)",
        mailbox, uidvalidity, nlohmann::json(uids).dump());
    for (const auto& row : r) out[row[0].as<std::uint32_t>()] = row[1].as<int>();
    return out;
  });
}

void Store::count_attempts(const std::string& mailbox, std::uint32_t uidvalidity,
                           const std::vector<std::uint32_t>& uids) {
  if (uids.empty()) return;
  guarded("count attempts", [&] {
    pqxx::work w(*conn_);
    w.exec_params(
        "INSERT INTO intake_attempts (mailbox, uidvalidity, uid, attempts)"
        " SELECT $1, $2, u::bigint, 1 FROM jsonb_array_elements_text($3::jsonb) AS u"
        " ON CONFLICT (mailbox, uidvalidity, uid) DO UPDATE"
        " SET attempts = intake_attempts.attempts + 1, last_at = now()",
        mailbox, uidvalidity, nlohmann::json(uids).dump());
    w.commit();
    return 0;
  });
}

std::map<std::uint32_t, bool> Store::registered(const std::string& mailbox,
                                                std::uint32_t uidvalidity,
                                                const std::vector<std::uint32_t>& uids) {
  return guarded("look up registrations", [&] {
    std::map<std::uint32_t, bool> out;
    if (uids.empty()) return out;
    pqxx::read_transaction t(*conn_);
    auto r = t.exec_params(
        "SELECT uid, parse_status = 'unparsed' FROM messages WHERE mailbox = $1"
        " AND uidvalidity = $2"
        " AND uid = ANY (SELECT jsonb_array_elements_text($3::jsonb)::bigint)",
        mailbox, uidvalidity, nlohmann::json(uids).dump());
    for (const auto& row : r) out[row[0].as<std::uint32_t>()] = row[1].as<bool>();
    return out;
  });
}

std::optional<bool> Store::registered_by_sha(const std::string& mailbox, std::uint32_t uidvalidity,
                                             const std::string& sha256) {
  return guarded("look up by sha256", [&]() -> std::optional<bool> {
    pqxx::read_transaction t(*conn_);
    auto r = t.exec_params(
        "SELECT parse_status = 'unparsed' FROM messages WHERE mailbox = $1"
        " AND uidvalidity <> $2 AND raw_sha256 = $3 LIMIT 1",
        mailbox, uidvalidity, sha256);
    if (r.empty()) return std::nullopt;
    return r[0][0].as<bool>();
  });
}

void Store::prepare_registration() {
  if (prepared_) return;
  // Prepared once per connection: parsing and planning these on every message cost more
  // than executing them. One statement registers one message, so a message costs one
  // round trip to the server.
  // $1-$24: the message and its attachments; $25-$37: the case; $38: automatic;
  // $39-$41: flags, notify, kb_links (JSON arrays).
  const std::string message_and_attachments =
      "WITH m AS ("
      "  INSERT INTO messages (mailbox, uidvalidity, uid, raw, raw_sha256, raw_size,"
      "  parse_status, parse_error, message_id, from_name, from_address, to_addrs,"
      "  cc_addrs, reply_to_addrs, sent_at, subject, in_reply_to, refs,"
      "  auto_submitted, body_text, body_type, defects, received_at, automatic, case_id)"
      "  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::jsonb,"
      "  $14::jsonb, $15::timestamptz, $16, $17,"
      "  ARRAY(SELECT jsonb_array_elements_text($18::jsonb)), $19, $20, $21,"
      "  ARRAY(SELECT jsonb_array_elements_text($22::jsonb)), to_timestamp($23), $%AUTO%,"
      "  %CASE%)"
      "  RETURNING id, received_at),"
      " a AS ("
      "  INSERT INTO attachments (message_id, ordinal, filename, content_type, size, sha256,"
      "  nested)"
      "  SELECT m.id, (x.ord - 1)::int, x.f->>'filename', x.f->>'content_type',"
      "  (x.f->>'size')::bigint, x.f->>'sha256', (x.f->>'nested')::boolean"
      "  FROM m, jsonb_array_elements($24::jsonb) WITH ORDINALITY AS x(f, ord))";
  auto with = [&](const char* automatic, const char* case_id) {
    std::string q = message_and_attachments;
    q.replace(q.find("%AUTO%"), 6, automatic);
    q.replace(q.find("%CASE%"), 6, case_id);
    return q;
  };
  conn_->prepare(
      "register_message",
      with("38", "NULL") +
          ", k AS ("
          "  INSERT INTO cases (regno, reg_year, reg_seq, message_id, channel, status,"
          "  received_at, urgency, score, topic, unit, officer, term, deadline, decision, flags,"
          "  notify, kb_links)"
          "  SELECT $25, $26, $27, m.id, 'email', $28, m.received_at, $30, $31, $32, $33, $34,"
          "  $35, to_timestamp($36), $37::jsonb,"
          "  ARRAY(SELECT jsonb_array_elements_text($39::jsonb)),"
          "  ARRAY(SELECT jsonb_array_elements_text($40::jsonb)),"
          "  ARRAY(SELECT jsonb_array_elements_text($41::jsonb)) FROM m RETURNING id)"
          " INSERT INTO case_events (case_id, kind, detail)"
          " SELECT k.id, 'registered', $29::jsonb FROM k"
          " RETURNING case_id, extract(epoch FROM at)::float8");
  // A follow-up: $25 is the case it joins, $26 the event detail, $27 its flags.
  conn_->prepare(
      "register_follow_up",
      with("28", "$25") +
          ", f AS (UPDATE cases SET flags = ARRAY(SELECT DISTINCT unnest(flags ||"
          "  ARRAY(SELECT jsonb_array_elements_text($27::jsonb)))) WHERE id = $25)"
          " INSERT INTO case_events (case_id, kind, detail)"
          " SELECT $25, 'follow_up', $26::jsonb || jsonb_build_object('message', m.id) FROM m"
          " RETURNING case_id, extract(epoch FROM at)::float8,"
          " (SELECT regno FROM cases WHERE id = $25)");
  conn_->prepare("add_channel",
                 "WITH c AS (INSERT INTO case_channels AS cc (case_id, address, kind, source)"
                 " VALUES ($1, lower($2), $3, $4) ON CONFLICT (case_id, address) DO UPDATE"
                 " SET removed_at = NULL, added_at = now(), source = EXCLUDED.source"
                 " WHERE cc.removed_at IS NOT NULL RETURNING address)"
                 " INSERT INTO case_events (case_id, kind, detail)"
                 " SELECT $1, 'channel_added', jsonb_build_object('address', c.address,"
                 " 'kind', $3::text, 'source', $4::text) FROM c");
  conn_->prepare("remove_channel",
                 "WITH c AS (UPDATE case_channels SET removed_at = now() WHERE case_id = $1"
                 " AND address = lower($2) AND kind = 'additional' AND removed_at IS NULL"
                 " RETURNING address)"
                 " INSERT INTO case_events (case_id, kind, detail)"
                 " SELECT $1, 'channel_removed', jsonb_build_object('address', c.address) FROM c");
  conn_->prepare("registration_years",
                 "SELECT extract(year FROM to_timestamp(t::float8) AT TIME ZONE $2)::int"
                 " FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY AS x(t, ord)"
                 " ORDER BY ord");
  // Takes `$2` numbers of the year at once; returns the last one taken.
  conn_->prepare("take_numbers",
                 "INSERT INTO registration_counters AS c (year, last_seq) VALUES ($1, $2)"
                 " ON CONFLICT (year) DO UPDATE SET last_seq = c.last_seq + $2"
                 " RETURNING last_seq");
  prepared_ = true;
}

namespace {

// Messages registered by an earlier, interrupted pass are skipped and take no number.
// The caller holds the mailbox lock, so nobody registers these UIDs meanwhile.
std::set<std::uint32_t> registered_uids(pqxx::work& w, const std::string& mailbox,
                                        std::uint32_t uidvalidity,
                                        const std::vector<Incoming>& batch) {
  std::vector<std::uint32_t> uids;
  uids.reserve(batch.size());
  for (const auto& in : batch) uids.push_back(in.uid);
  std::set<std::uint32_t> done;
  for (const auto& row :
       w.exec_params("SELECT uid FROM messages WHERE mailbox = $1 AND uidvalidity = $2"
                     " AND uid = ANY (SELECT jsonb_array_elements_text($3::jsonb)::bigint)",
                     mailbox, uidvalidity, nlohmann::json(uids).dump())) {
    done.insert(row[0].as<std::uint32_t>());
  }
  return done;
}

// The registration numbers of a batch.
struct Numbers {
  std::vector<int> years;       // of receipt, in the registration time zone, by batch position
  std::map<int, int> next_seq;  // the next number to give in each year
};

// The year of receipt in the registration time zone, then one counter update per year:
// numbers are taken inside this transaction, so a rollback gives them back.
Numbers take_numbers(pqxx::work& w, const std::vector<Incoming>& batch,
                     const std::set<std::uint32_t>& done, const std::string& timezone) {
  std::vector<double> epochs;
  epochs.reserve(batch.size());
  for (const auto& in : batch) epochs.push_back(epoch_seconds(in.received_at));
  Numbers numbers;
  for (const auto& row :
       w.exec_prepared("registration_years", nlohmann::json(epochs).dump(), timezone)) {
    numbers.years.push_back(row[0].as<int>());
  }
  std::map<int, int> needed;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (done.count(batch[i].uid) == 0 && !batch[i].join_case) ++needed[numbers.years[i]];
  }
  for (const auto& [year, count] : needed) {
    int last = w.exec_prepared("take_numbers", year, count)[0][0].as<int>();
    numbers.next_seq[year] = last - count + 1;
  }
  return numbers;
}

// One message of a batch being registered, with what every statement about it needs.
struct BatchMessage {
  pqxx::work& w;
  const std::string& mailbox;
  std::uint32_t uidvalidity;
  const Incoming& in;
  const mail::Message* m;  // null: unparsed
};

nlohmann::json attachments_json(const mail::Message* m) {
  auto attachments = nlohmann::json::array();
  if (m == nullptr) return attachments;
  for (const auto& a : m->attachments) {
    attachments.push_back({{"filename", clean(a.filename)},
                           {"content_type", clean(a.content_type)},
                           {"size", a.size},
                           {"sha256", a.sha256},
                           {"nested", a.nested}});
  }
  return attachments;
}

// The detail of the case event: where the message came from, plus the caller's extra facts.
nlohmann::json event_detail(const BatchMessage& x) {
  const Incoming& in = x.in;
  nlohmann::json detail = {{"mailbox", x.mailbox},
                           {"uidvalidity", x.uidvalidity},
                           {"uid", in.uid},
                           {"sha256", in.sha256}};
  if (x.m == nullptr) detail["parse_error"] = clean(in.parse_error);
  if (!in.automatic.empty()) detail["automatic"] = clean(in.automatic);
  auto extra = nlohmann::json::parse(in.event_detail, nullptr, false);
  if (extra.is_object()) detail.update(extra);
  return detail;
}

// Runs a registration statement: the message and its attachments ($1-$24), then `tail`.
template <typename... Tail>
pqxx::result exec_with_message(const BatchMessage& x, const char* statement, Tail&&... tail) {
  const Incoming& in = x.in;
  const mail::Message* m = x.m;
  std::optional<std::string> none;
  return x.w.exec_prepared(
      statement, x.mailbox, x.uidvalidity, in.uid, pqxx::binarystring(in.raw.data(), in.raw.size()),
      in.sha256, static_cast<std::int64_t>(in.raw.size()),
      std::string(m == nullptr   ? "unparsed"
                  : m->oversized ? "oversized"
                                 : "parsed"),
      m != nullptr ? none : std::optional<std::string>(clean(in.parse_error)),
      m != nullptr && !m->message_id.empty() ? std::optional(clean(m->message_id)) : none,
      m != nullptr && m->from ? std::optional(clean(m->from->name)) : none,
      m != nullptr && m->from ? std::optional(clean(m->from->address)) : none,
      addresses(m != nullptr ? m->to : std::vector<mail::Address>{}).dump(),
      addresses(m != nullptr ? m->cc : std::vector<mail::Address>{}).dump(),
      addresses(m != nullptr ? m->reply_to : std::vector<mail::Address>{}).dump(),
      m != nullptr ? plausible_date(m->date) : none,
      m != nullptr ? std::optional(clean(m->subject)) : none,
      m != nullptr ? clean_opt(m->in_reply_to) : none,
      strings(m != nullptr ? m->references : std::vector<std::string>{}).dump(),
      m != nullptr ? clean_opt(m->auto_submitted) : none,
      m != nullptr ? std::optional(clean(m->text)) : none,
      m != nullptr ? std::optional(m->text_type) : none,
      strings(m != nullptr ? m->defects : std::vector<std::string>{}).dump(),
      epoch_seconds(in.received_at), attachments_json(m).dump(), std::forward<Tail>(tail)...);
}

// A new case numbered `regno` ($25-$27), with what the urgency rules decided about it.
pqxx::result insert_new_case(const BatchMessage& x, const std::string& regno, int year, int seq,
                             const std::string& detail,
                             const std::optional<std::string>& automatic) {
  const Incoming& in = x.in;
  const CaseDecision* d = x.m != nullptr && in.decision ? &*in.decision : nullptr;
  std::optional<std::string> none;
  return exec_with_message(
      x, "register_message", regno, year, seq,
      std::string(x.m != nullptr ? "registered" : "unparsed"), detail,
      d != nullptr ? std::optional(d->urgency) : none,
      d != nullptr ? std::optional(d->score) : std::optional<int>(),
      d != nullptr ? std::optional(clean(d->topic)) : none,
      d != nullptr && !d->unit.empty() ? std::optional(clean(d->unit)) : none,
      d != nullptr && !d->officer.empty() ? std::optional(clean(d->officer)) : none,
      d != nullptr ? std::optional(clean(d->term)) : none,
      d != nullptr && d->deadline ? std::optional(epoch_seconds(*d->deadline))
                                  : std::optional<double>(),
      d != nullptr ? std::optional(clean(d->explanation_json)) : none, automatic,
      strings(in.flags).dump(),
      strings(d != nullptr ? d->notify : std::vector<std::string>{}).dump(),
      strings(d != nullptr ? d->kb_links : std::vector<std::string>{}).dump());
}

// What comes with a registration in the same transaction: the case's channels, an officer's
// command carried by a follow-up, and the mail the registration causes.
void record_consequences(pqxx::work& w, const Incoming& in, Registration& reg,
                         const Composer& compose) {
  for (const auto& c : in.channels) {
    w.exec_prepared("add_channel", reg.case_id, clean(c.address), c.kind, c.source);
  }
  for (const auto& a : in.removed_channels) {
    w.exec_prepared("remove_channel", reg.case_id, clean(a));
  }
  record_channel_requests(w, reg.case_id, in);
  if (in.join_case && in.update && !apply_command_update(w, reg.case_id, *in.update)) {
    reg.command_refused = true;
  }
  if (compose) {
    for (const auto& mail : compose(in, reg)) {
      queue_in(w, reg.case_id, mail);
    }
  }
}

// Registers a message not registered before, the `i`-th of its batch: a new case with the
// next number of its year, or a follow-up recorded on the case it joins.
void register_one(const BatchMessage& x, std::size_t i, Numbers& numbers,
                  const RegistrationSettings& settings, const Composer& compose,
                  Registration& reg) {
  const Incoming& in = x.in;
  std::string detail = event_detail(x).dump();
  auto automatic =
      in.automatic.empty() ? std::optional<std::string>() : std::optional(clean(in.automatic));
  pqxx::result r;
  if (in.join_case) {
    // $25 is the case it joins, $26 the event detail, $27 its flags, $28 automatic (the
    // statement's order: passing them the other way round lost a follow-up's flags).
    r = exec_with_message(x, "register_follow_up", *in.join_case, detail, strings(in.flags).dump(),
                          automatic);
    reg.follow_up = true;
    reg.regno = r[0][2].as<std::string>();
  } else {
    int year = numbers.years[i];
    int seq = numbers.next_seq[year]++;
    reg.regno = format_regno(settings.pattern, year, seq);
    r = insert_new_case(x, reg.regno, year, seq, detail, automatic);
  }
  reg.case_id = r[0][0].as<std::int64_t>();
  reg.registered_at = TimePoint(std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::duration<double>(r[0][1].as<double>())));
  record_consequences(x.w, in, reg, compose);
}

}  // namespace

std::vector<Registration> Store::register_batch(const std::string& mailbox,
                                                std::uint32_t uidvalidity,
                                                const std::vector<Incoming>& batch,
                                                const RegistrationSettings& settings,
                                                const Composer& compose) {
  return guarded("register", [&] {
    std::vector<Registration> out;
    if (batch.empty()) return out;
    prepare_registration();
    pqxx::work w(*conn_);
    std::set<std::uint32_t> done = registered_uids(w, mailbox, uidvalidity, batch);
    Numbers numbers = take_numbers(w, batch, done, settings.timezone);

    std::uint32_t max_uid = 0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const auto& in = batch[i];
      max_uid = std::max(max_uid, in.uid);
      BatchMessage x{w, mailbox, uidvalidity, in, in.parsed ? &*in.parsed : nullptr};
      Registration reg;
      reg.uid = in.uid;
      reg.unparsed = x.m == nullptr;
      if (done.count(in.uid) == 0) register_one(x, i, numbers, settings, compose, reg);
      out.push_back(reg);
    }
    w.exec_params(
        "UPDATE mailbox_state SET last_uid = greatest(last_uid, $3), updated_at = now()"
        " WHERE mailbox = $1 AND uidvalidity = $2",
        mailbox, uidvalidity, max_uid);
    w.commit();
    return out;
  });
}

std::vector<CaseSummary> Store::list_cases(const std::string& timezone) {
  return guarded("list cases", [&] {
    std::vector<CaseSummary> out;
    pqxx::read_transaction t(*conn_);
    auto r = t.exec_params(
        "SELECT c.regno, iso8601(c.received_at, $1), coalesce(m.from_name, ''),"
        " coalesce(m.from_address, ''), coalesce(m.subject, ''), c.status, m.raw_sha256,"
        " coalesce(m.message_id, ''),"
        " (SELECT count(*) FROM attachments a WHERE a.message_id = m.id),"
        " coalesce(c.urgency, ''), coalesce(c.topic, ''),"
        " coalesce(iso8601(c.deadline, $1), ''), to_jsonb(c.flags)::text"
        " FROM cases c JOIN messages m ON m.id = c.message_id"
        " ORDER BY c.reg_year, c.reg_seq",
        timezone);
    for (const auto& row : r) {
      CaseSummary s;
      s.regno = row[0].as<std::string>();
      s.received_at = row[1].as<std::string>();
      s.from_name = row[2].as<std::string>();
      s.from_address = row[3].as<std::string>();
      s.subject = row[4].as<std::string>();
      s.status = row[5].as<std::string>();
      s.sha256 = row[6].as<std::string>();
      s.message_id = row[7].as<std::string>();
      s.attachments = row[8].as<std::size_t>();
      s.urgency = row[9].as<std::string>();
      s.topic = row[10].as<std::string>();
      s.deadline = row[11].as<std::string>();
      s.flags = nlohmann::json::parse(row[12].as<std::string>()).get<std::vector<std::string>>();
      out.push_back(std::move(s));
    }
    return out;
  });
}

std::size_t Store::import_clients(const std::vector<ClientRow>& rows) {
  return guarded("import clients", [&] {
    pqxx::work w(*conn_);
    for (const auto& r : rows) {
      w.exec_params(
          "INSERT INTO clients (email, full_name, position, position_category, organisation,"
          " unit, additional_channels) VALUES (lower($1), $2, $3, $4, $5, $6,"
          " ARRAY(SELECT lower(jsonb_array_elements_text($7::jsonb))))"
          " ON CONFLICT (email) DO UPDATE SET full_name = EXCLUDED.full_name,"
          " position = EXCLUDED.position, position_category = EXCLUDED.position_category,"
          " organisation = EXCLUDED.organisation, unit = EXCLUDED.unit,"
          " additional_channels = EXCLUDED.additional_channels, updated_at = now()",
          clean(r.email), clean(r.full_name), clean(r.position), clean(r.position_category),
          clean(r.organisation), clean(r.unit), strings(r.additional_channels).dump());
    }
    w.commit();
    return rows.size();
  });
}

std::map<std::string, ClientRow> Store::clients(const std::vector<std::string>& emails) {
  return guarded("read clients", [&] {
    std::map<std::string, ClientRow> out;
    if (emails.empty()) return out;
    pqxx::read_transaction t(*conn_);
    auto r = t.exec_params(
        "SELECT email, full_name, position, position_category, organisation, unit,"
        " to_jsonb(additional_channels)::text FROM clients"
        " WHERE email = ANY (SELECT lower(jsonb_array_elements_text($1::jsonb)))",
        strings(emails).dump());
    for (const auto& row : r) {
      ClientRow c{row[0].as<std::string>(),
                  row[1].as<std::string>(),
                  row[2].as<std::string>(),
                  row[3].as<std::string>(),
                  row[4].as<std::string>(),
                  row[5].as<std::string>(),
                  nlohmann::json::parse(row[6].as<std::string>()).get<std::vector<std::string>>()};
      out[c.email] = c;
    }
    return out;
  });
}

std::map<std::string, SenderHistory> Store::histories(const std::vector<std::string>& emails,
                                                      TimePoint since, std::size_t past_limit) {
  return guarded("read sender history", [&] {
    std::map<std::string, SenderHistory> out;
    if (emails.empty()) return out;
    auto list = strings(emails).dump();
    pqxx::read_transaction t(*conn_);
    auto recent = t.exec_params(
        "SELECT lower(from_address), extract(epoch FROM received_at)::float8 FROM messages"
        " WHERE lower(from_address) = ANY (SELECT lower(jsonb_array_elements_text($1::jsonb)))"
        " AND received_at >= to_timestamp($2)",
        list, epoch_seconds(since));
    auto at = [](double epoch) {
      return TimePoint(
          std::chrono::duration_cast<TimePoint::duration>(std::chrono::duration<double>(epoch)));
    };
    for (const auto& row : recent) {
      out[row[0].as<std::string>()].earlier_messages.push_back(at(row[1].as<double>()));
    }
    // Cases still waiting for an answer; later issues add the closed statuses.
    auto open = t.exec_params(
        "SELECT lower(m.from_address), count(*) FROM cases c JOIN messages m"
        " ON m.id = c.message_id"
        " WHERE lower(m.from_address) = ANY (SELECT lower(jsonb_array_elements_text($1::jsonb)))"
        " AND c.status IN ('registered', 'unparsed') GROUP BY 1",
        list);
    for (const auto& row : open) out[row[0].as<std::string>()].open_cases = row[1].as<int>();
    auto past = t.exec_params(
        "SELECT sender, regno, epoch, text FROM ("
        " SELECT lower(m.from_address) AS sender, c.regno,"
        " extract(epoch FROM c.received_at)::float8 AS epoch,"
        " left(coalesce(m.subject, '') || E'\n' || coalesce(m.body_text, ''), 4000) AS text,"
        " row_number() OVER (PARTITION BY lower(m.from_address) ORDER BY c.received_at DESC)"
        " AS n FROM cases c JOIN messages m ON m.id = c.message_id"
        " WHERE lower(m.from_address) = ANY (SELECT lower(jsonb_array_elements_text($1::jsonb)))"
        ") p WHERE n <= $2 ORDER BY sender, epoch DESC",
        list, static_cast<std::int64_t>(past_limit));
    for (const auto& row : past) {
      out[row[0].as<std::string>()].past_cases.push_back(
          {row[1].as<std::string>(), at(row[2].as<double>()), row[3].as<std::string>()});
    }
    return out;
  });
}

}  // namespace mailgate::storage
