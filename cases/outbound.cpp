#include "cases/outbound.hpp"

#include <spdlog/spdlog.h>

#include "base/utf8.hpp"
#include "cases/channel_confirmation.hpp"
#include "cases/followup.hpp"
#include "mail/address_rule.hpp"
#include "mail/alert_token.hpp"
#include "mail/compose.hpp"
#include "mail/message_id.hpp"
#include "rules/engine.hpp"
#include "rules/term.hpp"
#include "templates/command_help.hpp"
#include "templates/russian_text.hpp"

namespace mailgate::cases {
namespace {

// Moscow has kept UTC+3 all year since 2014 (see rules/calendar/office_hours.toml).
constexpr std::chrono::minutes kMoscow{180};

std::string term_in_russian(const std::string& canonical) {
  if (canonical.empty()) return "";
  try {
    return rules::term_text(rules::parse_term(canonical));
  } catch (const std::exception&) {
    return canonical;
  }
}

// The first `limit` bytes of text, cut at a character boundary and a word if possible.
std::string excerpt(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  std::size_t space = text.rfind(' ', cut);
  if (space != std::string::npos && space > limit / 2) cut = space;
  return text.substr(0, cut) + " …";
}

std::string one_line(const std::string& s) {
  std::string out;
  for (char c : s) out += (c == '\r' || c == '\n' || c == '\t') ? ' ' : c;
  return out;
}

}  // namespace

std::string long_date_moscow(storage::TimePoint at) {
  auto local = std::chrono::floor<std::chrono::days>(
      std::chrono::time_point_cast<std::chrono::seconds>(at) + kMoscow);
  std::chrono::year_month_day ymd(local);
  return templates::long_date(int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
}

std::string command_help() { return templates::officer_command_help(); }

Outbound::Outbound(const Settings& settings, const templates::TemplateSet& templates)
    : settings_(settings), templates_(templates) {}

nlohmann::json Outbound::context(const CaseFacts& f, const nlohmann::json& extra) const {
  std::string summary = one_line(f.subject);
  if (summary.empty()) summary = one_line(excerpt(f.text, 120));
  nlohmann::json channels = nlohmann::json::array();
  for (const auto& c : f.channels) channels.push_back({{"address", c}});
  nlohmann::json ctx = {
      {"office",
       {{"name", settings_.office.name},
        {"address", settings_.office.reception_address},
        {"hours", settings_.office.reception_hours},
        {"phone", settings_.office.phone},
        {"email", settings_.office.address}}},
      {"case",
       {{"regno", f.regno},
        {"registered_on", long_date_moscow(f.registered_at)},
        {"subject", one_line(f.subject)},
        {"summary", excerpt(summary, 160)},
        {"deadline_on", f.deadline ? long_date_moscow(*f.deadline) : ""},
        {"term", term_in_russian(f.term)},
        {"urgency", f.urgency == "urgent" ? "срочное" : "обычное"}}},
      {"client", {{"name", f.client_name}, {"address", f.client_address}}},
      {"channels", channels},
      {"has_channels", !channels.empty()},
  };
  if (!extra.is_null()) ctx.merge_patch(extra);
  return ctx;
}

storage::OutboxItem Outbound::make(const std::string& kind, const std::string& channel,
                                   const std::string& address, const std::string& name,
                                   const CaseFacts& facts, const nlohmann::json& ctx,
                                   bool to_client,
                                   const std::vector<mail::OutgoingAttachment>& attachments,
                                   bool staff) const {
  templates::RenderedMail r = templates_.render(kind, ctx);
  mail::OutgoingMail m;
  m.from = {settings_.office.name, settings_.office.address};
  m.to = {{name, address}};
  m.reply_to = mail::Address{settings_.office.name, settings_.office.address};
  m.subject = CaseTagFinder::tagged(facts.regno, r.subject);
  m.text = r.text;
  m.html = r.html;
  // Staff mail carries the token a command must answer (issue 12 item 7).
  m.message_id = staff
                     ? mail::make_staff_message_id(facts.regno, settings_.office.message_id_domain,
                                                   settings_.officer_auth.token_key, address)
                     : mail::make_message_id(facts.regno, settings_.office.message_id_domain);
  if (to_client && !facts.client_message_id.empty()) {
    m.in_reply_to = facts.client_message_id;
    m.references = facts.client_references;
    m.references.push_back(facts.client_message_id);
  }
  // RFC 3834: an acknowledgement answers the client's message; the rest we generate.
  m.auto_submitted = kind == "acknowledgement" ? "auto-replied" : "auto-generated";
  m.extra_headers.push_back({"X-Mailgate-Loop", settings_.office.message_id_domain});
  m.extra_headers.push_back({"X-Mailgate-Case", facts.regno});
  // Exchange sends no out-of-office reply to mail carrying this.
  m.extra_headers.push_back({"X-Auto-Response-Suppress", "All"});
  m.date = std::chrono::system_clock::now();
  m.utc_offset = kMoscow;
  m.attachments = attachments;
  storage::OutboxItem item;
  item.kind = kind;
  item.channel = channel;
  item.recipient = address;
  item.envelope_from = settings_.office.address;
  item.message_id = m.message_id;
  item.raw = mail::compose(m);
  return item;
}

std::vector<storage::OutboxItem> Outbound::to_client(
    const std::string& kind, const CaseFacts& facts, const nlohmann::json& extra,
    const std::vector<mail::OutgoingAttachment>& attachments) const {
  std::vector<storage::OutboxItem> out;
  nlohmann::json ctx = context(facts, extra);
  for (std::size_t i = 0; i < facts.channels.size(); ++i) {
    const std::string& address = facts.channels[i];
    // A channel stored before the one address rule (or by hand) may be one compose refuses:
    // it is left out, and the case's other mail still goes (issue 12, item 2).
    if (auto problem = mail::address_problem(address)) {
      spdlog::warn("{}: no {} to {}: the address {}", facts.regno, kind,
                   base::utf8::truncate_valid(address, 100), *problem);
      continue;
    }
    std::string name = address == facts.client_address ? facts.client_name : "";
    // Each mail names its own recipient only; the client's other channels are masked, so
    // no channel learns another's address (issue 12, item 4).
    nlohmann::json own = ctx;
    if (ctx.contains("channels") && ctx["channels"].is_array()) {
      own["channels"] = nlohmann::json::array();
      for (const auto& c : facts.channels) {
        own["channels"].push_back({{"address", c == address ? c : mask_address(c)}});
      }
    }
    out.push_back(make(kind, i == 0 ? "primary" : "additional", address, name, facts, own, true,
                       attachments));
  }
  return out;
}

storage::OutboxItem Outbound::to_other(
    const std::string& kind, const CaseFacts& facts, const std::string& channel,
    const std::string& address, const std::string& name, const nlohmann::json& extra,
    const std::vector<mail::OutgoingAttachment>& attachments) const {
  return make(kind, channel, address, name, facts, context(facts, extra), false, attachments);
}

storage::OutboxItem Outbound::to_staff(const std::string& kind, const CaseFacts& facts,
                                       const StaffRecipient& to,
                                       const nlohmann::json& extra) const {
  nlohmann::json explanation = nlohmann::json::array();
  for (const auto& r : facts.reasons) explanation.push_back({{"why", r}});
  nlohmann::json staff = {{"excerpt", excerpt(facts.text, 1500)},
                          {"command_help", command_help()},
                          {"explanation", explanation},
                          {"has_explanation", !explanation.empty()}};
  if (!extra.is_null()) staff.merge_patch(extra);
  return make(kind, to.channel, to.address, to.name, facts, context(facts, staff), false, {}, true);
}

}  // namespace mailgate::cases
