#include "daemon/config.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "daemon/config_schema.hpp"
#include "daemon/template_loader.hpp"
#include "mail/address_rule.hpp"
#include "mail/alert_token.hpp"
#include "mail/syntax.hpp"
#include "storage/regno.hpp"

namespace mailgate::daemon {
namespace {

using namespace config_schema;  // NOLINT(google-build-using-namespace): the tables' vocabulary

const char* const kDefaultConfig = "/etc/mailgate/mailgate.toml";

constexpr std::int64_t kKiB = 1024;
constexpr std::int64_t kMiB = 1024 * kKiB;
constexpr std::int64_t kGiB = 1024 * kMiB;
constexpr std::int64_t kDay = 86400;  // seconds

// --- checks of single values -------------------------------------------------------------------

std::optional<std::string> time_zone_problem(const std::string& tz) {
  // The non-throwing exists(): a name longer than the file system allows made the other
  // one throw filesystem_error out of load_config (found by fuzz_config). A NUL would cut
  // the file name short and let "Europe/Moscow\0junk" pass.
  std::error_code ec;
  if (tz.empty() || tz.find("..") != std::string::npos || tz.find('\0') != std::string::npos ||
      !std::filesystem::exists("/usr/share/zoneinfo/" + tz, ec)) {
    return "unknown time zone (expected a name like Europe/Moscow)";
  }
  return std::nullopt;
}

std::optional<std::string> address_problem(const std::string& a) {
  if (a.find('@') == std::string::npos || a.find_first_of(" \t<>\r\n") != std::string::npos) {
    return "must be an e-mail address like upk@lenreg.ru";
  }
  return std::nullopt;
}

std::optional<std::string> duty_address_problem(const std::string& a) {
  if (a.empty()) return std::nullopt;  // every unit head
  if (auto problem = mail::address_problem(a)) return "not an address we can write to: " + *problem;
  return std::nullopt;
}

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "::1" || host == "[::1]" || host == "localhost" ||
         host.rfind("127.", 0) == 0;
}

// Turning TLS off or its certificate check off exposes the office's mail and password to
// anyone on the path: allowed only when the section says insecure_ok = true.
void imap_insecure_needs_consent(TableReader& r, Config& c) {
  if (c.imap_insecure_ok) return;
  if (!c.imap.verify_peer) {
    r.fail_at("verify_peer",
              "false turns off the server certificate check; set insecure_ok = true in [imap] "
              "to allow it");
  }
  if (c.imap.security == mail::ImapSecurity::plaintext && !is_loopback(c.imap.host)) {
    r.fail_at("security",
              "\"plaintext\" (no TLS) to a server off this machine sends the password in the "
              "clear; set insecure_ok = true in [imap] to allow it");
  }
}

// --- the sections, one table each ---------------------------------------------------------------
//
// A line per key, in the order the keys are read: its kind (config_schema.hpp), its name, the
// field it fills, its check where it has one (a range, the allowed values, a function saying
// what is wrong) and its default: a value, a function of the keys read before it, or `keep`
// (the default the struct declares).

Section<Config> imap_section() {
  using mail::ImapSecurity;
  using mail::ImapSettings;
  auto imap = [](auto member) { return in(&Config::imap, member); };
  auto default_port = [](const Config& c) -> std::int64_t {
    return c.imap.security == ImapSecurity::imaps ? 993 : 143;
  };
  const std::map<std::string, ImapSecurity> securities = {{"imaps", ImapSecurity::imaps},
                                                          {"starttls", ImapSecurity::starttls},
                                                          {"plaintext", ImapSecurity::plaintext}};
  return {
      .name = "imap",
      .keys =
          {
              required("host", imap(&ImapSettings::host)),
              choice("security", imap(&ImapSettings::security), securities, ImapSecurity::imaps),
              whole("port", imap(&ImapSettings::port), {1, 65535}, default_port),
              text("ca_file", imap(&ImapSettings::ca_file), ""),
              flag("verify_peer", imap(&ImapSettings::verify_peer), true),
              flag("insecure_ok", &Config::imap_insecure_ok, false),
              required("user", imap(&ImapSettings::user)),
              secret("password", imap(&ImapSettings::password)),
              text("mailbox", &Config::mailbox, "INBOX"),
              text("processed_folder", &Config::processed_folder, "Processed"),
              text("quarantine_folder", &Config::quarantine_folder, "Quarantine"),
              whole("connect_timeout", imap(&ImapSettings::connect_timeout), {1, 3600}, 15),
              whole("timeout", imap(&ImapSettings::timeout), {1, kDay}, 120),
          },
      .finish = imap_insecure_needs_consent,
      .required = true};
}

Section<DatabaseConfig> database_section() {
  return {"database",
          {
              required("url", &DatabaseConfig::url),
              secret("password", &DatabaseConfig::password),
          }};
}

Section<IntakeConfig> intake_section() {
  return {"intake",
          {
              whole("poll_interval", &IntakeConfig::poll_interval, {1, kDay}, 30),
              whole("batch_size", &IntakeConfig::batch_size, {1, 10000}, 100),
              whole("batch_bytes", &IntakeConfig::batch_bytes, {kMiB, 4 * kGiB}, 32 * kMiB),
              whole("max_parse_attempts", &IntakeConfig::max_parse_attempts, {1, 100}, 3),
              whole("max_backoff", &IntakeConfig::max_backoff, {1, kDay}, 600),
          }};
}

Section<RegistrationConfig> registration_section() {
  return {"registration",
          {
              text("pattern", &RegistrationConfig::pattern, storage::regno_pattern_problem, keep),
              text("timezone", &RegistrationConfig::timezone, time_zone_problem, keep),
          }};
}

Section<RulesConfig> rules_section() {
  auto installed = [](const RulesConfig& /*unused*/) { return default_rules_dir().string(); };
  auto beside = [](const RulesConfig& r) { return (r.directory / "calendar").string(); };
  return {"rules",
          {
              path("directory", &RulesConfig::directory, installed),
              path("calendar_directory", &RulesConfig::calendar_directory, beside),
              whole("urgent_score", &RulesConfig::urgent_score, {1, 1000000}, 10),
              text("default_term", &RulesConfig::default_term, keep),
              text("urgent_term", &RulesConfig::urgent_term, keep),
              flag("shift_to_working_day", &RulesConfig::shift_to_working_day, true),
              whole("history_days", &RulesConfig::history_days, {1, 3660}, 365),
          }};
}

Section<mail::ParseLimits> limits_section() {
  using mail::ParseLimits;
  return {
      "limits",
      {
          whole("max_message_bytes", &ParseLimits::max_message_bytes, {64 * kKiB, 2 * kGiB}, keep),
          whole("max_header_bytes", &ParseLimits::max_header_bytes, {kKiB, 64 * kMiB}, keep),
          whole("max_line_bytes", &ParseLimits::max_line_bytes, {998, 64 * kMiB}, keep),
          whole("max_mime_depth", &ParseLimits::max_depth, {2, 1000}, keep),
          whole("max_mime_parts", &ParseLimits::max_parts, {1, 1000000}, keep),
      }};
}

Section<OfficeConfig> office_section() {
  return {"office",
          {
              text("name", &OfficeConfig::name, keep),
              text("address", &OfficeConfig::address, address_problem, keep),
              text("phone", &OfficeConfig::phone, ""),
              text("reception_address", &OfficeConfig::reception_address, keep),
              text("reception_hours", &OfficeConfig::reception_hours, keep),
              text("message_id_domain", &OfficeConfig::message_id_domain, ""),
              text("duty_address", &OfficeConfig::duty_address, duty_address_problem, ""),
          },
          [](TableReader& r, OfficeConfig& o) {
            // The office's own mail comes back into intake: alerts to it would loop.
            if (!o.duty_address.empty() && mail::iequals_ascii(o.duty_address, o.address)) {
              r.fail_at("duty_address", "must not be the office's own address");
            }
            // Our Message-IDs end in the office's own domain unless told otherwise.
            if (o.message_id_domain.empty() && !o.address.empty()) {
              o.message_id_domain = o.address.substr(o.address.rfind('@') + 1);
            }
          }};
}

Section<SmtpConfig> smtp_section() {
  auto default_port = [](const SmtpConfig& s) -> std::int64_t {
    return s.security == "smtps" ? 465 : 587;
  };
  return {"smtp",
          {
              text("host", &SmtpConfig::host, ""),
              choice("security", &SmtpConfig::security, {"smtps", "starttls", "none"}, "starttls"),
              flag("insecure_ok", &SmtpConfig::insecure_ok, false),
              whole("port", &SmtpConfig::port, {1, 65535}, default_port),
              text("ca_file", &SmtpConfig::ca_file, ""),
              text("user", &SmtpConfig::user, ""),
              secret("password", &SmtpConfig::password),
              text("helo_name", &SmtpConfig::helo_name, ""),
              whole("timeout", &SmtpConfig::timeout, {1, 3600}, 60),
          },
          [](TableReader& r, SmtpConfig& s) {
            if (s.security == "none" && !s.host.empty() && !is_loopback(s.host) && !s.insecure_ok) {
              r.fail_at("security",
                        "\"none\" (no TLS) is allowed only for a server on this machine "
                        "(127.0.0.1), or with insecure_ok = true in [smtp]");
            }
          }};
}

Section<OutboxConfig> outbox_section() {
  return {
      "outbox",
      {
          whole("poll_interval", &OutboxConfig::poll_interval, {1, 3600}, 5),
          whole("workers", &OutboxConfig::workers, {1, 64}, 4),
          whole("max_attempts", &OutboxConfig::max_attempts, {1, 100}, 10),
          whole("min_backoff", &OutboxConfig::min_backoff, {1, kDay}, 60),
          whole("max_backoff", &OutboxConfig::max_backoff, {1, 7 * kDay}, 3600),
          whole("acks_per_sender_per_day", &OutboxConfig::acks_per_sender_per_day, {0, 10000}, 10),
          whole("alerts_per_sender_per_hour", &OutboxConfig::alerts_per_sender_per_hour, {0, 10000},
                20),
          whole("suppress_failed_days", &OutboxConfig::suppress_failed_days, {0, 3660}, 60),
          whole("auto_per_sender_per_hour", &OutboxConfig::auto_per_sender_per_hour, {0, 10000},
                20),
          whole("auto_per_hour", &OutboxConfig::auto_per_hour, {0, 1000000}, 500),
          whole("max_additional_channels", &OutboxConfig::max_additional_channels, {0, 10}, 2),
          whole("channel_confirm_days", &OutboxConfig::channel_confirm_days, {1, 90}, 7),
      }};
}

Section<Config> templates_section() {
  return {"templates",
          {
              {[](TableReader& r, Config& c) {
                // Unlike the rules' paths, empty means the default too, and the default (the
                // installed templates) is taken as it is.
                auto dir = r.string("directory");
                c.templates_directory =
                    dir && !dir->empty() ? r.resolve(*dir) : default_templates_dir();
              }},
          }};
}

Section<Config> plain_language_section() {
  return {"plain_language",
          {
              real("min_readability", &Config::min_readability, {-100, 206}, 40),
              whole("max_sentence_words", &Config::max_sentence_words, {5, 200}, 25),
              whole("max_cliches", &Config::max_cliches, {0, 1000}, 0),
              whole("min_explanation_words", &Config::min_explanation_words, {0, 50}, 2),
          }};
}

Array<Unit> units_array() {
  auto id = [](const Unit& u) { return u.id; };
  return {"units",
          &Unit::id,
          {
              required("id", &Unit::id),
              text("name", &Unit::name, id),
              text("head_email", &Unit::head_email, ""),
              flag("anyone_in_unit", &Unit::anyone_in_unit, false),
          }};
}

Array<Officer> officers_array() {
  auto id = [](const Officer& o) { return o.id; };
  return {"officers",
          &Officer::id,
          {
              required("id", &Officer::id),
              text("name", &Officer::name, id),
              required("email", &Officer::email),
              text("unit", &Officer::unit, ""),
          }};
}

Array<Body> bodies_array() {
  return {"bodies",
          &Body::id,
          {
              required("id", &Body::id),
              required("name", &Body::name),
              text("address", &Body::address, ""),
              text("phone", &Body::phone, ""),
              required("email", &Body::email),
              text("handles", &Body::handles, ""),
          }};
}

// The key of the tokens in staff mail's Message-IDs (mail/alert_token.hpp): the whole file,
// at least 32 bytes (e.g. `head -c 32 /dev/urandom`). Left out: no tokens, and officers'
// commands need a trusted DKIM pass.
Key<OfficerAuthConfig> token_key_file() {
  return {[](TableReader& r, OfficerAuthConfig& c) {
    auto path = r.string("token_key_file");
    if (!path || path->empty()) return;
    std::ifstream in(r.resolve(*path), std::ios::binary);
    if (!in) r.fail_at("token_key_file", "cannot read " + *path);
    c.token_key.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (c.token_key.size() < mail::kMinAlertTokenKey) {
      r.fail_at("token_key_file", *path + " holds " + std::to_string(c.token_key.size()) +
                                      " bytes; at least " +
                                      std::to_string(mail::kMinAlertTokenKey) + " are needed");
    }
  }};
}

Section<OfficerAuthConfig> officer_auth_section() {
  return {"officer_auth",
          {
              list("authserv_ids", &OfficerAuthConfig::authserv_ids),
              list("trusted_relays", &OfficerAuthConfig::trusted_relays),
              list("mta_hosts", &OfficerAuthConfig::mta_hosts),
              token_key_file(),
          }};
}

Section<ActionsConfig> actions_section() {
  return {"actions",
          {
              whole("max_extension_days", &ActionsConfig::max_extension_days, {1, 365}, 30),
              whole("max_extensions", &ActionsConfig::max_extensions, {0, 10}, 1),
              whole("forward_within_days", &ActionsConfig::forward_within_days, {1, 60}, 7),
          }};
}

Section<Config> log_section() {
  return {
      "log",
      {
          choice("level", &Config::log_level, {"trace", "debug", "info", "warn", "error"}, "info"),
      }};
}

// --- checks across keys and sections, reported at line 1 ---------------------------------------

void folders_differ(const std::filesystem::path& file, const Config& c) {
  if (c.processed_folder == c.mailbox || c.quarantine_folder == c.mailbox) {
    throw ConfigError(file.string() + ":1: imap.processed_folder: must differ from imap.mailbox");
  }
}

void sending_needs_address(const std::filesystem::path& file, const Config& c) {
  if (!c.smtp.host.empty() && c.office.address.empty()) {
    throw ConfigError(file.string() + ":1: office.address: is required to send mail");
  }
}

void officers_units_exist(const std::filesystem::path& file, const Config& c) {
  for (const auto& o : c.officers) {
    if (!o.unit.empty() && std::none_of(c.units.begin(), c.units.end(),
                                        [&](const Unit& u) { return u.id == o.unit; })) {
      throw ConfigError(file.string() + ":1: officers: officer \"" + o.id +
                        "\" names unknown unit \"" + o.unit + "\"");
    }
  }
}

/// The file: its sections, and the checks across them, in the order they are read. The
/// first problem found is the one reported, so the order is part of the behaviour.
const std::vector<Step>& config_file() {
  static const std::vector<Step> steps = {
      section(imap_section()),
      check(folders_differ),
      section(database_section(), &Config::database),
      section(intake_section(), &Config::intake),
      section(registration_section(), &Config::registration),
      section(rules_section(), &Config::rules),
      section(limits_section(), &Config::limits),
      section(office_section(), &Config::office),
      section(smtp_section(), &Config::smtp),
      check(sending_needs_address),
      section(outbox_section(), &Config::outbox),
      section(templates_section()),
      section(plain_language_section()),
      array(units_array(), &Config::units),
      array(officers_array(), &Config::officers),
      array(bodies_array(), &Config::bodies),
      check(officers_units_exist),
      section(officer_auth_section(), &Config::officer_auth),
      section(actions_section(), &Config::actions),
      section(log_section()),
  };
  return steps;
}

}  // namespace

