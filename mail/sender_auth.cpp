#include "mail/sender_auth.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <variant>

#include "mail/address.hpp"
#include "mail/charset.hpp"
#include "mail/syntax.hpp"

namespace mailgate::mail {
namespace {

constexpr std::size_t kMaxShown = 80;
constexpr std::size_t kMaxListed = 6;

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string lower(std::string_view s) { return lower_ascii(s); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ws(s.back())) s.remove_suffix(1);
  return s;
}

/// A header value fit for a one-line reason: at most kMaxShown characters, always valid
/// UTF-8. The reason goes into JSON and logs, where a character cut in half made the whole
/// batch's plan throw (issue 12, item 1), so the cut is by characters, never by bytes.
std::string shown(std::string_view v) {
  std::string s = sanitize_utf8(trim(v));
  std::size_t chars = 0;
  std::size_t i = 0;
  for (; i < s.size(); ++i) {
    // Valid UTF-8 now: a character starts at every byte that is not 10xxxxxx.
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && chars++ == kMaxShown) break;
  }
  if (i < s.size()) {
    s.resize(i);
    s += "...";
  }
  return s;
}

/// A domain for comparison: trimmed, angle brackets and one trailing dot removed, lower-case.
std::string norm_domain(std::string_view d) {
  d = trim(d);
  if (d.size() >= 2 && d.front() == '<' && d.back() == '>') d = trim(d.substr(1, d.size() - 2));
  if (!d.empty() && d.back() == '.') d.remove_suffix(1);
  return lower(d);
}

/// The domain of "local@domain", "@domain", "<local@domain>" or a bare "domain"; empty for "<>".
std::string domain_of(std::string_view v) {
  v = trim(v);
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = trim(v.substr(1, v.size() - 2));
  std::size_t at = v.rfind('@');
  return norm_domain(at == std::string_view::npos ? v : v.substr(at + 1));
}

// ---------------------------------------------------------------------------------------------
// Identity: From (and Sender) name exactly the claimed address.

