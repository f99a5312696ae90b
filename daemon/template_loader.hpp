#pragma once
/// Reads the template directory (NAME.txt, NAME.html) and loads it with the checks of
/// templates/: an unknown variable, a malformed file or a template that fails the
/// plain-language check stops the start with file:line.

#include <filesystem>

#include "templates/template_set.hpp"

namespace mailgate::daemon {

/// templates/mail of the source tree for a binary in its build tree, else the installed copy.
std::filesystem::path default_templates_dir();

/// Throws templates::TemplateError (file:line: reason) or std::runtime_error (unreadable).
templates::TemplateSet load_templates(const std::filesystem::path& dir,
                                      const templates::LintSettings& settings);

}  // namespace mailgate::daemon
