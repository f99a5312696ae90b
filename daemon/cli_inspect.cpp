// `mailgate inspect`: how a message parses, as JSON; touches no server.
#include <iostream>

#include "daemon/cli_commands.hpp"
#include "mail/parse.hpp"

namespace mailgate::daemon::cli {

int inspect_command(const std::vector<std::string>& words) {
  if (words.size() != 2) return usage_error("inspect needs one FILE.eml");
  std::string raw = read_file(words[1]);
  try {
    std::cout << mail::to_json(mail::parse_message(raw)) << "\n";
  } catch (const mail::ParseError& e) {
    std::cerr << "mailgate: " << words[1] << ": cannot parse: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace mailgate::daemon::cli
