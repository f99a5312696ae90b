#pragma once
/// The daemon's configuration: typed values loaded from one TOML file and validated before
/// anything starts. Only daemon/ reads the file; the parts get plain settings structs.

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cases/settings.hpp"
#include "mail/imap_session.hpp"
#include "mail/parse.hpp"

namespace mailgate::daemon {

// The office, its people and the limits on actions are the case workflow's settings
// (cases/settings.hpp); the configuration holds them under their old names.
using OfficeConfig = cases::Office;
using Body = cases::Body;
using Unit = cases::Unit;
using Officer = cases::Officer;
using ActionsConfig = cases::ActionLimits;

struct DatabaseConfig {
  std::string url;       ///< libpq URL, without the password
  std::string password;  ///< from password_file; never logged
};

struct IntakeConfig {
  std::chrono::seconds poll_interval{30};
  std::size_t batch_size = 100;
  std::uint64_t batch_bytes = 32ULL * 1024 * 1024;  ///< raw mail one batch holds in memory
  int max_parse_attempts = 3;
  std::chrono::seconds max_backoff{600};
};

struct RegistrationConfig {
  std::string pattern = "УПК-{year}-{seq:06}";
  std::string timezone = "Europe/Moscow";
};

/// Urgency rules and the business calendar (rules/). Directories hold *.toml files.
struct RulesConfig {
  std::filesystem::path directory;           ///< rule files, loaded in name order
  std::filesystem::path calendar_directory;  ///< YYYY.toml and office_hours.toml
  int urgent_score = 10;
  std::string default_term = "30 days";
  std::string urgent_term = "2 working days";
  bool shift_to_working_day = true;
  int history_days = 365;  ///< how far back a sender's earlier messages count
};

/// The SMTP server outgoing mail goes through.
struct SmtpConfig {
  std::string host;  ///< empty: nothing is sent (outbox rows wait)
  int port = 587;
  std::string security = "starttls";  ///< "smtps", "starttls" or "none" (loopback only)
  bool insecure_ok = false;           ///< allows "none" to a server off this machine
  std::string ca_file;
  std::string user;
  std::string password;  ///< from password_file; never logged
  std::string helo_name;
  std::chrono::seconds timeout{60};
};

/// How the outbox worker sends and when it gives up; loop-safety caps.
struct OutboxConfig {
  std::chrono::seconds poll_interval{5};
  /// Sending threads, each with its own database and SMTP connection.
  int workers = 4;
  int max_attempts = 10;
  std::chrono::seconds min_backoff{60};
  std::chrono::seconds max_backoff{3600};
  int acks_per_sender_per_day = 10;
  int alerts_per_sender_per_hour = 20;  ///< staff alerts about one sender's new letters
  int suppress_failed_days = 60;
  int auto_per_sender_per_hour = 20;  ///< automatic mail to one address in an hour
  int auto_per_hour = 500;            ///< automatic mail to anyone in an hour
  int max_additional_channels = 2;    ///< additional channels per case
  int channel_confirm_days = 7;       ///< a channel request waits this long
};

/// Which mail from an officer address is obeyed (mail/sender_auth.hpp).
struct OfficerAuthConfig {
  std::vector<std::string> authserv_ids;    ///< Authentication-Results from these count
  std::vector<std::string> trusted_relays;  ///< our MTAs whose Received fields we believe
  std::vector<std::string> mta_hosts;  ///< `by` names of our MTAs' Received (default authserv_ids)
  std::string token_key;               ///< from token_key_file: the staff mail tokens' key
};

struct Config {
  std::filesystem::path file;
  mail::ImapSettings imap;
  /// [imap] insecure_ok: verify_peer = false or "plaintext" off this machine are allowed.
  bool imap_insecure_ok = false;
  std::string mailbox = "INBOX";
  std::string processed_folder = "Processed";
  std::string quarantine_folder = "Quarantine";
  DatabaseConfig database;
  IntakeConfig intake;
  RegistrationConfig registration;
  RulesConfig rules;
  mail::ParseLimits limits;
  OfficeConfig office;
  SmtpConfig smtp;
  OutboxConfig outbox;
  std::filesystem::path templates_directory;  ///< NAME.txt / NAME.html mail templates
  /// Plain-language thresholds ([plain_language]), for templates and lint-text (R9).
  double min_readability = 40.0;
  std::size_t max_sentence_words = 25;
  std::size_t max_cliches = 0;
  std::size_t min_explanation_words = 2;
  std::vector<Unit> units;
  std::vector<Officer> officers;
  std::vector<Body> bodies;
  OfficerAuthConfig officer_auth;
  ActionsConfig actions;
  std::string log_level = "info";
};

/// The shipped rules: the source tree's rules/ when this binary runs from its build tree,
/// else the installed copy.
std::filesystem::path default_rules_dir();

/// A configuration error: "file:line: key: reason". The CLI prints it and exits 2.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Where the config comes from: the --config value, else $MAILGATE_CONFIG, else the default.
std::filesystem::path config_path(const std::string& from_flag);

/// What the configuration allows only because insecure_ok says so, one line each; the
/// daemon logs them as warnings at every start and check-config prints them.
std::vector<std::string> insecure_settings(const Config& config);

/// Loads and validates; throws ConfigError naming file:line and the key.
Config load_config(const std::filesystem::path& file);

/// The same for file contents already read: `file` names the file in errors and is where
/// relative paths (rules.directory, ...) are resolved from; password_file is still read.
Config load_config_text(std::string_view text, const std::filesystem::path& file);

}  // namespace mailgate::daemon
