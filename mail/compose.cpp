#include "mail/compose.hpp"

#include <algorithm>
#include <array>
#include <ctime>

#include "mail/address_rule.hpp"
#include "mail/charset.hpp"
#include "mail/header_encode.hpp"
#include "mail/message_id.hpp"
#include "mail/random.hpp"
#include "mail/syntax.hpp"
#include "mail/transfer_encode.hpp"

namespace mailgate::mail {
namespace {

/// The longest plain (quoted) file name; longer ones use RFC 2231 continuations.
constexpr std::size_t kMaxPlainFilename = 60;
/// Characters of percent-encoded RFC 2231 value per continuation line.
constexpr std::size_t kRfc2231Piece = 54;
/// Text bytes per encoded-word inside name="...", so that a line stays within 76 columns.
constexpr std::size_t kNameWordBytes = 39;

/// One MIME entity: its header fields (each ending in CRLF) and its body.
struct Entity {
  std::string header;
  std::string body;
  std::string bytes() const { return header + "\r\n" + body; }
};

std::string describe(std::string_view value) {
  std::string s = clean_header_text(value.substr(0, 80));
  return "\"" + s + "\"";
}

void check_address(const Address& a, std::string_view what) {
  if (!is_valid_addr_spec(a.address)) {
    throw ComposeError(std::string(what) + ": invalid address " + describe(a.address));
  }
}

// ---- header values -------------------------------------------------------------------------

std::string quoted(std::string_view plain) {
  std::string q = "\"";
  for (char c : plain) {
    if (c == '"' || c == '\\') q.push_back('\\');
    q.push_back(c);
  }
  q.push_back('"');
  return q;
}

/// Display names come back trimmed (readers trim them), so they are trimmed here already.
std::string clean_name(std::string_view name) {
  std::string s = clean_header_text(name);
  std::size_t b = s.find_first_not_of(' ');
  if (b == std::string::npos) return {};
  std::size_t e = s.find_last_not_of(' ');
  return s.substr(b, e - b + 1);
}

void write_mailbox(FieldWriter& w, const Address& a) {
  std::string name = clean_name(a.name);
  if (name.empty()) {
    w.token(a.address);
    return;
  }
  if (is_plain_header_text(name)) {
    // A quoted string, folded (if at all) at its own spaces.
    std::string q = quoted(name);
    std::size_t pos = 0;
    while (pos < q.size()) {
      std::size_t sp = q.find(' ', pos);
      if (sp == std::string::npos) sp = q.size();
      w.token(std::string_view(q).substr(pos, sp - pos));
      pos = sp + 1;
    }
  } else {
    w.encoded_words(name);
  }
  w.token("<" + a.address + ">");
}

void address_field(std::string& out, std::string_view name, const std::vector<Address>& list) {
  FieldWriter w(out, name);
  for (std::size_t i = 0; i < list.size(); ++i) {
    write_mailbox(w, list[i]);
    if (i + 1 < list.size()) w.glue(",");
  }
  w.end();
}

std::string rfc5322_date(std::chrono::system_clock::time_point tp, std::chrono::minutes offset) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  long long off = offset.count();
  if (off < -(23 * 60 + 59) || off > 23 * 60 + 59) throw ComposeError("utc_offset out of range");
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(tp.time_since_epoch()).count();
  std::time_t local = static_cast<std::time_t>(secs + off * 60);
  std::tm tm{};
  if (gmtime_r(&local, &tm) == nullptr || tm.tm_year + 1900 < 1900 || tm.tm_year + 1900 > 9999) {
    throw ComposeError("date out of range");
  }
  char buf[64];
  long long a = off < 0 ? -off : off;
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d %c%02lld%02lld",
                kDays[static_cast<std::size_t>(tm.tm_wday)], tm.tm_mday,
                kMonths[static_cast<std::size_t>(tm.tm_mon)], tm.tm_year + 1900, tm.tm_hour,
                tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+', a / 60, a % 60);
  return buf;
}

std::string trim_id(std::string_view id) {
  std::size_t b = id.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  std::size_t e = id.find_last_not_of(" \t\r\n");
  return std::string(id.substr(b, e - b + 1));
}

/// Fields compose writes itself: extra headers may not repeat or override them.
bool is_reserved_field(std::string_view name) {
  static constexpr std::array<std::string_view, 15> kReserved = {
      "date",       "from",         "sender",         "reply-to",    "to",
      "cc",         "bcc",          "subject",        "message-id",  "in-reply-to",
      "references", "mime-version", "auto-submitted", "return-path", "content-type"};
  for (std::string_view r : kReserved) {
    if (iequals_ascii(name, r)) return true;
  }
  return name.size() >= 8 && iequals_ascii(name.substr(0, 8), "content-");
}

bool is_field_name(std::string_view name) {
  if (name.empty() || name.size() > 76) return false;
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u < 33 || u > 126 || c == ':') return false;
  }
  return true;
}

// ---- MIME ----------------------------------------------------------------------------------