std::optional<std::string> identity_problem(const Message& m, std::string_view claimed) {
  std::vector<const std::string*> froms;
  std::vector<const std::string*> senders;
  for (const HeaderField& f : m.header) {
    if (iequals_ascii(f.name, "From")) froms.push_back(&f.value);
    if (iequals_ascii(f.name, "Sender")) senders.push_back(&f.value);
  }
  if (froms.empty()) return "no From field";
  if (froms.size() > 1) return std::to_string(froms.size()) + " From fields";
  std::vector<Address> from = parse_address_list(*froms.front());
  if (from.size() != 1) return "From has " + std::to_string(from.size()) + " addresses";
  if (!iequals_ascii(trim(from.front().address), trim(claimed))) {
    return "From address " + shown(from.front().address) + " is not " + shown(claimed);
  }
  if (senders.size() > 1) return std::to_string(senders.size()) + " Sender fields";
  if (senders.size() == 1) {
    std::vector<Address> sender = parse_address_list(*senders.front());
    if (sender.size() != 1 || !iequals_ascii(trim(sender.front().address), trim(claimed))) {
      return "Sender " + shown(*senders.front()) + " differs from From";
    }
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Authentication-Results (RFC 8601).

/// The value with every comment (nested, with quoted-pairs) replaced by one space; quoted
/// strings are kept as written.
std::string strip_comments(std::string_view v) {
  std::string out;
  int depth = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (depth > 0) {
      if (c == '\\') {
        ++i;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')' && --depth == 0) {
        out += ' ';
      }
      continue;
    }
    out += c;
    if (quoted) {
      if (c == '\\' && i + 1 < v.size()) {
        out += v[++i];
      } else if (c == '"') {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == '(') {
      out.back() = ' ';
      depth = 1;
    }
  }
  return out;
}

/// Splits on ';' outside quoted strings.
std::vector<std::string_view> split_semicolons(std::string_view v) {
  std::vector<std::string_view> parts;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (quoted) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ';') {
      parts.push_back(v.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(v.substr(std::min(start, v.size())));
  return parts;
}

struct Cursor {
  std::string_view s;
  std::size_t i = 0;

  bool end() const { return i >= s.size(); }
  char peek() const { return end() ? '\0' : s[i]; }
  void skip_ws() {
    while (!end() && is_ws(s[i])) ++i;
  }
  /// A quoted string at the cursor (which is on '"'), unescaped.
  std::string quoted() {
    std::string out;
    for (++i; !end(); ++i) {
      if (s[i] == '\\' && i + 1 < s.size()) {
        out += s[++i];
      } else if (s[i] == '"') {
        ++i;
        break;
      } else {
        out += s[i];
      }
    }
    return out;
  }
  /// A run of characters up to whitespace or one of `stops`.
  std::string_view run(std::string_view stops) {
    std::size_t start = i;
    while (!end() && !is_ws(s[i]) && stops.find(s[i]) == std::string_view::npos) ++i;
    return s.substr(start, i - start);
  }
  /// A value: a quoted string or a run up to whitespace.
  std::string value() { return peek() == '"' ? quoted() : std::string(run("\"")); }
};

struct Property {
  std::string key;  ///< lower-case "ptype.property", e.g. "header.d"
  std::string value;
};

struct ResInfo {
  std::string method;  ///< lower-case, without a version
  std::string result;  ///< lower-case
  std::vector<Property> props;

  const std::string* prop(std::string_view key) const {
    for (const Property& p : props) {
      if (p.key == key) return &p.value;
    }
    return nullptr;
  }
};

struct AuthResults {
  std::string authserv_id;  ///< as written; empty when the field names none
  bool none = false;        ///< "; none"
  std::vector<ResInfo> results;
};

/// resinfo = methodspec [reasonspec] *propspec; CFWS already reduced to spaces.
std::optional<ResInfo> parse_resinfo(std::string_view seg) {
  Cursor c{seg};
  c.skip_ws();
  ResInfo r;
  r.method = lower(c.run("=/\""));
  c.skip_ws();
  if (c.peek() == '/') {  // method-version
    ++c.i;
    c.skip_ws();
    c.run("=\"");
    c.skip_ws();
  }
  if (r.method.empty() || c.peek() != '=') return std::nullopt;
  ++c.i;
  c.skip_ws();
  r.result = lower(c.value());
  for (;;) {
    c.skip_ws();
    if (c.end()) break;
    // "header . d" may carry CFWS around the dot: join the pieces up to '='.
    std::string key;
    while (!c.end() && c.peek() != '=') {
      if (c.peek() == '"') {
        c.quoted();
      } else {
        key += c.run("=\"");
      }
      c.skip_ws();
    }
    if (c.end()) break;
    ++c.i;
    c.skip_ws();
    r.props.push_back(Property{lower(key), c.value()});
  }
  return r;
}

AuthResults parse_authentication_results(std::string_view value) {
  std::string text = strip_comments(value);
  std::vector<std::string_view> segs = split_semicolons(text);
  AuthResults ar;
  Cursor c{segs.front()};
  c.skip_ws();
  std::string id = c.value();
  // Microsoft writes "spf=pass (...) smtp.mailfrom=x; dkim=..." with no authserv-id at all.
  if (id.find('=') == std::string::npos) ar.authserv_id = std::move(id);
  for (std::size_t k = 1; k < segs.size(); ++k) {
    if (lower(trim(segs[k])) == "none") {
      ar.none = true;
      continue;
    }
    if (std::optional<ResInfo> r = parse_resinfo(segs[k])) ar.results.push_back(std::move(*r));
  }
  return ar;
}

/// "dkim=pass header.d=lenobl.ru" when r passes for `domain`.
std::optional<std::string> pass_for(const ResInfo& r, const std::string& domain) {
  if (r.result != "pass") return std::nullopt;
  if (r.method == "dkim") {
    if (const std::string* d = r.prop("header.d"); d && norm_domain(*d) == domain) {
      return "dkim=pass header.d=" + shown(*d);
    }
    if (const std::string* i = r.prop("header.i"); i && domain_of(*i) == domain) {
      return "dkim=pass header.i=" + shown(*i);
    }
  } else if (r.method == "spf") {
    const std::string* mailfrom = r.prop("smtp.mailfrom");
    if (mailfrom && !domain_of(*mailfrom).empty()) {
      if (domain_of(*mailfrom) == domain) return "spf=pass smtp.mailfrom=" + shown(*mailfrom);
    } else if (const std::string* helo = r.prop("smtp.helo"); helo && domain_of(*helo) == domain) {
      return "spf=pass smtp.helo=" + shown(*helo);
    }
  } else if (r.method == "dmarc") {
    if (const std::string* from = r.prop("header.from"); from && domain_of(*from) == domain) {
      return "dmarc=pass header.from=" + shown(*from);
    }
  }
  return std::nullopt;
}

/// "dkim=fail, spf=pass smtp.mailfrom=x@evil.example" for a reason.
std::string listed(const AuthResults& ar, bool& any_pass) {
  std::string out;
  std::size_t n = 0;
  for (const ResInfo& r : ar.results) {
    if (n == kMaxListed) {
      out += ", ...";
      break;
    }
    if (n++ > 0) out += ", ";
    out += shown(r.method) + "=" + shown(r.result);
    if (r.result != "pass") continue;
    any_pass = true;
    for (const char* key : {"header.d", "header.i", "smtp.mailfrom", "smtp.helo", "header.from"}) {
      if (const std::string* v = r.prop(key)) {
        out += std::string(" ") + key + "=" + shown(*v);
        break;
      }
    }
  }
  return out;
}

// Fields at `limit` and below are not looked at (written before the office's MTA saw the
// mail); `dkim_only` counts only a DKIM pass.
SenderAuthVerdict check_authentication_results(const Message& m, const std::string& domain,
                                               const SenderAuthSettings& s, std::size_t limit,
                                               bool dkim_only) {
  for (std::size_t k = 0; k < m.header.size() && k < limit; ++k) {
    const HeaderField& f = m.header[k];
    if (!iequals_ascii(f.name, "Authentication-Results")) continue;
    AuthResults ar = parse_authentication_results(f.value);
    if (ar.authserv_id.empty()) continue;
    bool trusted = std::any_of(
        s.authserv_ids.begin(), s.authserv_ids.end(),
        [&](const std::string& id) { return norm_domain(id) == norm_domain(ar.authserv_id); });
    if (!trusted) continue;
    // The topmost one from our own MTA decides; anything below may be the sender's.
    std::string by = " by " + shown(ar.authserv_id);
    for (const ResInfo& r : ar.results) {
      if (dkim_only && r.method != "dkim") continue;
      if (std::optional<std::string> pass = pass_for(r, domain)) return {true, *pass + by};
    }
    std::string head = "topmost Authentication-Results from " + shown(ar.authserv_id);
    if (ar.results.empty()) return {false, head + (ar.none ? " says none" : " has no results")};
    bool any_pass = false;
    std::string results = listed(ar, any_pass);
    if (any_pass) {
      head += " has no pass for ";
      head += shown(domain);
      head += ": ";
    } else {
      head += " says ";
    }
    head += results;
    return {false, std::move(head)};
  }
  return {false, "no Authentication-Results from a trusted authserv-id"};
}

// ---------------------------------------------------------------------------------------------
// Received chain (RFC 5321 section 4.4, RFC 3848).

/// An IP address in a canonical byte form ("4" + 4 bytes, "6" + 16 bytes; IPv4-mapped IPv6 as
/// IPv4), or nullopt. Accepts "IPv6:" prefixes, zone ids and an IPv4 ":port" suffix.
std::optional<std::string> canonical_ip(std::string_view text) {
  std::string t(trim(text));
  if (t.size() >= 2 && t.front() == '[' && t.back() == ']') t = t.substr(1, t.size() - 2);
  if (t.size() > 5 && iequals_ascii(std::string_view(t).substr(0, 5), "ipv6:")) t = t.substr(5);
  if (t.empty() || t.size() > 64) return std::nullopt;
  unsigned char buf[16];
  if (std::count(t.begin(), t.end(), ':') == 1) t = t.substr(0, t.find(':'));  // "a.b.c.d:port"
  if (inet_pton(AF_INET, t.c_str(), buf) == 1) {
    return "4" + std::string(reinterpret_cast<const char*>(buf), 4);
  }
  if (std::size_t zone = t.find('%'); zone != std::string::npos) t.resize(zone);
  if (inet_pton(AF_INET6, t.c_str(), buf) != 1) return std::nullopt;
  static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(buf, kMapped, sizeof kMapped) == 0) {
    return "4" + std::string(reinterpret_cast<const char*>(buf + 12), 4);
  }
  return "6" + std::string(reinterpret_cast<const char*>(buf), 16);
}

/// Every IP literal in a piece of text ("[1.2.3.4]", "(10.0.0.5)", "[IPv6:2001:db8::1]:25").
void collect_ips(std::string_view text, std::vector<std::string>& ips) {
  constexpr std::string_view kDelims = " \t\r\n()[]<>;,=\"'";
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t start = text.find_first_not_of(kDelims, i);
    if (start == std::string_view::npos) break;
    std::size_t end = text.find_first_of(kDelims, start);
    if (end == std::string_view::npos) end = text.size();
    if (std::optional<std::string> ip = canonical_ip(text.substr(start, end - start))) {
      ips.push_back(std::move(*ip));
    }
    i = end;
  }
}

struct Received {
  std::string from_name;         ///< first word after "from", as written
  std::string by_host;           ///< first word after "by", as written
  std::string with;              ///< the protocol after "with", as written
  std::vector<std::string> ips;  ///< every IP literal before the date, canonical
};

Received parse_received(std::string_view v) {
  // The date follows the last ';' outside comments.
  std::size_t date = v.size();
  {
    int depth = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (v[i] == '\\') {
        ++i;
      } else if (v[i] == '(') {
        ++depth;
      } else if (v[i] == ')' && depth > 0) {
        --depth;
      } else if (v[i] == ';' && depth == 0) {
        date = i;
      }
    }
  }
  v = v.substr(0, date);

  Received r;
  collect_ips(v, r.ips);
  std::string* main = nullptr;  // the clause whose first word is still to come
  std::size_t i = 0;
  while (i < v.size()) {
    if (is_ws(v[i])) {
      ++i;
      continue;
    }
    if (v[i] == '(') {  // a comment: skip it whole
      int depth = 0;
      for (; i < v.size(); ++i) {
        if (v[i] == '\\') {
          ++i;
        } else if (v[i] == '(') {
          ++depth;
        } else if (v[i] == ')' && --depth == 0) {
          ++i;
          break;
        }
      }
      continue;
    }
    std::size_t start = i;
    while (i < v.size() && !is_ws(v[i]) && v[i] != '(') ++i;
    std::string_view word = v.substr(start, i - start);
    if (iequals_ascii(word, "from")) {
      main = &r.from_name;
    } else if (iequals_ascii(word, "by")) {
      main = &r.by_host;
    } else if (iequals_ascii(word, "with")) {
      main = &r.with;
    } else if (iequals_ascii(word, "via") || iequals_ascii(word, "id") ||
               iequals_ascii(word, "for")) {
      main = nullptr;
    } else if (main != nullptr) {
      if (main->empty()) *main = std::string(word);
      main = nullptr;
    }
  }
  return r;
}

