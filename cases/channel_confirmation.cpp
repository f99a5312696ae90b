#include "cases/channel_confirmation.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

#include "mail/random.hpp"
#include "mail/syntax.hpp"

namespace mailgate::cases {
namespace {

constexpr std::size_t kCodeDigits = 8;

template <typename List, typename T>
bool contains(const List& list, const T& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool in_plan(const LetterPlan& plan, const std::string& a) {
  return std::any_of(plan.channels.begin(), plan.channels.end(),
                     [&](const storage::ChannelRow& c) { return c.address == a; }) ||
         std::any_of(plan.pending_channels.begin(), plan.pending_channels.end(),
                     [&](const storage::PendingChannel& p) { return p.address == a; });
}

bool is_pending(const std::vector<storage::PendingChannel>& pending, const std::string& a) {
  return std::any_of(pending.begin(), pending.end(),
                     [&](const storage::PendingChannel& p) { return p.address == a; });
}

// A new address the letter asks for: at once with a trusted pass, else waiting for the
// client's confirmation, which goes to the primary channel only.
void request_channel(const ChannelLetter& letter, const std::string& address,
                     const std::string& primary, LetterPlan& plan) {
  if (letter.authenticated) {
    plan.channels.push_back({address, "additional", "request"});
    return;
  }
  std::string code = new_confirmation_code();
  plan.pending_channels.push_back({address, code});
  if (!primary.empty()) {
    plan.channel_mail.push_back({"channel_confirmation", primary, "requested", address, code});
  }
}

}  // namespace

std::string mask_address(std::string_view address) {
  std::size_t at = address.rfind('@');
  if (at == std::string_view::npos) return "***";
  std::string_view local = address.substr(0, at);
  std::size_t keep = local.size() > 4 ? 2 : local.size() > 1 ? 1 : 0;
  // Only whole ASCII characters are kept: a cut inside a UTF-8 character is not text.
  for (std::size_t i = 0; i < keep; ++i) {
    if (static_cast<unsigned char>(local[i]) >= 0x80) keep = i;
  }
  return std::string(local.substr(0, keep)) + "***" + std::string(address.substr(at));
}

std::string new_confirmation_code() {
  std::string hex = mail::random_hex(8);
  std::uint64_t n = std::stoull(hex, nullptr, 16) % 100000000ULL;
  std::string digits = std::to_string(n);
  return std::string(kCodeDigits - digits.size(), '0') + digits;
}

const storage::PendingChannel* confirmed_request(
    std::string_view text, const std::vector<storage::PendingChannel>& pending) {
  for (std::size_t i = 0; i < text.size();) {
    if (!is_digit(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_digit(text[end])) ++end;
    std::string_view number = text.substr(i, end - i);
    for (const auto& p : pending) {
      if (!p.code.empty() && number == p.code) return &p;
    }
    i = end;
  }
  return nullptr;
}

const std::vector<std::string>& automatic_mail_kinds() {
  static const std::vector<std::string> kinds = {"acknowledgement", "channel_confirmation",
                                                 "channel_notice"};
  return kinds;
}

bool take_automatic_mail(BatchFacts& facts, const ChannelLimits& limits, const std::string& to) {
  int& mine = facts.auto_mail.by_recipient[to];
  if (mine >= limits.auto_per_recipient_per_hour || facts.auto_mail.total >= limits.auto_per_hour) {
    return false;
  }
  ++mine;
  ++facts.auto_mail.total;
  return true;
}

void plan_new_case_channels(const Settings& settings, const ChannelLetter& letter,
                            const std::string& primary, const BatchFacts& facts, LetterPlan& plan) {
  if (!primary.empty()) {
    plan.channels.push_back({primary, "primary", "message"});
    plan.client_channels.push_back(primary);
  }
  auto skip = [&](const std::string& a) {
    return a == primary || contains(letter.remove, a) || in_plan(plan, a);
  };
  // The directory is kept by the administrators: its channels are confirmed.
  if (auto it = facts.directory.find(primary); it != facts.directory.end()) {
    for (const auto& raw : it->second.additional_channels) {
      std::string a = mail::lower_ascii(raw);
      if (skip(a)) continue;
      plan.channels.push_back({a, "additional", "directory"});
      plan.client_channels.push_back(a);
    }
  }
  int used = static_cast<int>(plan.channels.size()) - (primary.empty() ? 0 : 1);
  bool refused = false;
  for (const auto& a : letter.add) {
    if (skip(a)) continue;
    if (used >= settings.channel_limits.max_additional) {
      refused = true;
      continue;
    }
    ++used;
    request_channel(letter, a, primary, plan);
    if (letter.authenticated) plan.client_channels.push_back(a);
  }
  std::erase_if(plan.client_channels,
                [&](const std::string& a) { return facts.suppressed.count(a) != 0; });
  if (refused) {
    for (const auto& to : plan.client_channels) {
      plan.channel_mail.push_back({"channel_notice", to, "refused", "", ""});
    }
  }
}

void plan_follow_up_channels(const Settings& settings, const ChannelLetter& letter,
                             const storage::CaseRef& c, const BatchFacts& facts, LetterPlan& plan) {
  const std::vector<std::string>& existing = c.channels;
  const std::string primary = existing.empty() ? c.client_address : existing.front();
  std::vector<storage::PendingChannel> pending;
  if (auto it = facts.pending.find(c.id); it != facts.pending.end()) pending = it->second;
  auto notify = [&](const char* change, const std::string& address) {
    for (const auto& to : existing) {
      plan.channel_mail.push_back({"channel_notice", to, change, address, ""});
    }
  };
  // A confirmation counts only from a channel the case already has.
  if (contains(existing, letter.from) || letter.from == c.client_address) {
    if (const auto* p = confirmed_request(letter.text, pending)) {
      std::string a = p->address;
      plan.channels.push_back({a, "additional", "confirmed"});
      plan.confirmed_channels.push_back(a);
      notify("confirmed", a);
      std::erase_if(pending, [&](const storage::PendingChannel& q) { return q.address == a; });
    }
  }
  int removed = 0;
  for (const auto& a : letter.remove) {
    if (contains(existing, a) && a != primary) {
      plan.removed_channels.push_back(a);
      notify("removed", a);
      ++removed;
    } else if (is_pending(pending, a)) {
      plan.cancelled_channels.push_back(a);
      std::erase_if(pending, [&](const storage::PendingChannel& q) { return q.address == a; });
    }
  }
  int used = static_cast<int>(existing.size() > 0 ? existing.size() - 1 : 0) - removed +
             static_cast<int>(pending.size() + plan.confirmed_channels.size());
  bool refused = false;
  for (const auto& a : letter.add) {
    if (a == primary || contains(existing, a) || is_pending(pending, a) || in_plan(plan, a) ||
        contains(letter.remove, a)) {
      continue;
    }
    if (used >= settings.channel_limits.max_additional) {
      refused = true;
      continue;
    }
    ++used;
    request_channel(letter, a, primary, plan);
    if (letter.authenticated) notify("added", a);
  }
  if (refused) notify("refused", "");
}

void budget_channel_mail(const Settings& settings, BatchFacts& facts, LetterPlan& plan) {
  if (!plan.automatic.empty() || contains(plan.flags, std::string("suspected_spoofing"))) {
    plan.channel_mail.clear();
    return;
  }
  std::erase_if(plan.channel_mail,
                [&](const ChannelMail& m) { return facts.suppressed.count(m.to) != 0; });
  std::size_t before = plan.channel_mail.size();
  std::erase_if(plan.channel_mail, [&](const ChannelMail& m) {
    return !take_automatic_mail(facts, settings.channel_limits, m.to);
  });
  if (plan.channel_mail.size() < before &&
      !contains(plan.flags, std::string("auto_rate_limited"))) {
    plan.flags.push_back("auto_rate_limited");
  }
}

}  // namespace mailgate::cases
