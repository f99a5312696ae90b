#include "templates/template_set.hpp"

#include <set>

#include <kainjow/mustache.hpp>

#include "templates/cliches.hpp"
#include "templates/render.hpp"
#include "templates/sample_context.hpp"
#include "templates/tag_scan.hpp"

namespace mailgate::templates {
namespace {

std::string known_names() {
  std::string out;
  for (const auto& n : template_names()) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

/// Tag problems of one part, each "file:line: reason"; then kainjow's own parse as a
/// safety net (our scan is stricter, so it should never speak).
bool check_part(const std::string& file, const std::string& part, std::size_t first_line,
                const TemplateSchema& schema, bool html, std::vector<std::string>& errors) {
  const auto problems = check_tags(part, first_line, schema, html);
  for (const TagProblem& p : problems) {
    errors.push_back(file + ':' + std::to_string(p.line) + ": " + p.message);
  }
  if (!problems.empty()) return false;
  kainjow::mustache::mustache m{part};
  if (!m.is_valid()) {
    errors.push_back(file + ':' + std::to_string(first_line) +
                     ": malformed mustache: " + m.error_message());
    return false;
  }
  return true;
}

}  // namespace

TemplateSet TemplateSet::build(const std::vector<TemplateFile>& files, const LintSettings& settings,
                               const std::vector<std::string>& cliches,
                               std::vector<std::string>& errors) {
  TemplateSet set;
  std::set<std::string> seen;
  std::set<std::string> text_given;  // templates whose .txt was given
  std::set<std::string> broken;      // templates with a problem in one of their files
  for (const TemplateFile& f : files) {
    if (!seen.insert(f.name).second) {
      errors.push_back(f.name + ": given twice");
      continue;
    }
    std::string_view file_name = f.name;
    if (auto slash = file_name.rfind('/'); slash != std::string_view::npos) {
      file_name.remove_prefix(slash + 1);
    }
    const bool is_txt = file_name.ends_with(".txt");
    const bool is_html = file_name.ends_with(".html");
    if (!is_txt && !is_html) {
      errors.push_back(f.name +
                       ":1: unknown file type: a template is NAME.txt with an optional NAME.html");
      continue;
    }
    const std::string base(file_name.substr(0, file_name.size() - (is_txt ? 4 : 5)));
    const TemplateSchema* schema = find_schema(base);
    if (!schema) {
      errors.push_back(f.name + ":1: unknown template \"" + base + "\" (known: " + known_names() +
                       ")");
      continue;
    }
    Entry& e = set.entries_[base];
    e.schema = schema;
    if (is_txt) {
      text_given.insert(base);
      std::size_t line = 0;
      std::string reason;
      ParsedText p = parse_text_file(f.text, line, reason);
      if (!reason.empty()) {
        errors.push_back(f.name + ':' + std::to_string(line) + ": " + reason);
        broken.insert(base);
        continue;
      }
      const bool subject_ok = check_part(f.name, p.subject, 1, *schema, false, errors);
      const bool body_ok = check_part(f.name, p.body, p.body_line, *schema, false, errors);
      if (!subject_ok || !body_ok) broken.insert(base);
      e.subject = std::move(p.subject);
      e.body = std::move(p.body);
    } else {
      std::string html = normalize_file(f.text);
      if (html.find_first_not_of(" \t\n") == std::string::npos) {
        errors.push_back(f.name + ":1: the HTML part is empty (delete the file if not needed)");
        broken.insert(base);
        continue;
      }
      if (!check_part(f.name, html, 1, *schema, true, errors)) broken.insert(base);
      e.html = std::move(html);
      e.has_html = true;
    }
  }
  for (const TemplateSchema& s : template_schemas()) {
    if (!text_given.count(s.name)) {
      errors.push_back(s.name +
                       ".txt: missing (every template of the set is required, see "
                       "docs/templates.md)");
      broken.insert(s.name);
    }
  }
  for (const TemplateSchema& s : template_schemas()) {
    if (broken.count(s.name)) continue;
    const LintReport report = lint_template(set, s.name, settings, cliches);
    if (!report.passed) {
      errors.push_back(s.name +
                       ".txt: fails the plain-language check (rendered with its "
                       "sample data; lines of the rendered mail): " +
                       summarize_report(report));
    }
  }
  return set;
}

TemplateSet TemplateSet::load(const std::vector<TemplateFile>& files,
                              const LintSettings& settings) {
  return load(files, settings, parse_cliche_list(shipped_cliche_list()));
}

TemplateSet TemplateSet::load(const std::vector<TemplateFile>& files, const LintSettings& settings,
                              const std::vector<std::string>& cliches) {
  std::vector<std::string> errors;
  TemplateSet set = build(files, settings, cliches, errors);
  if (!errors.empty()) throw TemplateError(std::move(errors));
  return set;
}

std::vector<std::string> check_template_files(const std::vector<TemplateFile>& files,
                                              const LintSettings& settings,
                                              const std::vector<std::string>& cliches) {
  std::vector<std::string> errors;
  TemplateSet::build(files, settings, cliches, errors);
  return errors;
}

RenderedMail TemplateSet::render(const std::string& name, const nlohmann::json& context) const {
  auto it = entries_.find(name);
  if (it == entries_.end() || !it->second.schema) {
    throw TemplateError({"unknown template \"" + name + "\""});
  }
  const Entry& e = it->second;
  RenderedMail mail;
  mail.subject = clean_subject(render_part(e.subject, context, *e.schema, false), kMaxSubjectChars);
  mail.text = clean_text(render_part(e.body, context, *e.schema, false));
  if (e.has_html) mail.html = clean_html(render_part(e.html, context, *e.schema, true));
  return mail;
}

bool TemplateSet::has_html(const std::string& name) const {
  auto it = entries_.find(name);
  return it != entries_.end() && it->second.has_html;
}

LintReport lint_template(const TemplateSet& set, const std::string& name,
                         const LintSettings& settings, const std::vector<std::string>& cliches) {
  const RenderedMail mail = set.render(name, sample_context(name));
  return check_plain_language(mail.subject + "\n\n" + mail.text, settings, cliches);
}

}  // namespace mailgate::templates