struct TrustedRelays {
  std::vector<std::string> names;  ///< norm_domain form
  std::vector<std::string> ips;    ///< canonical_ip form

  explicit TrustedRelays(const std::vector<std::string>& relays) {
    for (const std::string& relay : relays) {
      if (trim(relay).empty()) continue;
      if (std::optional<std::string> ip = canonical_ip(relay)) {
        ips.push_back(std::move(*ip));
      } else {
        names.push_back(norm_domain(relay));
      }
    }
  }
  bool ip(const std::string& canonical) const {
    return std::find(ips.begin(), ips.end(), canonical) != ips.end();
  }
  /// A host as written after `from` or `by`: a name or an IP literal.
  bool host(std::string_view written) const {
    if (trim(written).empty()) return false;
    if (std::optional<std::string> canonical = canonical_ip(written)) return ip(*canonical);
    return std::find(names.begin(), names.end(), norm_domain(written)) != names.end();
  }
};

bool authenticated_protocol(std::string_view with) {
  std::string p = lower(with);
  for (const char* a : {"esmtpa", "esmtpsa", "lmtpa", "lmtpsa", "utf8smtpa", "utf8smtpsa",
                        "utf8lmtpa", "utf8lmtpsa"}) {
    if (p == a) return true;
  }
  return false;
}

