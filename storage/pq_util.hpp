#pragma once
/// Shared by the storage/ sources (not part of its interface): the connection type, error
/// classification and the text hygiene every write goes through.

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/store.hpp"

namespace mailgate::storage {

struct Store::Conn : pqxx::connection {
  using pqxx::connection::connection;
};

namespace detail {

/// Runs `fn`, turning libpqxx's exceptions into StoreError with the right class.
template <typename Fn>
inline auto guarded(const char* what, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const pqxx::broken_connection& e) {
    throw StoreError(true, std::string(what) + ": database connection lost: " + e.what());
  } catch (const pqxx::in_doubt_error& e) {
    throw StoreError(true, std::string(what) + ": commit in doubt: " + e.what());
  } catch (const pqxx::sql_error& e) {
    // Serialization failures and deadlocks are worth retrying as they are.
    const std::string& state = e.sqlstate();
    bool transient = state == "40001" || state == "40P01" || state.rfind("08", 0) == 0 ||
                     state.rfind("57P", 0) == 0;
    throw StoreError(transient, std::string(what) + ": " + e.what());
  } catch (const pqxx::failure& e) {
    throw StoreError(true, std::string(what) + ": " + e.what());
  }
}

/// PostgreSQL text must be valid UTF-8 without NUL. The parser promises that, but one bad
/// string must never make a registration fail for ever, so it is enforced here as well.
inline std::string clean(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == 0) {
      ++i;
      continue;
    }
    std::size_t len = c < 0x80         ? 1
                      : (c >> 5) == 6  ? 2
                      : (c >> 4) == 14 ? 3
                      : (c >> 3) == 30 ? 4
                                       : 0;
    bool ok = len > 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      ok = (static_cast<unsigned char>(s[i + k]) & 0xc0) == 0x80;
    }
    if (ok && len == 2) ok = c >= 0xc2;
    if (ok && len == 3) {
      auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = !(c == 0xe0 && c1 < 0xa0) && !(c == 0xed && c1 >= 0xa0);
    }
    if (ok && len == 4) {
      auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = c <= 0xf4 && !(c == 0xf0 && c1 < 0x90) && !(c == 0xf4 && c1 >= 0x90);
    }
    if (!ok) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    out.append(s, i, len);
    i += len;
  }
  return out;
}

inline std::optional<std::string> clean_opt(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  return clean(*s);
}

inline nlohmann::json addresses(const std::vector<mail::Address>& list) {
  auto out = nlohmann::json::array();
  for (const auto& a : list) {
    out.push_back({{"name", clean(a.name)}, {"address", clean(a.address)}});
  }
  return out;
}

inline nlohmann::json strings(const std::vector<std::string>& list) {
  auto out = nlohmann::json::array();
  for (const auto& s : list) out.push_back(clean(s));
  return out;
}

/// Only a well-formed ISO 8601 date of a plausible year reaches the timestamptz column:
/// a cast failure would refuse the whole registration.
inline std::optional<std::string> plausible_date(const std::optional<std::string>& iso) {
  // "YYYY-MM-DDTHH:MM:SS+HH:MM", year 1970..2199 (checked by hand: <regex> in this header
  // made every storage file slow to build).
  constexpr std::string_view form = "dddd-dd-ddTdd:dd:dd+dd:dd";
  if (!iso || iso->size() != form.size()) return std::nullopt;
  for (std::size_t i = 0; i < form.size(); ++i) {
    char c = (*iso)[i];
    bool ok = form[i] == 'd'   ? c >= '0' && c <= '9'
              : form[i] == '+' ? c == '+' || c == '-'
                               : c == form[i];
    if (!ok) return std::nullopt;
  }
  int year = std::stoi(iso->substr(0, 4));
  if (year < 1970 || year > 2199) return std::nullopt;
  return iso;
}

inline double epoch_seconds(TimePoint t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

}  // namespace detail

/// Inserts an outbox row (and its mail_queued event) inside a transaction.
void queue_in(pqxx::work& w, std::optional<std::int64_t> case_id, const OutboxItem& mail);
/// Applies an officer's action to a case inside a transaction (storage/cases.cpp).
void apply_case_update(pqxx::work& w, std::int64_t case_id, const CaseUpdate& update);
/// An officer's command by mail: under the case's row lock, only while the case is still in
/// update.expected_status and the command's Message-ID and digest were never carried out
/// (executed_commands); false, and nothing changed, otherwise.
bool apply_command_update(pqxx::work& w, std::int64_t case_id, const CaseUpdate& update);
/// Records a message's channel requests, confirmations and withdrawals (storage/channels.cpp).
void record_channel_requests(pqxx::work& w, std::int64_t case_id, const Incoming& in);
}  // namespace mailgate::storage
