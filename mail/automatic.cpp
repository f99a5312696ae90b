#include "mail/automatic.hpp"

#include <optional>
#include <string_view>

#include "mail/message_id.hpp"
#include "mail/rfc2231.hpp"
#include "mail/syntax.hpp"

namespace mailgate::mail {
namespace {

constexpr std::size_t kMaxQuoted = 80;

std::string lower(std::string_view s) { return lower_ascii(s); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// The value without parameters or comments ("auto-replied; owner=x" -> "auto-replied").
std::string_view main_value(std::string_view v) {
  std::size_t end = v.find_first_of(";(");
  return trim(v.substr(0, end));
}

/// A header value fit for a one-line reason.
std::string shown(std::string_view v) {
  std::string s(trim(v).substr(0, kMaxQuoted));
  if (trim(v).size() > kMaxQuoted) s += "...";
  return s;
}

std::string local_part(std::string_view address) {
  std::size_t at = address.rfind('@');
  return lower(at == std::string_view::npos ? address : address.substr(0, at));
}

bool contains_word(std::string_view list, std::string_view word) {
  // Outlook writes "X-Auto-Response-Suppress: DR, RN, NRN, OOF, AutoReply".
  std::string l = lower(list);
  std::size_t pos = 0;
  while (pos < l.size()) {
    std::size_t end = l.find_first_of(", ;", pos);
    if (end == std::string::npos) end = l.size();
    if (std::string_view(l).substr(pos, end - pos) == word) return true;
    pos = end + 1;
  }
  return false;
}

AutomaticVerdict verdict(Automatic kind, std::string reason) {
  return AutomaticVerdict{kind, std::move(reason)};
}

std::optional<AutomaticVerdict> own_mail(const Message& m, const LoopSettings& s) {
  if (!s.loop_header.empty()) {
    if (m.field(s.loop_header) != nullptr) {
      return verdict(Automatic::own_mail, s.loop_header + " present");
    }
  }
  // Only a Message-ID of the form we make: the office's clients are civil servants whose
  // own mail server often uses the office's domain for its Message-IDs too.
  for (const std::string& own : s.own_domains) {
    if (!own.empty() && is_our_message_id(m.message_id, own)) {
      return verdict(Automatic::own_mail,
                     "Message-ID " + shown(msg_id_domain(m.message_id)) + " is one of ours");
    }
  }
  return std::nullopt;
}

std::optional<AutomaticVerdict> bounce(const Message& m) {
  if (const std::string* ct = m.field("Content-Type")) {
    ParamHeader h = parse_param_header(*ct);
    if (h.value == "multipart/report") {
      const ParamValue* rt = h.find("report-type");
      if (rt != nullptr && lower(trim(rt->value)) == "delivery-status") {
        return verdict(Automatic::bounce,
                       "Content-Type: multipart/report; report-type=delivery-status");
      }
    }
  }
  if (const std::string* rp = m.field("Return-Path")) {
    std::string v;
    for (char c : *rp) {
      if (c != ' ' && c != '\t') v += c;
    }
    if (v == "<>") return verdict(Automatic::bounce, "Return-Path: <>");
  }
  if (!m.from || m.from->address.empty()) {
    return verdict(Automatic::bounce, "no From address (null sender)");
  }
  std::string lp = local_part(m.from->address);
  if (lp == "mailer-daemon" || lp == "postmaster") {
    return verdict(Automatic::bounce, "From: " + shown(m.from->address));
  }
  if (m.field("X-Failed-Recipients") != nullptr) {
    return verdict(Automatic::bounce, "X-Failed-Recipients present");
  }
  return std::nullopt;
}

std::optional<AutomaticVerdict> auto_reply(const Message& m) {
  if (const std::string* v = m.field("Auto-Submitted")) {
    std::string value = lower(main_value(*v));
    if (!value.empty() && value != "no") {
      return verdict(Automatic::auto_reply, "Auto-Submitted: " + shown(main_value(*v)));
    }
  }
  for (const char* name : {"X-Autoreply", "X-Autorespond"}) {
    if (const std::string* v = m.field(name)) {
      return verdict(Automatic::auto_reply, std::string(name) + ": " + shown(*v));
    }
  }
  if (const std::string* v = m.field("Precedence")) {
    if (lower(main_value(*v)) == "auto_reply") {
      return verdict(Automatic::auto_reply, "Precedence: auto_reply");
    }
  }
  return std::nullopt;
}

std::optional<AutomaticVerdict> mailing_list(const Message& m) {
  for (const HeaderField& f : m.header) {
    if (f.name.size() > 5 && iequals_ascii(std::string_view(f.name).substr(0, 5), "list-")) {
      return verdict(Automatic::mailing_list, f.name + " present");
    }
  }
  if (const std::string* v = m.field("Precedence")) {
    std::string p = lower(main_value(*v));
    if (p == "bulk" || p == "list" || p == "junk") {
      return verdict(Automatic::mailing_list, "Precedence: " + p);
    }
  }
  return std::nullopt;
}

std::optional<AutomaticVerdict> no_reply(const Message& m, const LoopSettings& s) {
  const Address* to = nullptr;
  const char* which = "Reply-To";
  for (const Address& a : m.reply_to) {
    if (!a.address.empty()) {
      to = &a;
      break;
    }
  }
  if (to == nullptr && m.from && !m.from->address.empty()) {
    to = &*m.from;
    which = "From";
  }
  if (to == nullptr) return std::nullopt;
  std::string lp = local_part(to->address);
  for (const std::string& pattern : s.no_reply_patterns) {
    if (!pattern.empty() && lp.find(lower(pattern)) != std::string::npos) {
      return verdict(Automatic::no_reply,
                     std::string("no-reply ") + which + " address " + shown(to->address));
    }
  }
  return std::nullopt;
}

}  // namespace

AutomaticVerdict classify_automatic(const Message& message, const LoopSettings& settings) {
  if (auto v = own_mail(message, settings)) return *v;
  if (auto v = bounce(message)) return *v;
  if (auto v = auto_reply(message)) return *v;
  if (auto v = mailing_list(message)) return *v;
  if (auto v = no_reply(message, settings)) return *v;
  return {};
}

bool suppresses_auto_response(const Message& m) {
  if (const std::string* v = m.field("X-Auto-Response-Suppress")) {
    for (const char* word : {"all", "oof", "autoreply"}) {
      if (contains_word(*v, word)) return true;
    }
  }
  return false;
}

const char* to_string(Automatic kind) {
  switch (kind) {
    case Automatic::none:
      return "none";
    case Automatic::auto_reply:
      return "auto_reply";
    case Automatic::bounce:
      return "bounce";
    case Automatic::mailing_list:
      return "mailing_list";
    case Automatic::no_reply:
      return "no_reply";
    case Automatic::own_mail:
      return "own_mail";
  }
  return "none";
}

}  // namespace mailgate::mail
