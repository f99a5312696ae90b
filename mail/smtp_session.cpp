#include "mail/smtp_session.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "mail/charset.hpp"
#include "mail/compose.hpp"
#include "mail/curl_trace.hpp"
#include "mail/syntax.hpp"

namespace mailgate::mail {
namespace {

std::once_flag g_curl_init;

constexpr std::size_t kMaxReply = 512;

size_t append_cb(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

struct Upload {
  const std::string* bytes = nullptr;
  std::size_t pos = 0;
};

size_t read_cb(char* buffer, size_t size, size_t n, void* user) {
  auto* up = static_cast<Upload*>(user);
  std::size_t left = up->bytes->size() - up->pos;
  std::size_t k = std::min(left, size * n);
  std::memcpy(buffer, up->bytes->data() + up->pos, k);
  up->pos += k;
  return k;
}

bool is_loopback(std::string_view host) {
  return host == "127.0.0.1" || host == "::1" || host == "[::1]" ||
         iequals_ascii(host, "localhost");
}

bool is_ip_literal(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty() || host.size() > 45) return false;
  bool colon = host.find(':') != std::string_view::npos;
  for (char c : host) {
    bool ok = (c >= '0' && c <= '9') || c == '.' ||
              (colon && (c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
    if (!ok) return false;
  }
  return true;
}

/// One server reply: its code and its lines' text joined by spaces.
struct Reply {
  int code = 0;
  std::string text;
};

/// The replies in what libcurl passed to the header callback ("250-a\r\n250 b\r\n" ...).
std::vector<Reply> parse_replies(std::string_view raw) {
  std::vector<Reply> replies;
  bool continued = false;
  std::size_t pos = 0;
  while (pos < raw.size()) {
    std::size_t eol = raw.find('\n', pos);
    if (eol == std::string_view::npos) eol = raw.size();
    std::string_view line = raw.substr(pos, eol - pos);
    pos = eol + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
    if (line.size() < 3 ||
        !std::all_of(line.begin(), line.begin() + 3, [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    if (!continued || replies.empty() || replies.back().code != code) {
      replies.push_back(Reply{code, {}});
    }
    Reply& r = replies.back();
    if (!r.text.empty()) r.text += ' ';
    r.text += line;
    continued = line.size() > 3 && line[3] == '-';
  }
  return replies;
}

}  // namespace

struct SmtpSession::Impl {
  SmtpSettings settings;
  std::string url;
  CURL* curl = nullptr;
  std::string replies;  // server lines of the current send (header callback)
  char error[CURL_ERROR_SIZE] = {};
  Upload upload;
  long connections = 0;
  CredentialRedactor redactor;  // MAILGATE_CURL_VERBOSE: the trace without the password

  ~Impl() {
    if (curl != nullptr) curl_easy_cleanup(curl);
  }

  /// A new handle with the session's options (and so, at the next send, a new connection).
  void open() {
    if (curl != nullptr) curl_easy_cleanup(curl);
    curl = curl_easy_init();
    if (curl == nullptr) throw std::runtime_error("curl_easy_init failed");
    const SmtpSettings& s = settings;
    CURL* c = curl;
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (!s.user.empty()) {
      curl_easy_setopt(c, CURLOPT_USERNAME, s.user.c_str());
      curl_easy_setopt(c, CURLOPT_PASSWORD, s.password.c_str());
    }
    curl_easy_setopt(c, CURLOPT_USE_SSL,
                     s.security == SmtpSettings::Security::starttls
                         ? static_cast<long>(CURLUSESSL_ALL)
                         : static_cast<long>(CURLUSESSL_NONE));
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, s.verify_peer ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, s.verify_peer ? 2L : 0L);
    if (!s.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, s.ca_file.c_str());
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(s.connect_timeout.count()));
    curl_easy_setopt(c, CURLOPT_SERVER_RESPONSE_TIMEOUT, static_cast<long>(s.timeout.count()));
    // A stall, not a slow large message, is what should time out.
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(s.timeout.count()));
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, append_cb);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &replies);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    redactor = CredentialRedactor{};
    if (curl_verbose_requested()) enable_redacted_trace(c, redactor);
  }

