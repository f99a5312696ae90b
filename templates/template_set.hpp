#pragma once
/// The outbound mail templates, loaded, checked and ready to render.
///
/// The daemon reads templates/mail/*.txt and *.html (its configured directory) and passes
/// their contents to load(). Loading checks everything that can be checked before a mail is
/// sent: every file belongs to a known template, every template is there, every tag names a
/// variable the template's schema has (schema.hpp), the mustache is well formed, and each
/// template rendered with its sample data passes the plain-language check. A set that loads
/// cannot fail to render later.

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "templates/plain_language.hpp"
#include "templates/schema.hpp"
#include "templates/template_file.hpp"

namespace mailgate::templates {

/// A filled template. The subject is one line without the case tag; text ends with "\n" and
/// uses "\n" line breaks; html is empty when the template has no .html part.
struct RenderedMail {
  std::string subject;
  std::string text;
  std::string html;
};

/// The longest subject render() returns, in characters (a client's subject can be huge).
inline constexpr std::size_t kMaxSubjectChars = 200;

class TemplateSet {
 public:
  /// Loads and checks the files with the shipped cliché list; throws TemplateError.
  static TemplateSet load(const std::vector<TemplateFile>& files, const LintSettings& settings);
  /// The same with another cliché list (entries as parse_cliche_list() gives them).
  static TemplateSet load(const std::vector<TemplateFile>& files, const LintSettings& settings,
                          const std::vector<std::string>& cliches);

  /// Fills template `name` with `context` (see schema.hpp for its shape). Never throws on odd
  /// data: a missing value renders empty, values are inserted as they are in the text part and
  /// HTML-escaped in the html part, and mustache inside values is not expanded. Throws
  /// TemplateError only for a name that is not a template.
  RenderedMail render(const std::string& name, const nlohmann::json& context) const;

  bool has_html(const std::string& name) const;

 private:
  struct Entry {
    const TemplateSchema* schema = nullptr;
    std::string subject;
    std::string body;
    std::string html;
    bool has_html = false;
  };
  std::map<std::string, Entry, std::less<>> entries_;

  friend std::vector<std::string> check_template_files(const std::vector<TemplateFile>&,
                                                       const LintSettings&,
                                                       const std::vector<std::string>&);
  static TemplateSet build(const std::vector<TemplateFile>& files, const LintSettings& settings,
                           const std::vector<std::string>& cliches,
                           std::vector<std::string>& errors);
};

/// Every problem load() would report, without throwing: for `mailgate check-config`.
std::vector<std::string> check_template_files(const std::vector<TemplateFile>& files,
                                              const LintSettings& settings,
                                              const std::vector<std::string>& cliches);

/// The plain-language report of template `name` of `set` rendered with its sample data:
/// subject, an empty line, then the text (the lines of the report count in that).
LintReport lint_template(const TemplateSet& set, const std::string& name,
                         const LintSettings& settings, const std::vector<std::string>& cliches);

}  // namespace mailgate::templates
