#include "mail/imap_session.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <ctime>
#include <limits>
#include <mutex>
#include <optional>
#include <sstream>
#include <string_view>

#include "mail/curl_trace.hpp"

namespace mailgate::mail {
namespace {

std::once_flag g_curl_init;

size_t append_cb(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

ImapError::Kind classify(CURLcode rc) {
  switch (rc) {
    case CURLE_LOGIN_DENIED:
      return ImapError::Kind::auth;
    case CURLE_REMOTE_FILE_NOT_FOUND:
      return ImapError::Kind::not_found;
    case CURLE_QUOTE_ERROR:
    case CURLE_WEIRD_SERVER_REPLY:
      return ImapError::Kind::protocol;
    default:
      return ImapError::Kind::unavailable;
  }
}

std::uint32_t parse_u32(std::string_view s) {
  std::uint32_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// Reads a server reply left to right (hand-written rather than std::regex, which made
/// this file by far the slowest of the project to build, and is slow to run besides).
struct Cursor {
  std::string_view s;
  std::size_t at = 0;

  bool literal(std::string_view lit) {
    if (s.substr(at, lit.size()) != lit) return false;
    at += lit.size();
    return true;
  }
  /// A run of min..max characters satisfying `ok`; empty optional if shorter.
  template <class Pred>
  std::optional<std::string_view> run(std::size_t min, std::size_t max, Pred ok) {
    std::size_t n = 0;
    while (at + n < s.size() && n < max && ok(s[at + n])) ++n;
    if (n < min) return std::nullopt;
    auto out = s.substr(at, n);
    at += n;
    return out;
  }
  std::optional<std::string_view> digits(std::size_t min = 1,
                                         std::size_t max = std::string_view::npos) {
    return run(min, max, is_digit);
  }
};

/// The first number N in `text` written as PREFIX N SUFFIX (e.g. "[UIDNEXT " N "]").
std::optional<std::uint32_t> number_between(std::string_view text, std::string_view prefix,
                                            std::string_view suffix) {
  for (std::size_t p = text.find(prefix); p != std::string_view::npos;
       p = text.find(prefix, p + 1)) {
    Cursor c{text, p + prefix.size()};
    auto n = c.digits();
    if (n && c.literal(suffix)) return parse_u32(*n);
  }
  return std::nullopt;
}

/// The value after a whole word KEY followed by a space (ESEARCH "COUNT 5", "ALL 1:3,7").
std::optional<std::string_view> word_value(std::string_view line, std::string_view key,
                                           bool (*ok)(char)) {
  for (std::size_t p = line.find(key); p != std::string_view::npos; p = line.find(key, p + 1)) {
    char before = p == 0 ? ' ' : line[p - 1];
    if (std::isalnum(static_cast<unsigned char>(before)) || before == '_') continue;
    Cursor c{line, p + key.size()};
    if (!c.literal(" ")) continue;
    if (auto v = c.run(1, std::string_view::npos, ok)) return v;
  }
  return std::nullopt;
}

/// Percent-encodes a mailbox name for the path part of an IMAP URL (RFC 5092).
std::string url_escape(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '&' || c == ',') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

struct ImapSession::Impl {
  ImapSettings settings;
  CURL* curl = nullptr;
  std::string base_url;
  std::vector<std::string> capabilities;
  std::string body;     // what the write callback received
  std::string headers;  // untagged server lines libcurl passes as "headers"
  char error[CURL_ERROR_SIZE] = {};
  bool curl_selected = false;     // libcurl did its own SELECT (on its first URL fetch)
  std::string read_only_mailbox;  // the mailbox we re-opened with EXAMINE, if any
  CredentialRedactor redactor;    // MAILGATE_CURL_VERBOSE: the trace without the password

  /// The write callback: the message bytes of a fetch. The first call reserves the size the
  /// server announced for the literal ("{N}" ending the FETCH line), so a large letter is
  /// held once rather than grown by doubling, which briefly holds it one and a half times.
  static size_t on_body(char* data, size_t size, size_t n, void* user) {
    auto* self = static_cast<Impl*>(user);
    if (self->body.empty()) {
      std::string_view h(self->headers);
      auto open = h.rfind('{');
      auto close = h.find('}', open == std::string_view::npos ? h.size() : open);
      std::uint64_t announced = 0;
      if (open != std::string_view::npos && close != std::string_view::npos &&
          std::from_chars(h.data() + open + 1, h.data() + close, announced).ec == std::errc{} &&
          announced <= kMaxReserve) {
        self->body.reserve(announced);
      }
    }
    self->body.append(data, size * n);
    return size * n;
  }
  static constexpr std::uint64_t kMaxReserve = std::uint64_t{2} << 30;

  void reset_request() {
    body.clear();
    headers.clear();
    error[0] = '\0';
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, nullptr);
    curl_easy_setopt(curl, CURLOPT_NOBODY, 0L);
  }

  void perform(const std::string& url, const std::string& what) {
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    CURLcode rc = curl_easy_perform(curl);
    if (rc != CURLE_OK) {
      std::string detail = error[0] != '\0' ? error : curl_easy_strerror(rc);
      throw ImapError(classify(rc), "IMAP " + what + " on " + settings.host + ":" +
                                        std::to_string(settings.port) + ": " + detail);
    }
  }

  /// A raw IMAP command; returns the untagged response text (body and "header" lines).
  std::string command(const std::string& cmd) {
    reset_request();
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, cmd.c_str());
    perform(base_url, cmd.substr(0, cmd.find(' ')));
    return headers + body;
  }
};

ImapSession::ImapSession(ImapSettings settings) : impl_(std::make_unique<Impl>()) {
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  impl_->settings = std::move(settings);
  const auto& s = impl_->settings;
  const char* scheme = s.security == ImapSecurity::imaps ? "imaps" : "imap";
  impl_->base_url = std::string(scheme) + "://" + s.host + ":" + std::to_string(s.port) + "/";

  CURL* c = curl_easy_init();
  if (c == nullptr) throw ImapError(ImapError::Kind::unavailable, "curl_easy_init failed");
  impl_->curl = c;
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, impl_->error);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_USERNAME, s.user.c_str());
  curl_easy_setopt(c, CURLOPT_PASSWORD, s.password.c_str());
  curl_easy_setopt(c, CURLOPT_USE_SSL,
                   s.security == ImapSecurity::starttls ? static_cast<long>(CURLUSESSL_ALL)
                                                        : static_cast<long>(CURLUSESSL_NONE));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, s.verify_peer ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, s.verify_peer ? 2L : 0L);
  if (!s.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, s.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(s.connect_timeout.count()));
  // A stall, not a slow large message, is what should time out.
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(s.timeout.count()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Impl::on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, impl_.get());
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, append_cb);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &impl_->headers);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "imap,imaps");
  if (curl_verbose_requested()) enable_redacted_trace(c, impl_->redactor);
}