  /// Text that may leave this class: valid UTF-8, one line, bounded, without the password.
  std::string safe(std::string text) const {
    if (!settings.password.empty()) {
      for (std::size_t p; (p = text.find(settings.password)) != std::string::npos;) {
        text.replace(p, settings.password.size(), "***");
      }
    }
    text = sanitize_utf8(text);
    for (char& ch : text) {
      if (ch == '\r' || ch == '\n' || ch == '\t') ch = ' ';
    }
    if (text.size() > kMaxReply) text.resize(kMaxReply);
    return sanitize_utf8(text);
  }
};

SmtpSession::SmtpSession(SmtpSettings settings) : impl_(std::make_unique<Impl>()) {
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  const SmtpSettings& s = impl_->settings = std::move(settings);
  if (s.host.empty()) throw std::invalid_argument("SMTP: no host");
  if (!is_host_name(s.host) && !is_ip_literal(s.host)) {
    throw std::invalid_argument("SMTP: host \"" + sanitize_utf8(s.host) +
                                "\" is not a host name or IP address");
  }
  if (s.port <= 0 || s.port > 65535) throw std::invalid_argument("SMTP: bad port");
  if (!s.helo_name.empty() && !is_host_name(s.helo_name)) {
    throw std::invalid_argument("SMTP: EHLO name \"" + sanitize_utf8(s.helo_name) +
                                "\" is not a host name");
  }
  if (s.security == SmtpSettings::Security::none && !is_loopback(s.host) && !s.insecure_ok) {
    throw std::invalid_argument(
        "SMTP: security \"none\" (no TLS) is allowed only for "
        "127.0.0.1, ::1 or localhost, not " +
        s.host);
  }
  std::string host = s.host;
  if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
  const char* scheme = s.security == SmtpSettings::Security::smtps ? "smtps" : "smtp";
  impl_->url =
      std::string(scheme) + "://" + host + ":" + std::to_string(s.port) + "/" + s.helo_name;
  impl_->open();
}

SmtpSession::~SmtpSession() = default;

long SmtpSession::connections_opened() const { return impl_->connections; }

SmtpResult SmtpSession::send(const std::string& envelope_from, const std::string& recipient,
                             const std::string& bytes) {
  Impl& im = *impl_;
  SmtpResult result;
  // Addresses go into SMTP commands: a CR, LF or '>' there would be a command of its own.
  if (!envelope_from.empty() && !is_valid_addr_spec(envelope_from)) {
    result.kind = SmtpResult::Kind::permanent;
    result.reply = im.safe("invalid envelope sender \"" + envelope_from.substr(0, 100) + "\"");
    return result;
  }
  if (!is_valid_addr_spec(recipient)) {
    result.kind = SmtpResult::Kind::permanent;
    result.reply = im.safe("invalid recipient \"" + recipient.substr(0, 100) + "\"");
    return result;
  }

  CURL* c = im.curl;
  im.replies.clear();
  im.error[0] = '\0';
  im.upload = Upload{&bytes, 0};
  // An empty MAIL FROM makes libcurl send the null reverse-path "<>".
  std::string from = envelope_from.empty() ? std::string() : "<" + envelope_from + ">";
  std::string rcpt = "<" + recipient + ">";
  curl_slist* rcpts = curl_slist_append(nullptr, rcpt.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(bytes.size()));
  CURLcode rc = curl_easy_perform(c);
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, nullptr);
  curl_slist_free_all(rcpts);

  long connects = 0;
  curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &connects);
  im.connections += connects;
  long response = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response);

  std::vector<Reply> replies = parse_replies(im.replies);
  // QUIT's 221, sent when libcurl drops a connection, is not the reply that decided anything.
  while (!replies.empty() && replies.back().code == 221) replies.pop_back();
  bool data_accepted =
      std::any_of(replies.begin(), replies.end(), [](const Reply& r) { return r.code == 354; });
  const Reply* last = replies.empty() ? nullptr : &replies.back();
  int code = last != nullptr ? last->code : static_cast<int>(response);
  if (response >= 200 && response < 600 && last != nullptr && response != last->code) {
    code = static_cast<int>(response);
  }
  result.code = code;

  if (rc == CURLE_OK) {
    result.kind = SmtpResult::Kind::sent;
    result.reply = im.safe(last != nullptr ? last->text : std::to_string(code));
    return result;
  }

  // The server refused MAIL, RCPT or DATA (CURLE_SEND_ERROR) or the message itself (a non-250
  // reply after the data: CURLE_WEIRD_SERVER_REPLY): its code decides.
  bool message_stage = rc == CURLE_SEND_ERROR || (rc == CURLE_WEIRD_SERVER_REPLY && data_accepted);
  if (message_stage && code >= 500 && code < 600) {
    result.kind = SmtpResult::Kind::permanent;
  } else {
    // 4xx, a greeting or EHLO refused, AUTH refused (CURLE_LOGIN_DENIED: the account, not
    // this message), network, TLS, timeouts.
    result.kind = SmtpResult::Kind::transient;
  }
  if (message_stage && last != nullptr && code >= 400) {
    result.reply = im.safe(last->text);
  } else {
    std::string detail = im.error[0] != '\0' ? im.error : curl_easy_strerror(rc);
    if (last != nullptr && code >= 400) detail += " (" + last->text + ")";
    result.reply = im.safe(detail);
    if (code < 400) result.code = 0;
  }
  // libcurl may keep a connection whose SMTP state we no longer know: start over.
  im.open();
  return result;
}

}  // namespace mailgate::mail
