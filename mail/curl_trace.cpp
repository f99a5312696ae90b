#include "mail/curl_trace.hpp"

#include <cstdio>
#include <cstdlib>

namespace mailgate::mail {
namespace {

constexpr std::string_view kHidden = "<credentials hidden>";

std::string upper_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string_view word_at(std::string_view s, std::size_t& pos) {
  while (pos < s.size() && s[pos] == ' ') ++pos;
  std::size_t start = pos;
  while (pos < s.size() && s[pos] != ' ') ++pos;
  return s.substr(start, pos - start);
}

// "A001 AUTHENTICATE PLAIN AGZv..." / "A002 LOGIN user pass" (IMAP, after a tag) or
// "AUTH PLAIN AGZv..." (SMTP): how many leading words to keep, or 0 when it is no such command.
std::size_t authentication_words(std::string_view line) {
  std::size_t pos = 0;
  std::string first = upper_ascii(word_at(line, pos));
  if (first == "AUTH") return 2;  // AUTH MECHANISM
  std::string second = upper_ascii(word_at(line, pos));
  if (second == "AUTHENTICATE") return 3;  // TAG AUTHENTICATE MECHANISM
  if (second == "LOGIN") return 2;         // TAG LOGIN
  return 0;
}

// The first `words` words of the line and the marker, or the marker alone.
std::string keep_words(std::string_view line, std::size_t words) {
  std::size_t pos = 0;
  for (std::size_t i = 0; i < words; ++i) word_at(line, pos);
  std::string out(line.substr(0, pos));
  if (pos < line.size()) out += std::string(" ") + std::string(kHidden);
  return out;
}

// A server line that only asks for more: IMAP "+ ..." continuation or SMTP "334 ...".
bool is_challenge(std::string_view line) {
  return (!line.empty() && line[0] == '+') || line.rfind("334", 0) == 0;
}

int on_trace(CURL* /*handle*/, curl_infotype type, char* data, size_t size, void* user) {
  auto* redactor = static_cast<CredentialRedactor*>(user);
  TraceDirection direction{};
  const char* prefix = "";
  switch (type) {
    case CURLINFO_TEXT:
      direction = TraceDirection::info;
      prefix = "* ";
      break;
    case CURLINFO_HEADER_IN:
      direction = TraceDirection::from_server;
      prefix = "< ";
      break;
    case CURLINFO_HEADER_OUT:
      direction = TraceDirection::to_server;
      prefix = "> ";
      break;
    default:
      return 0;  // message bytes and TLS records: not shown, as libcurl's own trace does
  }
  std::string_view text(data, size);
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out += prefix;
    out += redactor->line(direction, line);
    out += '\n';
  }
  std::fwrite(out.data(), 1, out.size(), stderr);
  return 0;
}

}  // namespace

std::string CredentialRedactor::line(TraceDirection direction, std::string_view text) {
  switch (direction) {
    case TraceDirection::info:
      return std::string(text);
    case TraceDirection::from_server:
      if (in_authentication_ && !is_challenge(text)) in_authentication_ = false;
      return std::string(text);
    case TraceDirection::to_server:
      if (in_authentication_) return std::string(kHidden);
      if (std::size_t keep = authentication_words(text); keep > 0) {
        in_authentication_ = true;
        return keep_words(text, keep);
      }
      return std::string(text);
  }
  return std::string(kHidden);
}

bool curl_verbose_requested() {
  // Nothing in mailgate calls setenv; read once, whichever thread asks first.
  static const bool requested =
      std::getenv("MAILGATE_CURL_VERBOSE") != nullptr;  // NOLINT(concurrency-mt-unsafe)
  return requested;
}

void enable_redacted_trace(CURL* curl, CredentialRedactor& redactor) {
  curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, on_trace);
  curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &redactor);
  curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);
}

}  // namespace mailgate::mail
