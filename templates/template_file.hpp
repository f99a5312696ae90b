#pragma once
/// Template files as the daemon reads them, and what goes wrong with them.
///
/// A template is NAME.txt, optionally with NAME.html beside it. The .txt file:
///
///     Subject: <mustache text>
///     <empty line>
///     <plain-text body>
///
/// The .html file is the body of an HTML alternative, nothing else. The daemon puts the case
/// tag "[УПК-2026-000123] " before the subject itself.

#include <stdexcept>
#include <string>
#include <vector>

namespace mailgate::templates {

/// One file: its name ("acknowledgement.txt") and its contents. The module never reads files.
struct TemplateFile {
  std::string name;
  std::string text;
};

/// A template problem, "file:line: reason" (the line is absent where there is none, e.g. a
/// missing file). what() is the first problem; errors() has all of them.
class TemplateError : public std::runtime_error {
 public:
  explicit TemplateError(std::vector<std::string> errors);
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::vector<std::string> errors_;
};

/// A .txt file split into its parts.
struct ParsedText {
  std::string subject;
  std::string body;
  std::size_t body_line = 3;  ///< line of the file where the body starts
};

/// Splits a .txt template; a problem is returned as "line: reason" through `error` (line 0 if
/// none) and the result is then meaningless. Accepts CRLF line ends and a UTF-8 BOM.
ParsedText parse_text_file(const std::string& text, std::size_t& error_line, std::string& error);

/// The contents with a UTF-8 BOM dropped and CRLF / CR line ends made "\n".
std::string normalize_file(const std::string& text);

}  // namespace mailgate::templates
