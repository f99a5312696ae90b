#include "cases/correspondence_plan.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "cases/case_actions.hpp"
#include "cases/channel_confirmation.hpp"
#include "cases/command_guard.hpp"
#include "mail/message_id.hpp"
#include "mail/parse.hpp"
#include "mail/sender_auth.hpp"
#include "mail/syntax.hpp"

namespace mailgate::cases {
namespace {

using mail::lower_ascii;

// A case event's detail. Text from a letter may be invalid UTF-8, and nlohmann's default
// dump throws on it, which once cost a whole batch its plans (issue 12, item 1).
std::string dump_detail(const nlohmann::json& detail) {
  return detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

template <typename List, typename T>
bool contains(const List& list, const T& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

void add_once(std::vector<std::string>& list, const std::string& s) {
  if (!contains(list, s)) list.push_back(s);
}

// The address a client wants answers at: the From. A Reply-To is anyone's to write, so it is
// only a channel request (issue 12, item 4): nothing automatic goes there unconfirmed.
std::string primary_address(const mail::Message& m) {
  if (m.from) {
    std::string a = lower_ascii(m.from->address);
    if (plausible_address(a)) return a;
  }
  return "";
}

// Whether the letter comes from one of the case's own channels.
bool from_own_channel(const storage::CaseRef& c, const std::string& from,
                      const std::string& primary) {
  const auto& ch = c.channels;
  return (!from.empty() && (from == c.client_address || contains(ch, from))) ||
         (!primary.empty() && contains(ch, primary));
}

// Mail from an officer's address about a case that is not vouched for: an ordinary letter,
// flagged, and nobody is answered (the From may be forged).
void flag_spoofing(const std::string& from, const storage::CaseRef& claimed,
                   const std::string& reason, LetterPlan& plan) {
  spdlog::warn(
      "{}: mail from officer address {} not vouched for ({}); registered as an "
      "ordinary letter, flagged suspected_spoofing",
      claimed.regno, from, reason);
  plan.flags.push_back("suspected_spoofing");
  nlohmann::json detail = {{"suspected_spoofing", reason}, {"claimed_case", claimed.regno}};
  plan.event_detail = dump_detail(detail);
}

std::string replay_note(const std::string& regno) {
  return "Эта команда по делу " + regno +
         " уже выполнена раньше: пришло письмо с тем же идентификатором или с тем же текстом. "
         "Повторно она не выполняется, клиенту ничего не отправлено. Если вы хотели отправить "
         "команду ещё раз, измените её текст.";
}

std::string changed_note(const std::string& regno) {
  return "Команда не выполнена: пока она шла, дело " + regno +
         " изменилось (его закрыли или по нему уже выполнили эту команду). Клиенту ничего не "
         "отправлено. Посмотрите дело и, если нужно, отправьте команду снова.";
}

// A case's tag (or our Message-ID) from someone not on its channels opens a new case that
// notes the link. zammad#5064: a quoted tag is not a key to somebody else's case.
void flag_linked(const storage::CaseRef& c, LetterPlan& plan) {
  plan.flags.push_back("linked:" + c.regno);
  plan.event_detail = dump_detail(nlohmann::json{{"linked_case", c.regno}});
}

}  // namespace

void mark(storage::Incoming& in, const LetterPlan& plan) {
  if (!plan.automatic.empty()) in.automatic = plan.automatic;
  in.flags.insert(in.flags.end(), plan.flags.begin(), plan.flags.end());
  in.channels.insert(in.channels.end(), plan.channels.begin(), plan.channels.end());
  if (!plan.removed_channels.empty()) in.removed_channels = plan.removed_channels;
  if (plan.event_detail) in.event_detail = *plan.event_detail;
  if (plan.join_case) in.join_case = plan.join_case;
  if (plan.update) in.update = plan.update;
  in.pending_channels = plan.pending_channels;
  in.confirmed_channels = plan.confirmed_channels;
  in.cancelled_channels = plan.cancelled_channels;
}

LetterPlanner::LetterPlanner(const Settings& settings, const Outbound& outbound)
    : settings_(settings),
      outbound_(outbound),
      tags_(settings.regno_pattern),
      request_phrases_(default_request_phrases()) {
  loop_.own_domains = {settings.office.message_id_domain};
}

BatchKeys LetterPlanner::keys(const std::vector<storage::Incoming>& batch) const {
  BatchKeys k;
  for (const auto& in : batch) {
    if (!in.parsed) continue;
    for (const auto& t : tags_.find(in.parsed->subject)) add_once(k.regnos, t);
    for (const auto& id : referenced_ids(*in.parsed)) {
      if (mail::is_our_message_id(id, settings_.office.message_id_domain)) add_once(k.our_ids, id);
    }
    std::string p = primary_address(*in.parsed);
    if (!p.empty()) add_once(k.senders, p);
  }
  return k;
}

LetterPlan LetterPlanner::plan(const storage::Incoming& in, BatchFacts& facts) const {
  LetterPlan plan;
  Letter letter = read(in);
  const mail::Message& m = *in.parsed;
  if (letter.automatic != mail::Automatic::none) {
    plan.automatic = mail::to_string(letter.automatic);
    plan.flags.push_back(plan.automatic);
  }
  std::optional<storage::CaseRef> candidate = referred_case(m, facts);
  const Officer* officer = officer_at(letter.from);
  if (candidate && officer != nullptr && letter.automatic == mail::Automatic::none) {
    auto vouched = mail::vouch_for_sender(m, letter.from, settings_.officer_auth);
    if (vouched.vouched) {
      // Issue 12 item 7: the organisation's servers vouching is not enough on its own.
      FactorVerdict second = second_factor(m, *officer, *candidate, settings_);
      vouched = {second.ok, second.reason};
    }
    if (vouched.vouched) {
      plan_command(letter, *officer, *candidate, facts, plan);
      // Item 5: the next letter of the batch sees the case as this command leaves it.
      if (plan.update) note_command(facts, candidate->id, *plan.update);
      return plan;
    }
    flag_spoofing(letter.from, *candidate, vouched.reason, plan);
    candidate.reset();
  }
  if (candidate) {
    if (!from_own_channel(*candidate, letter.from, letter.primary)) {
      flag_linked(*candidate, plan);
    } else if (letter.automatic == mail::Automatic::none) {
      plan_follow_up(letter, *candidate, facts, plan);
      return plan;
    }
  }
  plan_new_case(letter, facts, plan);
  return plan;
}

LetterPlanner::Letter LetterPlanner::read(const storage::Incoming& in) const {
  const mail::Message& m = *in.parsed;
  Letter letter;
  letter.in = &in;
  letter.automatic = mail::classify_automatic(m, loop_).kind;
  letter.from = m.from ? lower_ascii(m.from->address) : "";
  letter.primary = primary_address(m);
  letter.requests = find_channel_requests(m.text, request_phrases_);
  for (const auto& r : m.reply_to) {
    std::string a = lower_ascii(r.address);
    if (plausible_address(a) && a != letter.from && !contains(letter.requests.add, a)) {
      letter.requests.add.insert(letter.requests.add.begin(), a);
    }
  }
  letter.suppress_ack = mail::suppresses_auto_response(m);
  std::erase_if(letter.requests.add,
                [&](const std::string& a) { return a == lower_ascii(settings_.office.address); });
  letter.authenticated = !letter.requests.add.empty() && !letter.from.empty() &&
                         mail::vouch_for_sender(m, letter.from, settings_.officer_auth).vouched;
  return letter;
}

// A follow-up? Our Message-ID referred to first (it names the exact case), then tags.
std::optional<storage::CaseRef> LetterPlanner::referred_case(const mail::Message& m,
                                                             const BatchFacts& facts) const {
  for (const auto& id : referenced_ids(m)) {
    if (auto it = facts.cases_by_message_id.find(id); it != facts.cases_by_message_id.end()) {
      return it->second;
    }
  }
  for (const auto& t : tags_.find(m.subject)) {
    if (auto it = facts.cases_by_regno.find(t); it != facts.cases_by_regno.end()) {
      return it->second;
    }
  }
  return std::nullopt;
}

const Officer* LetterPlanner::officer_at(const std::string& address) const {
  const Officer* officer = nullptr;
  for (const auto& o : settings_.officers) {
    if (!address.empty() && lower_ascii(o.email) == address) officer = &o;
  }
  return officer;
}

void LetterPlanner::plan_command(const Letter& letter, const Officer& officer,
                                 const storage::CaseRef& c, const BatchFacts& facts,
                                 LetterPlan& plan) const {
  const mail::Message& m = *letter.in->parsed;
  plan.command = true;
  plan.joined = c;
  plan.join_case = c.id;
  CaseState state;
  state.ref = c;
  state.facts = facts_of(c);
  state.extended_days = c.extended_days;
  auto parsed = parse_officer_command(m.text);
  nlohmann::json detail = {{"officer", officer.id}, {"command", true}};
  if (auto* error = std::get_if<CommandError>(&parsed)) {
    spdlog::info("{}: {} sent a command that was not understood", c.regno, officer.id);
    plan.ready = {command_error_mail(outbound_, state.facts, officer, error->message)};
    detail["rejected"] = error->message;
    plan.event_detail = dump_detail(detail);
    return;
  }
  std::string digest = command_digest(c.regno, std::get<OfficerCommand>(parsed));
  if (already_executed(facts, m.message_id, digest)) {
    // Item 6: a replay (or a resend) of a command carried out already does nothing again.
    spdlog::warn("{}: command from {} carried out before (same Message-ID or text); not again",
                 c.regno, officer.id);
    plan.flags.push_back("replayed_command");
    plan.ready = {command_error_mail(outbound_, state.facts, officer, replay_note(c.regno))};
    detail["rejected"] = "replayed command";
    plan.event_detail = dump_detail(detail);
    return;
  }
  ActionRequest request;
  request.command = std::get<OfficerCommand>(parsed);
  request.officer = &officer;
  request.via = "mail";
  request.command_message_id = m.message_id;
  // The officer's attachments go to the client with the text.
  auto bytes = mail::attachment_bytes(letter.in->raw, settings_.limits);
  for (std::size_t i = 0; i < m.attachments.size() && i < bytes.size(); ++i) {
    if (m.attachments[i].nested) continue;
    request.attachments.push_back(
        {m.attachments[i].filename, m.attachments[i].content_type, std::move(bytes[i])});
  }
  if (request.command.action == Action::forward && facts.first_message_raw) {
    state.first_message_raw = facts.first_message_raw(c.id);
  }
  ActionPlan action = plan_action(settings_, outbound_, state, request);
  plan.ready = std::move(action.mail);
  if (action.accepted) {
    plan.update = std::move(action.update);
    plan.update->expected_status = c.status;
    plan.update->command_message_id = m.message_id;
    plan.update->command_digest = digest;
    plan.if_refused = {command_error_mail(outbound_, state.facts, officer, changed_note(c.regno))};
    spdlog::info("{}: {} by {} carried out", c.regno, action_id(request.command.action),
                 officer.id);
  } else {
    detail["rejected"] = action.problem;
    spdlog::info("{}: {} by {} not carried out: {}", c.regno, action_id(request.command.action),
                 officer.id, action.problem);
  }
  detail["action"] = std::string(action_id(request.command.action));
  plan.event_detail = dump_detail(detail);
}

void LetterPlanner::plan_follow_up(const Letter& letter, const storage::CaseRef& c,
                                   BatchFacts& facts, LetterPlan& plan) const {
  plan.join_case = c.id;
  plan_follow_up_channels(settings_, channel_letter(letter), c, facts, plan);
  budget_channel_mail(settings_, facts, plan);
  if (c.status == "waiting_client") {
    // The clarification came: the case is the officer's again.
    storage::CaseUpdate back;
    back.status = "registered";
    back.event_kind = "clarification_received";
    plan.update = back;
  }
  plan.joined = c;
  if (const Officer* o = responsible_officer(settings_, c.officer, c.unit)) {
    plan.alerts.push_back({"officer", o->email, o->name});
  }
}

void LetterPlanner::plan_new_case(const Letter& letter, BatchFacts& facts, LetterPlan& plan) const {
  add_channels(letter, facts, plan);
  decide_acknowledgement(letter, facts, plan);
  budget_channel_mail(settings_, facts, plan);
  // Staff alerts: not for automatic mail (it is flagged and listed, not pushed at people).
  // They never depend on the client's address being usable (issue 12, item 2).
  if (letter.automatic == mail::Automatic::none && alert_allowed(letter, facts, plan)) {
    add_staff_alerts(letter, plan);
  }
}

// Item 11: staff alerts have their own per-sender cap, apart from acknowledgements.
bool LetterPlanner::alert_allowed(const Letter& letter, BatchFacts& facts, LetterPlan& plan) const {
  const std::string& sender = letter.from.empty() ? letter.primary : letter.from;
  if (facts.alerts[sender] >= settings_.alerts_per_sender_per_hour) {
    plan.flags.push_back("alert_rate_limited");
    return false;
  }
  ++facts.alerts[sender];
  return true;
}

// The primary channel, the directory's channels, and the letter's requests waiting for the
// client's confirmation (cases/channel_confirmation.hpp); client mail goes to the confirmed
// ones not under suppression.
void LetterPlanner::add_channels(const Letter& letter, const BatchFacts& facts,
                                 LetterPlan& plan) const {
  plan.refused_channels = letter.requests.refused;
  plan_new_case_channels(settings_, channel_letter(letter), letter.primary, facts, plan);
}

ChannelLetter LetterPlanner::channel_letter(const Letter& letter) {
  const mail::Message& m = *letter.in->parsed;
  return {letter.from, letter.requests.add, letter.requests.remove, m.subject + "\n" + m.text,
          letter.authenticated};
}

// Acknowledge? Never automatic mail; at most N a day to one sender.
void LetterPlanner::decide_acknowledgement(const Letter& letter, BatchFacts& facts,
                                           LetterPlan& plan) const {
  const std::string& primary = letter.primary;
  bool spoofed = contains(plan.flags, std::string("suspected_spoofing"));
  const std::string own = lower_ascii(settings_.office.address);
  if (letter.automatic != mail::Automatic::none || spoofed) {
    plan.acknowledge = false;
  } else if (!own.empty() && (letter.from == own || primary == own)) {
    // Item 12: the office never acknowledges its own address (the mail would come back).
    plan.flags.push_back("from_office");
    std::erase(plan.client_channels, own);
  } else if (letter.suppress_ack) {
    plan.flags.push_back("ack_suppressed_by_sender");
  } else if (primary.empty()) {
    plan.flags.push_back("no_address");
  } else if (facts.suppressed.count(primary) != 0) {
    plan.flags.push_back("ack_suppressed");
  } else if (facts.acknowledgements[primary] >= settings_.acks_per_sender_per_day) {
    plan.flags.push_back("ack_rate_limited");
  } else {
    // Every automatic mail counts against the hourly caps (issue 12, item 4).
    std::erase_if(plan.client_channels, [&](const std::string& a) {
      return !take_automatic_mail(facts, settings_.channel_limits, a);
    });
    if (plan.client_channels.empty()) plan.flags.push_back("auto_rate_limited");
    plan.acknowledge = !plan.client_channels.empty();
    ++facts.acknowledgements[primary];
  }
}

// The responsible officer, then whoever the rules ask to notify, each once.
void LetterPlanner::add_staff_alerts(const Letter& letter, LetterPlan& plan) const {
  const auto& decision = letter.in->decision;
  const storage::CaseDecision* d = decision ? &*decision : nullptr;
  const Officer* o = responsible_officer(settings_, d ? d->officer : "", d ? d->unit : "");
  std::set<std::string> alerted;
  if (o != nullptr) {
    plan.alerts.push_back({"officer", o->email, o->name});
    alerted.insert(o->email);
  }
  for (const auto& n : d ? d->notify : std::vector<std::string>{}) {
    if (n == "unit_head") {
      const Unit* u = find_unit(settings_, d->unit.empty() && o ? o->unit : d->unit);
      if (u != nullptr && !u->head_email.empty() && alerted.insert(u->head_email).second) {
        plan.alerts.push_back({"head", u->head_email, ""});
      }
    } else if (n != "officer") {
      for (const auto& other : settings_.officers) {
        if (other.id == n && alerted.insert(other.email).second) {
          plan.alerts.push_back({"officer", other.email, other.name});
        }
      }
    }
  }
}

}  // namespace mailgate::cases