/// The host that wrote the next Received field down is one of ours.
bool handed_over_by_trusted(const Received& r, const TrustedRelays& t) {
  if (r.ips.empty()) return t.host(r.from_name);  // a local socket: no IP recorded
  return std::all_of(r.ips.begin(), r.ips.end(), [&](const std::string& ip) { return t.ip(ip); });
}

SenderAuthVerdict check_received(const Message& m, const SenderAuthSettings& s) {
  const TrustedRelays trusted(s.trusted_relays);
  const char* const kEnded =
      "no authenticated submission in the trusted part of the Received chain";
  std::optional<Received> above;
  for (const HeaderField& f : m.header) {
    if (!iequals_ascii(f.name, "Received")) continue;
    Received r = parse_received(f.value);
    if (above && !handed_over_by_trusted(*above, trusted)) return {false, kEnded};
    if (!trusted.host(r.by_host)) {
      if (above) return {false, kEnded};
      return {false, "topmost Received is by " + (r.by_host.empty() ? "nobody" : shown(r.by_host)) +
                         ", not a trusted relay"};
    }
    if (authenticated_protocol(r.with)) {
      return {true, "received by trusted relay " + shown(r.by_host) + " with " + shown(r.with)};
    }
    above = std::move(r);
  }
  if (!above) return {false, "no Received field"};
  return {false, kEnded};
}

