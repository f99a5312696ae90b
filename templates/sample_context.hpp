#pragma once
/// Realistic sample data for each template: what `mailgate template preview NAME` shows and
/// what the plain-language check reads at load time. It also documents the context the
/// daemon builds: every variable of the template's schema has a value here.

#include <string>

#include <nlohmann/json.hpp>

namespace mailgate::templates {

/// The sample context of template `name`; throws std::invalid_argument for an unknown name.
nlohmann::json sample_context(const std::string& name);

}  // namespace mailgate::templates