bool is_token_char(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u < 33 || u > 126) return false;
  return std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
}

/// "type/subtype" lower-cased, or application/octet-stream.
std::string media_type(std::string_view ct) {
  std::size_t slash = ct.find('/');
  bool ok =
      slash != std::string_view::npos && slash > 0 && slash + 1 < ct.size() && ct.size() <= 100;
  for (std::size_t i = 0; ok && i < ct.size(); ++i) {
    if (i != slash && !is_token_char(ct[i])) ok = false;
  }
  if (!ok) return "application/octet-stream";
  std::string s(ct);
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (s.rfind("multipart/", 0) == 0) return "application/octet-stream";
  return s;
}

/// A text body: valid UTF-8 (it is declared so), CRLF line ends and a final line break;
/// quoted-printable or base64, whichever is shorter.
Entity text_entity(std::string_view text, std::string_view subtype) {
  std::string crlf = to_crlf(is_valid_utf8(text) ? text : sanitize_utf8(text));
  if (!crlf.empty() && crlf.compare(crlf.size() - 2, 2, "\r\n") != 0) crlf += "\r\n";
  std::string qp = encode_quoted_printable(crlf);
  std::string b64 = encode_base64_lines(crlf);
  Entity e;
  std::string& h = e.header;
  h += "Content-Type: text/";
  h += subtype;
  h += "; charset=utf-8\r\n";
  if (qp.size() <= b64.size()) {
    h += "Content-Transfer-Encoding: quoted-printable\r\n";
    e.body = std::move(qp);
  } else {
    h += "Content-Transfer-Encoding: base64\r\n";
    e.body = std::move(b64);
  }
  return e;
}

/// RFC 2231 attr-char: what may stay unencoded in an extended parameter value.
bool is_attr_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos;
}

/// Percent-encoded pieces of a UTF-8 value, each at most kRfc2231Piece characters, split only
/// between characters.
std::vector<std::string> rfc2231_pieces(std::string_view utf8) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::vector<std::string> pieces(1);
  std::size_t i = 0;
  while (i < utf8.size()) {
    // One whole character.
    std::size_t n = 1;
    while (i + n < utf8.size() && (static_cast<unsigned char>(utf8[i + n]) & 0xC0) == 0x80) ++n;
    std::string enc;
    for (std::size_t k = 0; k < n; ++k) {
      char c = utf8[i + k];
      if (is_attr_char(c)) {
        enc.push_back(c);
      } else {
        auto u = static_cast<unsigned char>(c);
        enc += '%';
        enc += kHex[u >> 4];
        enc += kHex[u & 15];
      }
    }
    if (pieces.back().size() + enc.size() > kRfc2231Piece) pieces.emplace_back();
    pieces.back() += enc;
    i += n;
  }
  return pieces;
}

bool is_plain_filename(std::string_view name) {
  return name.size() <= kMaxPlainFilename && is_plain_header_text(name) &&
         name.find_first_of("\"\\") == std::string_view::npos;
}

/// name="..." of Content-Type: plain, or RFC 2047 words inside the quotes (what Outlook reads).
void write_name_param(FieldWriter& w, const std::string& filename) {
  w.glue(";");
  if (is_plain_filename(filename)) {
    w.token("name=\"" + filename + "\"");
    return;
  }
  auto words = b_encoded_words(filename, kNameWordBytes);
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string t = i == 0 ? "name=\"" + words[i] : words[i];
    if (i + 1 == words.size()) t += '"';
    w.token(t);
  }
}

/// filename= of Content-Disposition: plain, or RFC 2231 (with continuations when long).
void write_filename_param(FieldWriter& w, const std::string& filename) {
  w.glue(";");
  if (is_plain_filename(filename)) {
    w.token("filename=\"" + filename + "\"");
    return;
  }
  auto pieces = rfc2231_pieces(filename);
  if (pieces.size() == 1) {
    w.token("filename*=utf-8''" + pieces[0]);
    return;
  }
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    std::string t = "filename*" + std::to_string(i) + "*=";
    if (i == 0) t += "utf-8''";
    t += pieces[i];
    w.token(t);
    if (i + 1 < pieces.size()) w.glue(";");
  }
}

/// Bytes that may travel unencoded as a message/rfc822 body: CRLF line ends only, no NUL,
/// lines of at most 998 bytes.
bool is_8bit_safe(std::string_view bytes) {
  std::size_t line = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    char c = bytes[i];
    if (c == '\0') return false;
    if (c == '\r') {
      if (i + 1 >= bytes.size() || bytes[i + 1] != '\n') return false;
      ++i;
      line = 0;
      continue;
    }
    if (c == '\n') return false;
    if (++line > 998) return false;
  }
  return true;
}