ImapSession::~ImapSession() {
  if (impl_ && impl_->curl != nullptr) curl_easy_cleanup(impl_->curl);
}

void ImapSession::connect() {
  std::string text = impl_->command("CAPABILITY");
  impl_->capabilities.clear();
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("* CAPABILITY ", 0) != 0) continue;
    std::istringstream words(line.substr(13));
    std::string w;
    while (words >> w) {
      std::transform(w.begin(), w.end(), w.begin(), ::toupper);
      impl_->capabilities.push_back(w);
    }
  }
}

bool ImapSession::has_capability(const std::string& name) const {
  return std::find(impl_->capabilities.begin(), impl_->capabilities.end(), name) !=
         impl_->capabilities.end();
}

MailboxStatus ImapSession::select(const std::string& mailbox) {
  // A custom SELECT each pass: libcurl skips SELECT for a mailbox it believes is selected,
  // and we need fresh UIDVALIDITY and EXISTS every time.
  std::string text = impl_->command("SELECT " + quote(encode_mailbox_name(mailbox)));
  impl_->read_only_mailbox.clear();
  MailboxStatus st;
  if (auto v = number_between(text, "[UIDVALIDITY ", "]")) st.uidvalidity = *v;
  if (auto v = number_between(text, "[UIDNEXT ", "]")) st.uidnext = *v;
  if (auto v = number_between(text, "* ", " EXISTS")) st.exists = *v;
  if (st.uidvalidity == 0) {
    throw ImapError(ImapError::Kind::protocol, "IMAP SELECT " + mailbox + ": no UIDVALIDITY");
  }
  return st;
}

