#pragma once
/// Our own reading of mustache tags in a template part, to check them against the schema
/// with line numbers (kainjow renders an unknown name as empty and reports errors by byte
/// offset). Only what mailgate templates need is allowed: {{x}}, {{{x}}}, {{&x}}, sections
/// {{#x}}...{{/x}} and {{^x}}...{{/x}}, comments {{! ...}}. Partials and delimiter changes are
/// errors; so is an unescaped value in an HTML part (values there are always escaped).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "templates/schema.hpp"

namespace mailgate::templates {

struct TagProblem {
  std::size_t line = 0;
  std::string message;  ///< without the file and line
};

/// Problems of one part (a subject line or a body) whose first line is `first_line`. After a
/// structural problem (an unclosed tag, a mismatched section) the scan stops.
std::vector<TagProblem> check_tags(std::string_view text, std::size_t first_line,
                                   const TemplateSchema& schema, bool html);

}  // namespace mailgate::templates
