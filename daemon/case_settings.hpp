#pragma once
/// The settings the case workflow (cases/) and the plain-language check take, cut from the
/// configuration: the parts get small structs, never the whole Config.

#include "cases/settings.hpp"
#include "daemon/config.hpp"
#include "templates/plain_language.hpp"

namespace mailgate::daemon {

cases::Settings case_settings(const Config& config);

templates::LintSettings lint_settings(const Config& config);

}  // namespace mailgate::daemon