namespace {

/// Expands an IMAP sequence set of UIDs ("1:3,7") into a sorted list.
std::vector<std::uint32_t> expand_set(std::string_view set) {
  std::vector<std::uint32_t> out;
  std::size_t pos = 0;
  while (pos < set.size()) {
    std::size_t comma = set.find(',', pos);
    if (comma == std::string_view::npos) comma = set.size();
    std::string_view item = set.substr(pos, comma - pos);
    std::size_t colon = item.find(':');
    std::uint32_t a = parse_u32(item.substr(0, colon));
    std::uint32_t b = colon == std::string_view::npos ? a : parse_u32(item.substr(colon + 1));
    if (a > b) std::swap(a, b);
    // A set from a server we talk to is bounded by the mailbox; refuse absurd ranges.
    if (a == 0 || b - a > 10'000'000) return {};
    for (std::uint64_t u = a; u <= b; ++u) out.push_back(static_cast<std::uint32_t>(u));
    pos = comma + 1;
  }
  return out;
}

}  // namespace

std::vector<std::uint32_t> ImapSession::search_all_uids() {
  // libcurl 7.88 can cut a long untagged line short (its known bug #90, seen here with
  // "UID SEARCH ALL" on 2,000 messages), and a cut number would read as a wrong UID.
  // ESEARCH (RFC 4731) answers with compact ranges plus a COUNT to check them against;
  // a reply that does not add up is asked for again.
  if (has_capability("ESEARCH")) {
    for (int attempt = 0; attempt < 3; ++attempt) {
      std::string text = impl_->command("UID SEARCH RETURN (COUNT ALL) ALL");
      auto line_start = text.find("* ESEARCH");
      if (line_start == std::string::npos) continue;
      std::string_view line =
          std::string_view(text).substr(line_start, text.find('\n', line_start) - line_start);
      auto count = word_value(line, "COUNT", is_digit);
      if (!count) continue;
      std::uint32_t n = parse_u32(*count);
      if (n == 0) return {};
      auto all =
          word_value(line, "ALL", [](char c) { return is_digit(c) || c == ':' || c == ','; });
      if (!all) continue;
      auto uids = expand_set(*all);
      if (uids.size() == n) return uids;
    }
    throw ImapError(ImapError::Kind::protocol, "IMAP UID SEARCH: the reply was cut short 3 times");
  }
  std::string text = impl_->command("UID SEARCH ALL");
  std::vector<std::uint32_t> uids;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("* SEARCH", 0) != 0) continue;
    std::istringstream words(line.substr(8));
    std::string w;
    while (words >> w) {
      if (auto v = parse_u32(w); v != 0) uids.push_back(v);
    }
  }
  // libcurl may hand the same untagged line to both callbacks.
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  return uids;
}

namespace {
void parse_internal_dates(const std::string& text,
                          std::map<std::uint32_t, std::chrono::system_clock::time_point>& out);
}  // namespace

std::map<std::uint32_t, std::chrono::system_clock::time_point> ImapSession::internal_dates(
    const std::vector<std::uint32_t>& uids) {
  std::map<std::uint32_t, std::chrono::system_clock::time_point> out;
  if (uids.empty()) return out;
  std::string text = impl_->command("UID FETCH " + uid_set(uids) + " (UID INTERNALDATE)");
  parse_internal_dates(text, out);
  // A line libcurl cut short (see search_all_uids) loses its date: ask once more for those.
  std::vector<std::uint32_t> missing;
  for (auto uid : uids) {
    if (out.count(uid) == 0) missing.push_back(uid);
  }
  if (!missing.empty()) {
    parse_internal_dates(impl_->command("UID FETCH " + uid_set(missing) + " (UID INTERNALDATE)"),
                         out);
  }
  return out;
}

namespace {

// The number after `key` ("UID 12", "RFC822.SIZE 3456") in one FETCH line.
std::optional<std::uint64_t> number_after(std::string_view line, std::string_view key) {
  for (std::size_t p = line.find(key); p != std::string_view::npos; p = line.find(key, p + 1)) {
    // A whole item name: after "(" or " ", so "UID" does not match inside another word.
    if (p > 0 && line[p - 1] != '(' && line[p - 1] != ' ') continue;
    std::size_t start = p + key.size();
    std::size_t end = start;
    while (end < line.size() && end - start < 19 && line[end] >= '0' && line[end] <= '9') ++end;
    if (end == start) continue;
    std::uint64_t v = 0;
    std::from_chars(line.data() + start, line.data() + end, v);
    return v;
  }
  return std::nullopt;
}

void parse_sizes(const std::string& text, std::map<std::uint32_t, std::uint64_t>& out) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find(" FETCH ") == std::string::npos) continue;
    auto uid = number_after(line, "UID ");
    auto size = number_after(line, "RFC822.SIZE ");
    if (uid && size && *uid <= std::numeric_limits<std::uint32_t>::max()) {
      out[static_cast<std::uint32_t>(*uid)] = *size;
    }
  }
}

}  // namespace

