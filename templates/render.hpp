#pragma once
/// Filling a template part with data, through kainjow mustache. Values are inserted as they
/// are: kainjow never expands mustache inside a value (we give it no lambdas), so "{{x}}" in a
/// client's name stays text. The text part is not escaped; the HTML part is, and line breaks
/// in values become <br>. Output is cleaned: line breaks are "\n", control characters go, and
/// a subject is one line.

#include <string>

#include <nlohmann/json.hpp>

#include "templates/schema.hpp"

namespace mailgate::templates {

/// Renders `tmpl` (already checked by check_tags) with `context`; never throws on odd data:
/// missing keys and null render empty, numbers render as written, empty strings and empty
/// lists are false in sections. Adds the has_<list> flags of `schema`.
std::string render_part(const std::string& tmpl, const nlohmann::json& context,
                        const TemplateSchema& schema, bool html);

/// One line: control characters and line breaks become spaces, runs of spaces one space,
/// trimmed, at most `max_chars` characters.
std::string clean_subject(std::string_view subject, std::size_t max_chars);

/// "\n" line breaks, no control characters except tab, no trailing spaces, no more than one
/// empty line in a row (optional parts leave none behind), ends with one "\n".
std::string clean_text(std::string_view text);

/// "\n" line breaks and no control characters except tab.
std::string clean_html(std::string_view html);

}  // namespace mailgate::templates
