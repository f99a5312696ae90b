#pragma once
/// The daemon's configuration: typed values loaded from one TOML file and validated before
/// anything starts. Only daemon/ reads the file; the parts get plain settings structs.

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "mail/imap_session.hpp"

namespace mailgate::daemon {

struct DatabaseConfig {
  std::string url;       ///< libpq URL, without the password
  std::string password;  ///< from password_file; never logged
};

struct IntakeConfig {
  std::chrono::seconds poll_interval{30};
  std::size_t batch_size = 100;
  int max_parse_attempts = 3;
  std::chrono::seconds max_backoff{600};
};

struct RegistrationConfig {
  std::string pattern = "УПК-{year}-{seq:06}";
  std::string timezone = "Europe/Moscow";
};

struct Config {
  std::filesystem::path file;
  mail::ImapSettings imap;
  std::string mailbox = "INBOX";
  std::string processed_folder = "Processed";
  std::string quarantine_folder = "Quarantine";
  DatabaseConfig database;
  IntakeConfig intake;
  RegistrationConfig registration;
  std::string log_level = "info";
};

/// A configuration error: "file:line: key: reason". The CLI prints it and exits 2.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Where the config comes from: the --config value, else $MAILGATE_CONFIG, else the default.
std::filesystem::path config_path(const std::string& from_flag);

/// Loads and validates; throws ConfigError naming file:line and the key.
Config load_config(const std::filesystem::path& file);

}  // namespace mailgate::daemon
