// The writers' commands: `template preview` (a mail template rendered with sample or a
// case's data) and `lint-text` (the plain-language check of a text, R9).
#include <nlohmann/json.hpp>

#include <iostream>

#include "daemon/case_settings.hpp"
#include "daemon/cli_commands.hpp"
#include "daemon/template_loader.hpp"
#include "storage/store.hpp"
#include "templates/cliches.hpp"
#include "templates/plain_language.hpp"
#include "templates/sample_context.hpp"
#include "templates/schema.hpp"
#include "templates/template_set.hpp"

namespace mailgate::daemon::cli {
namespace {

/// The case's own facts over the sample: what its client would read. False (after saying
/// so) if there is no such case.
bool merge_case_facts(const Config& config, const std::string& regno, nlohmann::json& ctx) {
  storage::Store store(config.database.url, config.database.password);
  auto found = store.cases_by_regno({regno});
  auto it = found.find(regno);
  if (it == found.end()) {
    std::cerr << "mailgate: no case " << regno << "\n";
    return false;
  }
  nlohmann::json channels = nlohmann::json::array();
  for (const auto& c : it->second.channels) channels.push_back({{"address", c}});
  ctx.merge_patch(
      {{"case",
        {{"regno", regno}, {"subject", it->second.subject}, {"summary", it->second.subject}}},
       {"client", {{"address", it->second.client_address}}},
       {"channels", channels},
       {"office",
        {{"name", config.office.name},
         {"address", config.office.reception_address},
         {"hours", config.office.reception_hours},
         {"phone", config.office.phone},
         {"email", config.office.address}}}});
  return true;
}

}  // namespace

int lint_text_command(const Args& args) {
  const auto& w = args.words;
  if (w.size() > 2) return usage_error("lint-text takes one FILE (or - for standard input)");
  std::string label = w.size() == 2 ? w[1] : "-";
  std::string text = read_input(label);
  auto config = config_or_builtin(args);
  if (!config) return 2;
  namespace t = templates;
  auto report = t::check_plain_language(text, lint_settings(*config),
                                        t::parse_cliche_list(t::shipped_cliche_list()));
  std::cout << t::format_report(report, label == "-" ? "stdin" : label);
  return report.passed ? 0 : 1;
}

int template_preview_command(const Args& args) {
  const auto& w = args.words;
  if (w.size() < 3) return usage_error("template preview needs a NAME");
  std::string name = w[2];
  std::string regno;
  for (std::size_t i = 3; i < w.size(); ++i) {
    if (w[i] == "--case" && i + 1 < w.size()) {
      regno = w[++i];
    } else {
      return usage_error("unknown option for template preview: " + w[i]);
    }
  }
  auto config = config_or_builtin(args);
  if (!config) return 2;
  if (config->templates_directory.empty()) config->templates_directory = default_templates_dir();
  namespace t = templates;
  t::TemplateSet set;
  try {
    set = load_templates(config->templates_directory, lint_settings(*config));
  } catch (const t::TemplateError& e) {
    for (const auto& err : e.errors()) std::cerr << "mailgate: " << err << "\n";
    return 2;
  }
  if (t::find_schema(name) == nullptr) {
    std::string names;
    for (const auto& n : t::template_names()) names += " " + n;
    return usage_error("unknown template \"" + name + "\"; templates:" + names);
  }
  nlohmann::json ctx = t::sample_context(name);
  if (!regno.empty() && !merge_case_facts(*config, regno, ctx)) return 1;
  auto r = set.render(name, ctx);
  std::cout << "Subject: "
            << (regno.empty() ? "[" + ctx["case"].value("regno", "") + "] " : "[" + regno + "] ")
            << r.subject << "\n\n"
            << r.text;
  if (!r.html.empty()) std::cout << "\n--- HTML ---\n" << r.html;
  return 0;
}

}  // namespace mailgate::daemon::cli
