#pragma once
/// The reminder of reply commands every officer alert and error reply ends with. One text:
/// the daemon fills `command_help` with it, and the sample data shows the same words.

#include <string>

namespace mailgate::templates {

std::string officer_command_help();

}  // namespace mailgate::templates