std::map<std::uint32_t, std::uint64_t> ImapSession::sizes(const std::vector<std::uint32_t>& uids) {
  std::map<std::uint32_t, std::uint64_t> out;
  if (uids.empty()) return out;
  // In chunks: libcurl 7.88 gives up on a reply whose "header" lines pass 300 KB in all
  // (STACK-NOTES.md), and it counted about 2 KB a line here: a FETCH for 300 UIDs failed.
  constexpr std::size_t kChunk = 100;
  for (std::size_t i = 0; i < uids.size(); i += kChunk) {
    std::vector<std::uint32_t> chunk(
        uids.begin() + static_cast<std::ptrdiff_t>(i),
        uids.begin() + static_cast<std::ptrdiff_t>(std::min(uids.size(), i + kChunk)));
    parse_sizes(impl_->command("UID FETCH " + uid_set(chunk) + " (UID RFC822.SIZE)"), out);
  }
  // A line libcurl cut short (see search_all_uids) loses its size: ask once more for those.
  std::vector<std::uint32_t> missing;
  for (auto uid : uids) {
    if (out.count(uid) == 0) missing.push_back(uid);
  }
  if (!missing.empty()) {
    parse_sizes(impl_->command("UID FETCH " + uid_set(missing) + " (UID RFC822.SIZE)"), out);
  }
  return out;
}

namespace {

void parse_internal_dates(const std::string& text,
                          std::map<std::uint32_t, std::chrono::system_clock::time_point>& out) {
  // UID n INTERNALDATE "dd-Mon-yyyy hh:mm:ss +zzzz" (the day may be space-padded).
  static const char* months = "JanFebMarAprMayJunJulAugSepOctNovDec";
  auto num = [](std::string_view v) {
    int n = 0;
    for (char c : v) n = n * 10 + (c - '0');
    return n;
  };
  const std::string_view all(text);
  for (std::size_t p = all.find("UID "); p != std::string_view::npos; p = all.find("UID ", p + 1)) {
    Cursor c{all, p + 4};
    auto uid = c.digits();
    if (!uid || !c.literal(" INTERNALDATE \"")) continue;
    c.literal(" ");
    auto day = c.digits(1, 2);
    if (!day || !c.literal("-")) continue;
    auto mon = c.run(3, 3, [](char ch) { return std::isalpha(static_cast<unsigned char>(ch)); });
    if (!mon || !c.literal("-")) continue;
    auto year = c.digits(4, 4);
    if (!year || !c.literal(" ")) continue;
    auto hh = c.digits(2, 2);
    if (!hh || !c.literal(":")) continue;
    auto mm = c.digits(2, 2);
    if (!mm || !c.literal(":")) continue;
    auto ss = c.digits(2, 2);
    if (!ss || !c.literal(" ")) continue;
    bool minus = c.literal("-");
    if (!minus && !c.literal("+")) continue;
    auto zh = c.digits(2, 2);
    auto zm = zh ? c.digits(2, 2) : std::nullopt;
    if (!zm || !c.literal("\"")) continue;
    const char* pos = std::strstr(months, std::string(*mon).c_str());
    if (pos == nullptr) continue;
    std::tm tm{};
    tm.tm_mday = num(*day);
    tm.tm_mon = static_cast<int>((pos - months) / 3);
    tm.tm_year = num(*year) - 1900;
    tm.tm_hour = num(*hh);
    tm.tm_min = num(*mm);
    tm.tm_sec = num(*ss);
    long offset = (num(*zh) * 60L + num(*zm)) * 60L;
    if (minus) offset = -offset;
    auto t = static_cast<std::int64_t>(timegm(&tm)) - offset;
    out[parse_u32(*uid)] = std::chrono::system_clock::time_point(std::chrono::seconds(t));
  }
}

}  // namespace

