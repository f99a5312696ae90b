#include "daemon/config_schema.hpp"

namespace mailgate::daemon::config_schema {

const toml::array* array_of_tables(const std::filesystem::path& file, const toml::table& root,
                                   const std::string& name) {
  const toml::node* node = root.get(name);
  if (node == nullptr) return nullptr;
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    throw ConfigError(where(file, node->source()) + ": " + name +
                      ": must be an array of tables ([[" + name + "]])");
  }
  return array;
}

const toml::table* item_table(const std::filesystem::path& file, const toml::node& item,
                              const std::string& label) {
  if (!item.is_table()) {
    throw ConfigError(where(file, item.source()) + ": " + label + ": must be a table");
  }
  return item.as_table();
}

Step section(Section<Config> s) {
  std::string name = s.name;
  return {name, [s = std::move(s)](const std::filesystem::path& file, const toml::table& root,
                                   Config& c) { read_section(file, root, s, c); }};
}

Step check(std::function<void(const std::filesystem::path& file, const Config&)> fn) {
  return {"", [fn = std::move(fn)](const std::filesystem::path& file, const toml::table& /*root*/,
                                   Config& c) { fn(file, c); }};
}

Config read_config(const std::vector<Step>& steps, const std::filesystem::path& file,
                   const toml::table& root) {
  std::set<std::string> sections;
  for (const auto& step : steps) {
    if (!step.section.empty()) sections.insert(step.section);
  }
  for (const auto& [k, v] : root) {
    if (sections.count(std::string(k.str())) == 0) {
      throw ConfigError(where(file, v.source()) + ": " + std::string(k.str()) +
                        ": unknown section");
    }
  }
  Config c;
  c.file = file;
  for (const auto& step : steps) step.run(file, root, c);
  return c;
}

}  // namespace mailgate::daemon::config_schema
