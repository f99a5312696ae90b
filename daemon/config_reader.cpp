#include "daemon/config_reader.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <utility>

#include "daemon/config.hpp"

namespace mailgate::daemon::config_schema {

std::string where(const std::filesystem::path& file, const toml::source_region& src) {
  std::ostringstream out;
  out << file.string() << ':' << src.begin.line;
  return out.str();
}

TableReader::TableReader(const std::filesystem::path& file, const toml::table& root,
                         std::string name)
    : file_(file), name_(std::move(name)) {
  const toml::node* node = root.get(name_);
  if (node == nullptr) return;
  table_ = node->as_table();
  if (table_ == nullptr) fail(node->source(), name_, "must be a table ([" + name_ + "])");
}

TableReader::TableReader(const std::filesystem::path& file, const toml::table* table,
                         std::string name, const toml::source_region& item)
    : file_(file), name_(std::move(name)), table_(table), item_(item) {}

std::optional<std::string> TableReader::string(const std::string& key) {
  const toml::node* n = find(key);
  if (n == nullptr) return std::nullopt;
  if (!n->is_string()) fail(n->source(), key, "must be a string in quotes");
  return n->as_string()->get();
}

std::string TableReader::required(const std::string& key) {
  auto v = string(key);
  if (v && !v->empty()) return *v;
  if (!item_) fail_at_top(key, "is required");
  fail(v ? find(key)->source() : *item_, key, "is required");
}

std::optional<std::int64_t> TableReader::integer(const std::string& key, std::int64_t min,
                                                 std::int64_t max) {
  const toml::node* n = find(key);
  if (n == nullptr) return std::nullopt;
  if (!n->is_integer()) fail(n->source(), key, "must be a whole number");
  std::int64_t v = n->as_integer()->get();
  if (v < min || v > max) {
    fail(n->source(), key,
         "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return v;
}

std::optional<double> TableReader::number(const std::string& key, std::int64_t min,
                                          std::int64_t max, const std::string& like) {
  const toml::node* n = find(key);
  if (n == nullptr) return std::nullopt;
  if (!n->is_number()) fail(n->source(), key, "must be a number like " + like);
  double v = n->value<double>().value_or(0);
  // Written so that NaN fails too.
  if (!(v >= static_cast<double>(min) && v <= static_cast<double>(max))) {
    fail(n->source(), key,
         "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return v;
}

std::optional<bool> TableReader::boolean(const std::string& key) {
  const toml::node* n = find(key);
  if (n == nullptr) return std::nullopt;
  if (!n->is_boolean()) fail(n->source(), key, "must be true or false");
  return n->as_boolean()->get();
}

std::vector<std::string> TableReader::strings(const std::string& key) {
  std::vector<std::string> out;
  const toml::node* n = find(key);
  if (n == nullptr) return out;
  const toml::array* a = n->as_array();
  if (a == nullptr) fail(n->source(), key, "must be a list of strings in quotes");
  for (const auto& item : *a) {
    if (!item.is_string()) fail(item.source(), key, "must be a list of strings in quotes");
    out.push_back(item.as_string()->get());
  }
  return out;
}

std::optional<std::string> TableReader::choice(const std::string& key,
                                               const std::set<std::string>& allowed) {
  auto v = string(key);
  if (v && allowed.count(*v) == 0) {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + ("\"" + a + "\"");
    fail_at(key, "must be one of " + list);
  }
  return v;
}

std::optional<std::string> TableReader::secret(const std::string& key) {
  auto inline_value = string(key);
  auto file_key = key + "_file";
  auto path = string(file_key);
  if (inline_value && path) fail_at(file_key, "give either " + key + " or " + file_key);
#ifndef MAILGATE_ALLOW_INLINE_PASSWORD
  // Config files get copied, mailed and committed; a password in one leaks with it.
  if (inline_value) {
    fail_at(key,
            "a password written into the configuration is refused; put it in a file "
            "readable only by the daemon and name it with " +
                file_key);
  }
#endif
  if (inline_value) return inline_value;
  if (!path || path->empty()) return std::nullopt;
  // Relative to the configuration file, as every other path in it: not to wherever the
  // daemon happened to be started from.
  auto file = resolve(*path);
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) fail_at(file_key, "cannot read " + file.string());
  // As ssh does with keys: a secret others can read is no longer a secret.
  if ((st.st_mode & 0066U) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777U));
    const char* what = (st.st_mode & 0044U) != 0 ? "readable" : "writable";
    fail_at(file_key, file_key + " " + file.string() + " is " + what + " by others (mode " + mode +
                          "); chmod 600 it");
  }
  std::ifstream in(file);
  if (!in) fail_at(file_key, "cannot read " + file.string());
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}

std::filesystem::path TableReader::resolve(const std::string& path) const {
  std::filesystem::path p(path);
  return p.is_absolute() ? p : file_.parent_path() / p;
}

void TableReader::reject_unknown() const {
  if (table_ == nullptr) return;
  for (const auto& [k, v] : *table_) {
    std::string key(k.str());
    if (known_.count(key) == 0) fail(v.source(), key, "unknown key in [" + name_ + "]");
  }
}

void TableReader::fail_at(const std::string& key, const std::string& reason) {
  fail(find(key)->source(), key, reason);
}

void TableReader::fail(const toml::source_region& src, const std::string& key,
                       const std::string& reason) const {
  throw ConfigError(where(file_, src) + ": " + name_ + "." + key + ": " + reason);
}

void TableReader::fail_at_top(const std::string& key, const std::string& reason) const {
  throw ConfigError(file_.string() + ":1: " + name_ + "." + key + ": " + reason);
}

const toml::node* TableReader::find(const std::string& key) {
  known_.insert(key);
  return table_ == nullptr ? nullptr : table_->get(key);
}

}  // namespace mailgate::daemon::config_schema