std::string ImapSession::fetch(const std::string& mailbox, std::uint32_t /*uidvalidity*/,
                               std::uint32_t uid) {
  // The URL form streams the literal through the write callback, byte-exact and without the
  // 300 KB header limit a custom UID FETCH hits in libcurl 7.88 (STACK-NOTES.md). The URL
  // carries no ;UIDVALIDITY=: libcurl would compare it with the value it cached at its own
  // SELECT, which goes stale if the mailbox is renumbered while we stay connected; the
  // pass checks UIDVALIDITY itself with a fresh SELECT.
  impl_->reset_request();
  std::string url =
      impl_->base_url + url_escape(encode_mailbox_name(mailbox)) + "/;UID=" + std::to_string(uid);
  impl_->perform(url, "FETCH UID " + std::to_string(uid));
  std::string raw = std::move(impl_->body);
  if (!impl_->curl_selected) {
    // libcurl has now SELECTed the mailbox and will not do it again on this connection.
    // Re-opening it read-only means the following fetches do not set \Seen: Dovecot then
    // writes nothing per message, which halves the cost of a fetch, and registered mail
    // stays unread for the officers.
    impl_->curl_selected = true;
    impl_->command("EXAMINE " + quote(encode_mailbox_name(mailbox)));
    impl_->read_only_mailbox = mailbox;
  } else if (impl_->read_only_mailbox.empty()) {
    impl_->command("EXAMINE " + quote(encode_mailbox_name(mailbox)));
    impl_->read_only_mailbox = mailbox;
  }
  return raw;
}

void ImapSession::writable() {
  if (impl_->read_only_mailbox.empty()) return;
  impl_->command("SELECT " + quote(encode_mailbox_name(impl_->read_only_mailbox)));
  impl_->read_only_mailbox.clear();
}

void ImapSession::move(const std::vector<std::uint32_t>& uids, const std::string& folder) {
  if (uids.empty()) return;
  writable();
  std::string set = uid_set(uids);
  std::string target = quote(encode_mailbox_name(folder));
  if (has_capability("MOVE")) {
    impl_->command("UID MOVE " + set + " " + target);
    return;
  }
  // RFC 6851 fallback. Without UIDPLUS a plain EXPUNGE would also remove messages someone
  // else marked \Deleted; we accept that only when the server leaves us no choice.
  impl_->command("UID COPY " + set + " " + target);
  impl_->command("UID STORE " + set + " +FLAGS.SILENT (\\Deleted)");
  impl_->command(has_capability("UIDPLUS") ? "UID EXPUNGE " + set : std::string("EXPUNGE"));
}

void ImapSession::ensure_folder(const std::string& folder) {
  std::string name = encode_mailbox_name(folder);
  std::string text = impl_->command("LIST \"\" " + quote(name));
  if (text.find("* LIST") != std::string::npos) return;
  impl_->command("CREATE " + quote(name));
}

std::string uid_set(std::vector<std::uint32_t> uids) {
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  std::string out;
  for (std::size_t i = 0; i < uids.size();) {
    std::size_t j = i;
    while (j + 1 < uids.size() && uids[j + 1] == uids[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(uids[i]);
    if (j > i) out += ':' + std::to_string(uids[j]);
    i = j + 1;
  }
  return out;
}

std::string encode_mailbox_name(const std::string& utf8) {
  // RFC 3501 5.1.3: printable ASCII stands for itself ('&' as "&-"); everything else is
  // UTF-16 in a modified base64 between '&' and '-'.
  static const char* b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
  std::string out;
  std::u16string pending;
  auto flush = [&] {
    if (pending.empty()) return;
    out += '&';
    std::uint32_t bits = 0;
    int nbits = 0;
    for (char16_t u : pending) {
      bits = (bits << 16) | u;
      nbits += 16;
      while (nbits >= 6) {
        nbits -= 6;
        out += b64[(bits >> nbits) & 63];
      }
    }
    if (nbits > 0) out += b64[(bits << (6 - nbits)) & 63];
    out += '-';
    pending.clear();
  };
  for (std::size_t i = 0; i < utf8.size();) {
    auto c = static_cast<unsigned char>(utf8[i]);
    if (c >= 0x20 && c < 0x7f) {
      flush();
      out += c == '&' ? std::string("&-") : std::string(1, static_cast<char>(c));
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    int len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    cp = len == 1 ? c : c & (0xff >> (len + 1));
    for (int k = 1; k < len && i + k < utf8.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3f);
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      pending += static_cast<char16_t>(0xd800 + (cp >> 10));
      pending += static_cast<char16_t>(0xdc00 + (cp & 0x3ff));
    } else {
      pending += static_cast<char16_t>(cp);
    }
  }
  flush();
  return out;
}

}  // namespace mailgate::mail
