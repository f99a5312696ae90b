#include "templates/render.hpp"

#include <cstdio>

#include <kainjow/mustache.hpp>

#include "base/utf8.hpp"

namespace mailgate::templates {

namespace utf8 = base::utf8;
namespace {

namespace mu = kainjow::mustache;

/// Context nesting deeper than this is ignored: templates never look that deep, and it
/// bounds recursion on odd input.
constexpr int kMaxDepth = 16;

mu::data to_data(const nlohmann::json& j, int depth) {
  using value_t = nlohmann::json::value_t;
  switch (j.type()) {
    case value_t::object: {
      mu::data obj{mu::data::type::object};
      if (depth < kMaxDepth) {
        for (auto it = j.begin(); it != j.end(); ++it) {
          obj.set(it.key(), to_data(it.value(), depth + 1));
        }
      }
      return obj;
    }
    case value_t::array: {
      mu::data list{mu::data::type::list};
      if (depth < kMaxDepth) {
        for (const auto& item : j) list.push_back(to_data(item, depth + 1));
      }
      return list;
    }
    case value_t::string: {
      const auto& s = j.get_ref<const std::string&>();
      if (s.empty()) return mu::data{false};
      return mu::data{s};
    }
    case value_t::boolean:
      return mu::data{j.get<bool>()};
    case value_t::number_integer:
      return mu::data{std::to_string(j.get<std::int64_t>())};
    case value_t::number_unsigned:
      return mu::data{std::to_string(j.get<std::uint64_t>())};
    case value_t::number_float: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%g", j.get<double>());
      return mu::data{std::string(buf)};
    }
    default:  // null, binary, discarded
      return mu::data{false};
  }
}

std::string escape_html(const std::string& s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\r':
        if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
        out += "<br>\n";
        break;
      case '\n':
        out += "<br>\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

/// Copies `text` with "\r\n" and "\r" as "\n" and other C0 controls and DEL dropped.
std::string normalize(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += '\n';
    } else if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7F)) {
      out += static_cast<char>(c);
    }
  }
  return out;
}

/// Put after every inserted value while rendering, then removed: it lets us see where a
/// value ends, so that "до {{case.deadline_on}}." with "28 декабря 2026 г." does not give
/// "г..". A private-use character; any in the data is dropped.
constexpr std::string_view kMark = "\xEE\x80\x80";  // U+E000

std::string strip_marks(const std::string& s) {
  if (s.find(kMark) == std::string::npos) return s;
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (s.compare(i, kMark.size(), kMark) == 0) {
      i += kMark.size();
    } else {
      out += s[i++];
    }
  }
  return out;
}

/// Removes the marks; a "." of the template right after a value that already ends a sentence
/// ("г.", "?", "!", "…") is dropped with its mark.
std::string resolve_marks(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (s.compare(i, kMark.size(), kMark) != 0) {
      out += s[i++];
      continue;
    }
    i += kMark.size();
    const bool value_ends_sentence =
        !out.empty() && (out.back() == '.' || out.back() == '!' || out.back() == '?' ||
                         std::string_view(out).ends_with("…"));
    const bool ellipsis = std::string_view(out).ends_with("..");
    if (value_ends_sentence && !ellipsis && i < s.size() && s[i] == '.' &&
        (i + 1 >= s.size() || s[i + 1] != '.')) {
      ++i;
    }
  }
  return out;
}

/// "{{{x}}}" and "{{&x}}" as "{{x}}": in the text part values are never escaped anyway, and
/// this way every value passes through our escape function (which marks where it ends).
std::string plain_tags(const std::string& tmpl) {
  std::string out;
  out.reserve(tmpl.size());
  std::size_t pos = 0;
  while (pos < tmpl.size()) {
    const std::size_t start = tmpl.find("{{", pos);
    if (start == std::string::npos) break;
    out.append(tmpl, pos, start - pos);
    const bool triple = start + 2 < tmpl.size() && tmpl[start + 2] == '{';
    const std::string_view close = triple ? "}}}" : "}}";
    const std::size_t begin = start + (triple ? 3 : 2);
    const std::size_t end = tmpl.find(close, begin);
    if (end == std::string::npos) {
      pos = start;
      break;
    }
    std::string_view content = std::string_view(tmpl).substr(begin, end - begin);
    while (!content.empty() && (content.front() == ' ' || content.front() == '\t')) {
      content.remove_prefix(1);
    }
    if (triple) {
      out += "{{";
      out += content;
      out += "}}";
    } else if (!content.empty() && content.front() == '&') {
      out += "{{";
      out += content.substr(1);
      out += "}}";
    } else {
      out.append(tmpl, start, end + close.size() - start);
    }
    pos = end + close.size();
  }
  out.append(tmpl, pos, std::string::npos);
  return out;
}

}  // namespace

std::string render_part(const std::string& tmpl, const nlohmann::json& context,
                        const TemplateSchema& schema, bool html) {
  mu::data data = context.is_object() ? to_data(context, 0) : mu::data{mu::data::type::object};
  for (const ListSchema& l : schema.lists) {
    const bool any = context.is_object() && context.contains(l.name) &&
                     context[l.name].is_array() && !context[l.name].empty();
    data.set("has_" + l.name, mu::data{any});
  }
  mu::mustache m{html ? tmpl : plain_tags(tmpl)};
  if (html) {
    m.set_custom_escape(
        [](const std::string& s) { return escape_html(strip_marks(s)) + std::string(kMark); });
  } else {
    m.set_custom_escape([](const std::string& s) { return strip_marks(s) + std::string(kMark); });
  }
  if (!m.is_valid()) return {};  // cannot happen after check_tags; never throw
  return resolve_marks(m.render(data));
}

std::string clean_subject(std::string_view subject, std::size_t max_chars) {
  std::string out;
  bool space = false;
  for (std::size_t pos = 0; pos < subject.size();) {
    std::size_t begin = pos;
    char32_t cp = utf8::next(subject, pos);
    const bool blank = cp < 0x20 || cp == 0x7F || cp == ' ' || cp == 0xA0 || cp == 0x2028 ||
                       cp == 0x2029 || (cp >= 0x80 && cp < 0xA0);
    if (blank) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    if (cp == 0xFFFD && pos - begin == 1) {
      out += "\xEF\xBF\xBD";  // an invalid byte: keep the subject valid UTF-8
    } else {
      out.append(subject.substr(begin, pos - begin));
    }
  }
  return utf8::truncate(out, max_chars);
}

std::string clean_text(std::string_view text) {
  const std::string n = normalize(text);
  std::string out;
  out.reserve(n.size());
  std::size_t blank_run = 0;
  for (std::size_t start = 0; start < n.size();) {
    std::size_t nl = n.find('\n', start);
    std::string_view line =
        std::string_view(n).substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.empty()) {
      ++blank_run;
    } else {
      if (!out.empty() && blank_run > 0) out += '\n';
      blank_run = 0;
      out.append(line);
      out += '\n';
    }
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

std::string clean_html(std::string_view html) { return normalize(html); }

}  // namespace mailgate::templates
