#include "daemon/template_loader.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace mailgate::daemon {

std::filesystem::path default_templates_dir() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::string build_dir = MAILGATE_BUILD_DIR;
  if (!ec && self.string().rfind(build_dir + "/", 0) == 0) {
    return std::filesystem::path(MAILGATE_SOURCE_DIR) / "templates" / "mail";
  }
  return std::filesystem::path(MAILGATE_DATA_DIR) / "templates";
}

templates::TemplateSet load_templates(const std::filesystem::path& dir,
                                      const templates::LintSettings& settings) {
  std::vector<templates::TemplateFile> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    auto ext = entry.path().extension().string();
    if (!entry.is_regular_file() || (ext != ".txt" && ext != ".html")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    if (!in) throw std::runtime_error(entry.path().string() + ": cannot read");
    files.push_back(
        {entry.path().filename().string(), std::string(std::istreambuf_iterator<char>(in), {})});
  }
  if (ec) throw std::runtime_error(dir.string() + ": cannot read the template directory");
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  try {
    return templates::TemplateSet::load(files, settings);
  } catch (const templates::TemplateError& e) {
    // Errors name the file ("acknowledgement.txt:12: ..."); the administrator needs the path.
    std::vector<std::string> errors;
    for (const auto& err : e.errors()) errors.push_back((dir / err).string());
    throw templates::TemplateError(errors);
  }
}

}  // namespace mailgate::daemon
