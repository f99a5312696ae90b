#include "templates/template_file.hpp"

#include <algorithm>
#include <cctype>

namespace mailgate::templates {
namespace {

std::string first_or_empty(const std::vector<std::string>& v) {
  return v.empty() ? std::string("template error") : v.front();
}

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

}  // namespace

TemplateError::TemplateError(std::vector<std::string> errors)
    : std::runtime_error(first_or_empty(errors)), errors_(std::move(errors)) {}

std::string normalize_file(const std::string& text) {
  std::string_view in = text;
  if (in.starts_with("\xEF\xBB\xBF")) in.remove_prefix(3);
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '\r') {
      if (i + 1 < in.size() && in[i + 1] == '\n') ++i;
      out += '\n';
    } else {
      out += in[i];
    }
  }
  return out;
}

ParsedText parse_text_file(const std::string& raw, std::size_t& error_line, std::string& error) {
  ParsedText p;
  error.clear();
  error_line = 0;
  const std::string text = normalize_file(raw);
  const std::size_t nl1 = text.find('\n');
  std::string_view first = std::string_view(text).substr(0, nl1);
  constexpr std::string_view kPrefix = "subject:";
  std::string head(first.substr(0, std::min(first.size(), kPrefix.size())));
  std::transform(head.begin(), head.end(), head.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (head != kPrefix) {
    error_line = 1;
    error = "the first line must be \"Subject: ...\" (the subject of the mail)";
    return p;
  }
  std::string_view subject = first.substr(kPrefix.size());
  while (!subject.empty() && (subject.front() == ' ' || subject.front() == '\t')) {
    subject.remove_prefix(1);
  }
  while (!subject.empty() && (subject.back() == ' ' || subject.back() == '\t')) {
    subject.remove_suffix(1);
  }
  if (subject.empty()) {
    error_line = 1;
    error = "the subject is empty";
    return p;
  }
  p.subject = std::string(subject);
  if (nl1 == std::string::npos) {
    error_line = 1;
    error = "no body: after the Subject line come an empty line and the text";
    return p;
  }
  const std::size_t nl2 = text.find('\n', nl1 + 1);
  std::string_view second = std::string_view(text).substr(
      nl1 + 1, nl2 == std::string::npos ? std::string::npos : nl2 - nl1 - 1);
  if (!blank(second)) {
    error_line = 2;
    error = "the Subject line must be followed by an empty line";
    return p;
  }
  p.body = nl2 == std::string::npos ? std::string() : text.substr(nl2 + 1);
  p.body_line = 3;
  if (std::all_of(p.body.begin(), p.body.end(),
                  [](char c) { return c == ' ' || c == '\t' || c == '\n'; })) {
    error_line = 3;
    error = "the body is empty";
  }
  return p;
}

}  // namespace mailgate::templates