std::filesystem::path default_rules_dir() {
  // A binary inside its build tree uses the rules of the source tree it was built from, so
  // an administrator (or a test) can try the shipped rules without installing anything.
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::string build_dir = MAILGATE_BUILD_DIR;
  if (!ec && self.string().rfind(build_dir + "/", 0) == 0) {
    return std::filesystem::path(MAILGATE_SOURCE_DIR) / "rules";
  }
  return std::filesystem::path(MAILGATE_DATA_DIR) / "rules";
}

std::filesystem::path config_path(const std::string& from_flag) {
  if (!from_flag.empty()) return from_flag;
  // Read once, on the main thread at start, before any other thread exists.
  // NOLINTNEXTLINE(concurrency-mt-unsafe)
  if (const char* env = std::getenv("MAILGATE_CONFIG"); env != nullptr && *env != '\0') {
    return env;
  }
  return kDefaultConfig;
}

std::vector<std::string> insecure_settings(const Config& config) {
  std::vector<std::string> out;
  if (!config.imap.verify_peer) {
    out.push_back(
        "[imap] verify_peer = false: the IMAP server's certificate is not checked "
        "(insecure_ok = true)");
  }
  if (config.imap.security == mail::ImapSecurity::plaintext && !is_loopback(config.imap.host)) {
    out.push_back("[imap] security = \"plaintext\" to " + config.imap.host +
                  ": the mailbox password and mail cross the network unencrypted "
                  "(insecure_ok = true)");
  }
  if (config.smtp.security == "none" && !config.smtp.host.empty() &&
      !is_loopback(config.smtp.host)) {
    out.push_back("[smtp] security = \"none\" to " + config.smtp.host +
                  ": outgoing mail crosses the network unencrypted (insecure_ok = true)");
  }
  return out;
}

Config load_config(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) throw ConfigError(file.string() + ": no such file");
  if (std::filesystem::is_directory(file, ec)) {
    throw ConfigError(file.string() + ": cannot read: a directory");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError(file.string() + ": cannot read");
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) throw ConfigError(file.string() + ": cannot read");
  return load_config_text(text, file);
}

Config load_config_text(std::string_view text, const std::filesystem::path& file) {
  toml::table root;
  try {
    root = toml::parse(text, file.string());
  } catch (const toml::parse_error& e) {
    std::ostringstream out;
    out << file.string() << ':' << e.source().begin.line << ':' << e.source().begin.column << ": "
        << e.description();
    throw ConfigError(out.str());
  } catch (const std::exception& e) {
    throw ConfigError(file.string() + ": cannot read: " + e.what());
  }
  return read_config(config_file(), file, root);
}

}  // namespace mailgate::daemon