// The header index of the first Received field the office's MTA wrote (where the mail
// entered the office): the topmost Received must be by one of the office's MTAs, and the walk
// goes down while the field above recorded a hand-over from a trusted relay and this one is
// by one of ours. Nothing when the topmost Received is not ours or there is none.
std::optional<std::size_t> office_entry(const Message& m, const SenderAuthSettings& s) {
  std::vector<std::string> hosts = s.mta_hosts.empty() ? s.authserv_ids : s.mta_hosts;
  hosts.insert(hosts.end(), s.trusted_relays.begin(), s.trusted_relays.end());
  const TrustedRelays ours(hosts);
  const TrustedRelays relays(s.trusted_relays);
  std::optional<std::size_t> entry;
  std::optional<Received> above;
  for (std::size_t k = 0; k < m.header.size(); ++k) {
    if (!iequals_ascii(m.header[k].name, "Received")) continue;
    Received r = parse_received(m.header[k].value);
    if (above && !handed_over_by_trusted(*above, relays)) break;
    if (!ours.host(r.by_host)) break;
    entry = k;
    above = std::move(r);
  }
  return entry;
}

// The checks both ways start with: the letter's identity fields agree with the claimed
// address, and that address has a domain. The domain, or the verdict that refuses.
std::variant<std::string, SenderAuthVerdict> claimed_domain(const Message& m,
                                                            std::string_view claimed_address) {
  if (std::optional<std::string> problem = identity_problem(m, claimed_address)) {
    return SenderAuthVerdict{false, *problem};
  }
  std::string domain = domain_of(claimed_address);
  if (domain.empty() || trim(claimed_address).find('@') == std::string_view::npos) {
    return SenderAuthVerdict{false, "claimed address " + shown(claimed_address) + " has no domain"};
  }
  return domain;
}

}  // namespace

SenderAuthVerdict trusted_dkim_pass(const Message& m, std::string_view claimed_address,
                                    const SenderAuthSettings& s) {
  auto claimed = claimed_domain(m, claimed_address);
  if (auto* refused = std::get_if<SenderAuthVerdict>(&claimed)) return *refused;
  const std::string& domain = std::get<std::string>(claimed);
  std::optional<std::size_t> entry = office_entry(m, s);
  if (!entry) return {false, "no Received by the office's MTA on top"};
  return check_authentication_results(m, domain, s, *entry, true);
}

SenderAuthVerdict vouch_for_sender(const Message& m, std::string_view claimed_address,
                                   const SenderAuthSettings& s) {
  auto claimed = claimed_domain(m, claimed_address);
  if (auto* refused = std::get_if<SenderAuthVerdict>(&claimed)) return *refused;
  const std::string& domain = std::get<std::string>(claimed);
  std::optional<std::size_t> entry = office_entry(m, s);
  SenderAuthVerdict ar = entry ? check_authentication_results(m, domain, s, *entry, false)
                               : SenderAuthVerdict{false,
                                                   "no Received by the office's MTA on top, so no "
                                                   "Authentication-Results are believed"};
  if (ar.vouched) return ar;
  SenderAuthVerdict relay = check_received(m, s);
  if (relay.vouched) return relay;
  // Report the ways that are configured (the Authentication-Results way when none is).
  if (s.trusted_relays.empty()) return ar;
  if (s.authserv_ids.empty()) return relay;
  return {false, ar.reason + "; " + relay.reason};
}

}  // namespace mailgate::mail
