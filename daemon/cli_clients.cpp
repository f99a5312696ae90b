// `mailgate clients import`: adds or updates the client directory from a CSV file.
#include <exception>
#include <iostream>

#include "cases/clients_csv.hpp"
#include "daemon/cli_commands.hpp"
#include "storage/store.hpp"

namespace mailgate::daemon::cli {
namespace {

/// words: {"clients", "import", FILE.csv}
int clients_import(const Config& config, const std::vector<std::string>& w) {
  if (w.size() != 3) return usage_error("clients import needs one FILE.csv");
  cases::ClientsCsv csv;
  try {
    csv = cases::parse_clients_csv(w[2], read_file(w[2]));
  } catch (const std::exception& e) {
    std::cerr << "mailgate: " << e.what() << "\n";
    return 1;
  }
  for (const auto& p : csv.problems) std::cerr << "mailgate: skipped " << p << "\n";
  storage::Store store(config.database.url, config.database.password);
  store.migrate();
  auto n = store.import_clients(csv.rows);
  std::cout << "imported " << n << " client(s), skipped " << csv.problems.size() << " row(s)\n";
  return 0;
}

}  // namespace

int clients_command(const Config& config, const std::vector<std::string>& words) {
  if (words.size() >= 2 && words[1] == "import") return clients_import(config, words);
  return usage_error("unknown clients command");
}

}  // namespace mailgate::daemon::cli
