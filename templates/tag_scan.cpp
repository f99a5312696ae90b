#include "templates/tag_scan.hpp"

#include <algorithm>
#include <cstddef>

namespace mailgate::templates {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

bool valid_name(std::string_view name) {
  if (name == ".") return true;
  if (name.empty() || name.front() == '.' || name.back() == '.') return false;
  if (name.find("..") != std::string_view::npos) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.';
  });
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

struct Open {
  std::string name;
  std::size_t line = 0;
  const ListSchema* list = nullptr;
};

enum class Resolved { unknown, scalar, list };

class Scanner {
 public:
  Scanner(const TemplateSchema& schema, bool html) : schema_(schema), html_(html) {}

  std::vector<TagProblem> run(std::string_view text, std::size_t first_line) {
    std::size_t line = first_line;
    std::size_t pos = 0;
    auto lines_in = [&](std::size_t from, std::size_t to) {
      return static_cast<std::size_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(from),
                                                 text.begin() + static_cast<std::ptrdiff_t>(to),
                                                 '\n'));
    };
    while (pos < text.size()) {
      const std::size_t start = text.find("{{", pos);
      if (start == std::string_view::npos) break;
      line += lines_in(pos, start);
      const std::size_t tag_line = line;
      const bool triple = start + 2 < text.size() && text[start + 2] == '{';
      const std::size_t content_begin = start + (triple ? 3 : 2);
      const std::string_view close = triple ? "}}}" : "}}";
      const std::size_t end = text.find(close, content_begin);
      if (end == std::string_view::npos) {
        problem(tag_line, std::string("unclosed tag: \"") + (triple ? "{{{" : "{{") +
                              "\" without \"" + std::string(close) + "\"");
        return problems_;
      }
      line += lines_in(start, end);
      pos = end + close.size();
      std::string_view content = trim(text.substr(content_begin, end - content_begin));
      if (!tag(content, triple, tag_line)) return problems_;
    }
    if (!open_.empty()) {
      const Open& o = open_.back();
      problem(o.line, "section {{#" + o.name + "}} is not closed (no {{/" + o.name + "}})");
    }
    return problems_;
  }

 private:
  /// Returns false after a structural problem.
  bool tag(std::string_view content, bool triple, std::size_t line) {
    char sigil = 0;
    std::string_view name = content;
    if (!triple && !content.empty() &&
        std::string_view("#^/>&!=").find(content.front()) != std::string_view::npos) {
      sigil = content.front();
      name = trim(content.substr(1));
    }
    if (sigil == '!') return true;
    if (sigil == '=') {
      problem(line, "changing the tag delimiters ({{=...=}}) is not supported");
      return false;
    }
    if (sigil == '>') {
      problem(line, "partials ({{>" + std::string(name) + "}}) are not supported");
      return true;
    }
    if (name.empty()) {
      problem(line, "empty tag");
      return true;
    }
    if (!valid_name(name)) {
      problem(line, "bad variable name \"" + std::string(name) +
                        "\" (letters, digits, _ and dots, e.g. case.regno)");
      return sigil != '/';
    }
    const std::string n(name);
    if ((triple || sigil == '&') && html_) {
      problem(line, "{{{" + n + "}}} and {{&" + n +
                        "}} are not allowed in an .html part: values there are always "
                        "escaped; write {{" +
                        n + "}}");
      return true;
    }
    if (sigil == '/') {
      if (open_.empty()) {
        problem(line, "{{/" + n + "}} closes a section that was not opened");
        return false;
      }
      if (open_.back().name != n) {
        problem(line, "{{/" + n + "}} does not match {{#" + open_.back().name +
                          "}} opened on line " + std::to_string(open_.back().line));
        return false;
      }
      open_.pop_back();
      return true;
    }
    const ListSchema* list = nullptr;
    const Resolved r = resolve(n, list);
    if (r == Resolved::unknown) unknown(line, n);
    if (sigil == '#' || sigil == '^') {
      open_.push_back({n, line, list});
      return true;
    }
    if (r == Resolved::list) {
      problem(line, "\"" + n + "\" is a list: write {{#" + n + "}}...{{/" + n + "}}");
    }
    return true;
  }

  Resolved resolve(const std::string& name, const ListSchema*& list) const {
    if (name == ".") return open_.empty() ? Resolved::unknown : Resolved::scalar;
    for (const Open& o : open_) {
      if (o.list &&
          std::find(o.list->fields.begin(), o.list->fields.end(), name) != o.list->fields.end()) {
        return Resolved::scalar;
      }
    }
    if (schema_.has_variable(name)) return Resolved::scalar;
    if ((list = schema_.list(name)) != nullptr) return Resolved::list;
    return Resolved::unknown;
  }

  void unknown(std::size_t line, const std::string& name) {
    std::vector<std::string> known;
    for (const Open& o : open_) {
      if (o.list) known.insert(known.end(), o.list->fields.begin(), o.list->fields.end());
    }
    known.insert(known.end(), schema_.variables.begin(), schema_.variables.end());
    for (const ListSchema& l : schema_.lists) known.push_back(l.name);
    std::string list;
    std::string best;
    // Close enough to be a typo: a third of the name, at least 2 edits.
    std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
    for (const std::string& k : known) {
      if (!list.empty()) list += ", ";
      list += k;
      std::size_t d = edit_distance(name, k);
      if (d < best_distance) {
        best_distance = d;
        best = k;
      }
    }
    std::string message = "unknown variable \"" + name + "\" (known: " + list + ")";
    if (name == ".") message = "{{.}} is only allowed inside a section";
    if (!best.empty() && name != ".") message += " — did you mean \"" + best + "\"?";
    problem(line, std::move(message));
  }

  void problem(std::size_t line, std::string message) {
    problems_.push_back({line, std::move(message)});
  }

  const TemplateSchema& schema_;
  const bool html_;
  std::vector<Open> open_;
  std::vector<TagProblem> problems_;
};

}  // namespace

std::vector<TagProblem> check_tags(std::string_view text, std::size_t first_line,
                                   const TemplateSchema& schema, bool html) {
  return Scanner(schema, html).run(text, first_line);
}

}  // namespace mailgate::templates