Entity attachment_entity(const OutgoingAttachment& a) {
  std::string type = media_type(a.content_type);
  bool as_is = false;
  if (type == "message/rfc822") {
    if (is_8bit_safe(a.bytes)) {
      as_is = true;
    } else {
      type = "application/octet-stream";
    }
  }
  std::string filename = clean_header_text(a.filename);
  Entity e;
  {
    FieldWriter w(e.header, "Content-Type");
    w.token(type);
    if (!filename.empty()) write_name_param(w, filename);
    w.end();
  }
  {
    FieldWriter w(e.header, "Content-Disposition");
    w.token("attachment");
    if (!filename.empty()) write_filename_param(w, filename);
    w.end();
  }
  if (as_is) {
    e.header += is_ascii(a.bytes) ? "Content-Transfer-Encoding: 7bit\r\n"
                                  : "Content-Transfer-Encoding: 8bit\r\n";
    e.body = a.bytes;
  } else {
    e.header += "Content-Transfer-Encoding: base64\r\n";
    e.body = encode_base64_lines(a.bytes);
  }
  return e;
}

/// A multipart entity around `parts`, with a random boundary that none of them contains.
Entity multipart(std::string_view subtype, const std::vector<Entity>& parts) {
  std::vector<std::string> serialized;
  serialized.reserve(parts.size());
  for (const Entity& p : parts) serialized.push_back(p.bytes());
  std::string boundary;
  for (;;) {
    // "=_" cannot occur in quoted-printable or base64, so only as-is bytes could hold it;
    // the random part makes even that a 2^-96 chance, and the check below makes it none.
    boundary = "=_mg_" + random_hex(12);
    bool clash = std::any_of(serialized.begin(), serialized.end(), [&](const std::string& s) {
      return s.find(boundary) != std::string::npos;
    });
    if (!clash) break;
  }
  Entity e;
  e.header =
      "Content-Type: multipart/" + std::string(subtype) + ";\r\n boundary=\"" + boundary + "\"\r\n";
  for (const std::string& s : serialized) {
    e.body += "--" + boundary + "\r\n";
    e.body += s;
    e.body += "\r\n";
  }
  e.body += "--" + boundary + "--\r\n";
  return e;
}

}  // namespace

bool is_valid_addr_spec(std::string_view address) { return deliverable_address(address); }

std::string compose(const OutgoingMail& mail) {
  check_address(mail.from, "From");
  if (mail.to.empty()) throw ComposeError("To: no recipients");
  for (const Address& a : mail.to) check_address(a, "To");
  if (mail.reply_to) check_address(*mail.reply_to, "Reply-To");
  if (!is_valid_msg_id(mail.message_id)) {
    throw ComposeError("Message-ID: not a well-formed id " + describe(mail.message_id));
  }
  if (!mail.auto_submitted.empty() && mail.auto_submitted != "auto-replied" &&
      mail.auto_submitted != "auto-generated") {
    throw ComposeError("Auto-Submitted: unsupported value " + describe(mail.auto_submitted));
  }
  for (const HeaderField& f : mail.extra_headers) {
    if (!is_field_name(f.name)) throw ComposeError("invalid field name " + describe(f.name));
    if (is_reserved_field(f.name)) {
      throw ComposeError("field " + f.name + " is written by compose itself");
    }
  }

  std::string out;
  out += "Date: " + rfc5322_date(mail.date, mail.utc_offset) + "\r\n";
  address_field(out, "From", {mail.from});
  if (mail.reply_to) address_field(out, "Reply-To", {*mail.reply_to});
  address_field(out, "To", mail.to);
  {
    FieldWriter w(out, "Subject");
    w.text(clean_header_text(mail.subject));
    w.end();
  }
  out += "Message-ID: " + mail.message_id + "\r\n";
  if (mail.in_reply_to) {
    std::string id = trim_id(*mail.in_reply_to);
    if (is_valid_msg_id(id)) out += "In-Reply-To: " + id + "\r\n";
  }
  std::vector<std::string> refs;
  for (const std::string& r : mail.references) {
    std::string id = trim_id(r);
    if (is_valid_msg_id(id)) refs.push_back(std::move(id));
  }
  if (!refs.empty()) {
    FieldWriter w(out, "References");
    for (const std::string& id : refs) w.token(id);
    w.end();
  }
  if (!mail.auto_submitted.empty()) out += "Auto-Submitted: " + mail.auto_submitted + "\r\n";
  for (const HeaderField& f : mail.extra_headers) {
    FieldWriter w(out, f.name);
    w.text(clean_header_text(f.value));
    w.end();
  }
  out += "MIME-Version: 1.0\r\n";

  Entity body = text_entity(mail.text, "plain");
  if (!mail.html.empty()) body = multipart("alternative", {body, text_entity(mail.html, "html")});
  if (!mail.attachments.empty()) {
    std::vector<Entity> parts{std::move(body)};
    for (const OutgoingAttachment& a : mail.attachments) parts.push_back(attachment_entity(a));
    body = multipart("mixed", parts);
  }
  out += body.header;
  out += "\r\n";
  out += body.body;
  return out;
}

}  // namespace mailgate::mail
