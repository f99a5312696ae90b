#include "daemon/rules_runtime.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "rules/rule_load.hpp"
#include "rules/term.hpp"

namespace mailgate::daemon {
namespace {

namespace fs = std::filesystem;

rules::SourceFile read_source(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path.string() + ": cannot read");
  return {path.string(),
          std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>())};
}

/// "*.toml": a rule file.
bool is_rule_file(const std::string& name) {
  return name.size() > 5 && name.compare(name.size() - 5, 5, ".toml") == 0;
}

/// "YYYY.toml": a calendar year.
bool is_year_file(const std::string& name) {
  return name.size() == 9 && name.compare(4, 5, ".toml") == 0 &&
         std::all_of(name.begin(), name.begin() + 4, [](char c) { return c >= '0' && c <= '9'; });
}

/// The files of a directory whose names are `wanted`, in name order.
std::vector<rules::SourceFile> read_dir(const fs::path& dir,
                                        bool (*wanted)(const std::string& name)) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw ConfigError(dir.string() + ": no such directory");
  std::vector<fs::path> paths;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && wanted(e.path().filename().string())) {
      paths.push_back(e.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<rules::SourceFile> out;
  out.reserve(paths.size());
  for (const auto& p : paths) out.push_back(read_source(p));
  return out;
}

rules::Vocabulary vocabulary(const Config& c) {
  rules::Vocabulary v;
  for (const auto& u : c.units) v.units.insert(u.id);
  for (const auto& o : c.officers) v.officers.insert(o.id);
  return v;
}

rules::Term term_setting(const Config& c, const std::string& key, const std::string& value) {
  try {
    return rules::parse_term(value);
  } catch (const std::exception& e) {
    throw ConfigError(c.file.string() + ":1: rules." + key + ": " + e.what());
  }
}

struct Sources {
  std::vector<rules::SourceFile> rule_files;
  rules::SourceFile office_hours;
  std::vector<rules::SourceFile> years;
};

Sources read_sources(const Config& c) {
  Sources s;
  s.rule_files = read_dir(c.rules.directory, is_rule_file);
  s.office_hours = read_source(c.rules.calendar_directory / "office_hours.toml");
  s.years = read_dir(c.rules.calendar_directory, is_year_file);
  return s;
}

}  // namespace

std::shared_ptr<const LoadedRules> load_rules(const Config& c) {
  auto sources = read_sources(c);
  rules::EngineSettings settings;
  settings.urgent_score = c.rules.urgent_score;
  settings.default_term = term_setting(c, "default_term", c.rules.default_term);
  settings.urgent_term = term_setting(c, "urgent_term", c.rules.urgent_term);
  settings.deadline.shift_to_working_day = c.rules.shift_to_working_day;
  try {
    auto calendar = rules::Calendar::load(sources.office_hours, sources.years);
    std::size_t files = sources.rule_files.size();
    auto set = rules::load_rule_set(std::move(sources.rule_files), vocabulary(c));
    return std::make_shared<const LoadedRules>(
        LoadedRules{std::move(set), std::move(calendar), settings, files});
  } catch (const rules::CalendarError& e) {
    throw ConfigError(e.what());
  } catch (const rules::RuleError& e) {
    throw ConfigError(e.what());
  }
}

std::vector<std::string> check_rules(const Config& c) {
  try {
    auto sources = read_sources(c);
    term_setting(c, "default_term", c.rules.default_term);
    term_setting(c, "urgent_term", c.rules.urgent_term);
    rules::Calendar::load(sources.office_hours, sources.years);
    return rules::check_rule_files(std::move(sources.rule_files), vocabulary(c));
  } catch (const rules::CalendarError& e) {
    return {e.what()};
  } catch (const ConfigError& e) {
    return {e.what()};
  }
}

std::shared_ptr<const LoadedRules> RulesHolder::get() const {
  std::lock_guard lock(mutex_);
  return rules_;
}

std::string RulesHolder::reload(const Config& config) {
  try {
    auto fresh = load_rules(config);
    std::lock_guard lock(mutex_);
    rules_ = std::move(fresh);
    return {};
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace mailgate::daemon
