#pragma once
/// One table of the configuration file, read key by key with typed reads. Every read marks its
/// key as known, and every bad value throws ConfigError naming file:line and section.key, so
/// the message points at the line to fix. daemon/config_schema.hpp builds on these reads.

#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace mailgate::daemon::config_schema {

/// "file:line" of a place in the file.
std::string where(const std::filesystem::path& file, const toml::source_region& src);

class TableReader {
 public:
  /// A top-level table ([imap]); absent is allowed, anything but a table is an error.
  TableReader(const std::filesystem::path& file, const toml::table& root, std::string name);

  /// One table of an array of tables ([[units]]), named like "units[2]" in errors; `item` is
  /// where a missing required key is reported.
  TableReader(const std::filesystem::path& file, const toml::table* table, std::string name,
              const toml::source_region& item);

  bool present() const { return table_ != nullptr; }
  const std::string& name() const { return name_; }

  std::optional<std::string> string(const std::string& key);
  /// A required non-empty string. A top-level table reports it missing or empty at line 1
  /// (the table itself may be missing); an item of an array at the key, or at the item when
  /// the key is absent.
  std::string required(const std::string& key);
  std::optional<std::int64_t> integer(const std::string& key, std::int64_t min, std::int64_t max);
  /// Any number, integer or not; `like` is the example the type error gives.
  std::optional<double> number(const std::string& key, std::int64_t min, std::int64_t max,
                               const std::string& like);
  std::optional<bool> boolean(const std::string& key);
  /// An array of strings; absent is the empty list.
  std::vector<std::string> strings(const std::string& key);
  std::optional<std::string> choice(const std::string& key, const std::set<std::string>& allowed);
  /// A secret given either inline (`key`) or as `key_file`; the file's first line is used.
  std::optional<std::string> secret(const std::string& key);

  /// A path from the file, resolved against the directory the file is in.
  std::filesystem::path resolve(const std::string& path) const;

  /// After all reads: any key nobody asked for is a typo or a stale setting.
  void reject_unknown() const;

  /// Fails at the line of `key`, which must be present.
  [[noreturn]] void fail_at(const std::string& key, const std::string& reason);
  [[noreturn]] void fail(const toml::source_region& src, const std::string& key,
                         const std::string& reason) const;
  /// Fails at line 1: for what belongs to no one line (a missing key or table).
  [[noreturn]] void fail_at_top(const std::string& key, const std::string& reason) const;

 private:
  const toml::node* find(const std::string& key);

  const std::filesystem::path& file_;
  std::string name_;
  const toml::table* table_ = nullptr;
  std::optional<toml::source_region> item_;  ///< set for an item of an array of tables
  std::set<std::string> known_;
};

}  // namespace mailgate::daemon::config_schema
