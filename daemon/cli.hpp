#pragma once
/// What the console commands share: the parsed command line, usage errors, reading a file
/// or standard input, taking options out of the words, and finding the configuration.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daemon/config.hpp"
#include "daemon/rules_runtime.hpp"

namespace mailgate::daemon::cli {

struct Args {
  std::string config;              ///< --config FILE, empty if not given
  std::vector<std::string> words;  ///< command and its arguments, flags included
};

/// The text of `mailgate --help`.
extern const char* const kUsage;

/// Prints why and the usage text to stderr; returns the exit code 2.
int usage_error(const std::string& why);
/// Prints only why (a command's own option error); returns the exit code 2.
int brief_usage_error(const std::string& why);

/// The whole file; throws std::runtime_error("cannot read PATH").
std::string read_file(const std::string& path);
/// As read_file, with "-" for standard input.
std::string read_input(const std::string& path);

/// Takes "--name VALUE" out of the words; empty if absent.
std::string take_option(std::vector<std::string>& words, const std::string& name);
/// Takes "--name" out of the words; whether it was there.
bool take_flag(std::vector<std::string>& words, const std::string& name);

/// The configuration the daemon runs with, or empty after printing why it is wrong.
std::optional<Config> load_config_or_report(const Args& args);
/// For rules and calendar commands an administrator may run before any configuration
/// exists: the configuration if one is named or present, else the shipped rules and
/// calendar with the office's one unit. Empty after printing why a named one is wrong.
std::optional<Config> config_or_defaults(const Args& args, bool& from_file);
/// For text and template commands: the configuration's thresholds when there is one, the
/// built-in ones otherwise (a writer can check a text without a configured daemon).
std::optional<Config> config_or_builtin(const Args& args);

/// The rules and calendar, or null after printing why they cannot be loaded.
std::shared_ptr<const LoadedRules> load_rules_or_report(const Config& config);

}  // namespace mailgate::daemon::cli
