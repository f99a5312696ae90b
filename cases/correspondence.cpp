#include "cases/correspondence.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "cases/channel_requests.hpp"
#include "mail/message_id.hpp"
#include "mail/parse.hpp"

namespace mailgate::cases {
namespace {

std::string lower_ascii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void add_once(std::vector<std::string>& list, const std::string& s) {
  if (std::find(list.begin(), list.end(), s) == list.end()) list.push_back(s);
}

// The address a client wants answers at: the first usable Reply-To, else From.
std::string primary_address(const mail::Message& m) {
  for (const auto& r : m.reply_to) {
    std::string a = lower_ascii(r.address);
    if (plausible_address(a)) return a;
  }
  if (m.from) {
    std::string a = lower_ascii(m.from->address);
    if (plausible_address(a)) return a;
  }
  return "";
}

std::vector<std::string> reasons_of(const std::string& explanation_json) {
  std::vector<std::string> out;
  auto j = nlohmann::json::parse(explanation_json, nullptr, false);
  if (!j.is_object() || !j.contains("fired") || !j["fired"].is_array()) return out;
  for (const auto& f : j["fired"]) {
    std::string why = f.value("why", "");
    std::string effect = f.value("effect", "");
    if (why.empty() && effect.empty()) continue;
    out.push_back(effect.empty() ? why : why.empty() ? effect : why + " — " + effect);
  }
  return out;
}

}  // namespace

Correspondence::Correspondence(storage::Store& store, const Settings& settings,
                               const templates::TemplateSet& templates)
    : store_(store),
      settings_(settings),
      outbound_(settings, templates),
      tags_(settings.regno_pattern),
      request_phrases_(default_request_phrases()) {
  loop_.own_domains = {settings.office.message_id_domain};
}

void Correspondence::plan_command(storage::Incoming& in, const Officer& officer,
                                  const storage::CaseRef& c, Plan& plan) {
  const mail::Message& m = *in.parsed;
  plan.command = true;
  plan.joined = c;
  in.join_case = c.id;
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
    in.event_detail = detail.dump();
    return;
  }
  ActionRequest request;
  request.command = std::get<OfficerCommand>(parsed);
  request.officer = &officer;
  request.via = "mail";
  request.command_message_id = m.message_id;
  // The officer's attachments go to the client with the text.
  auto bytes = mail::attachment_bytes(in.raw, settings_.limits);
  for (std::size_t i = 0; i < m.attachments.size() && i < bytes.size(); ++i) {
    if (m.attachments[i].nested) continue;
    request.attachments.push_back(
        {m.attachments[i].filename, m.attachments[i].content_type, std::move(bytes[i])});
  }
  if (request.command.action == Action::forward) {
    state.first_message_raw = store_.first_message_raw(c.id);
  }
  ActionPlan action = plan_action(settings_, outbound_, state, request);
  plan.ready = std::move(action.mail);
  if (action.accepted) {
    in.update = std::move(action.update);
    spdlog::info("{}: {} by {} carried out", c.regno, action_id(request.command.action),
                 officer.id);
  } else {
    detail["rejected"] = action.problem;
    spdlog::info("{}: {} by {} not carried out: {}", c.regno, action_id(request.command.action),
                 officer.id, action.problem);
  }
  detail["action"] = std::string(action_id(request.command.action));
  in.event_detail = detail.dump();
}

void Correspondence::prepare(std::vector<storage::Incoming>& batch) {
  plans_.clear();
  // What the batch refers to, looked up at once.
  std::vector<std::string> regnos;
  std::vector<std::string> our_ids;
  std::vector<std::string> senders;
  for (const auto& in : batch) {
    if (!in.parsed) continue;
    for (const auto& t : tags_.find(in.parsed->subject)) add_once(regnos, t);
    for (const auto& id : referenced_ids(*in.parsed)) {
      if (mail::is_our_message_id(id, settings_.office.message_id_domain)) add_once(our_ids, id);
    }
    std::string p = primary_address(*in.parsed);
    if (!p.empty()) add_once(senders, p);
  }
  auto by_regno = store_.cases_by_regno(regnos);
  auto by_id = store_.cases_by_our_message_id(our_ids);
  auto directory = store_.clients(senders);
  auto acks = store_.acknowledgements_since(
      senders, std::chrono::system_clock::now() - std::chrono::hours(24));
  std::set<std::string> suppressed;
  {
    std::vector<std::string> all = senders;
    for (const auto& [email, row] : directory) {
      for (const auto& a : row.additional_channels) add_once(all, a);
    }
    suppressed = store_.suppressed(all);
  }

  for (auto& in : batch) {
    if (!in.parsed) continue;
    const mail::Message& m = *in.parsed;
    Plan plan;
    auto verdict = mail::classify_automatic(m, loop_);
    if (verdict.kind != mail::Automatic::none) {
      in.automatic = mail::to_string(verdict.kind);
      in.flags.push_back(in.automatic);
    }
    std::string from = m.from ? lower_ascii(m.from->address) : "";
    std::string primary = primary_address(m);
    ChannelRequests requests = find_channel_requests(m.text, request_phrases_);
    std::erase_if(requests.add,
                  [&](const std::string& a) { return a == lower_ascii(settings_.office.address); });

    // A follow-up? Our Message-ID referred to first (it names the exact case), then tags.
    std::optional<storage::CaseRef> candidate;
    for (const auto& id : referenced_ids(m)) {
      if (auto it = by_id.find(id); it != by_id.end()) {
        candidate = it->second;
        break;
      }
    }
    if (!candidate) {
      for (const auto& t : tags_.find(m.subject)) {
        if (auto it = by_regno.find(t); it != by_regno.end()) {
          candidate = it->second;
          break;
        }
      }
    }
    const Officer* officer = nullptr;
    for (const auto& o : settings_.officers) {
      if (!from.empty() && lower_ascii(o.email) == from) officer = &o;
    }
    if (candidate && officer != nullptr && verdict.kind == mail::Automatic::none) {
      auto vouched = mail::vouch_for_sender(m, from, settings_.officer_auth);
      if (vouched.vouched) {
        plan_command(in, *officer, *candidate, plan);
        plans_[in.uid] = std::move(plan);
        continue;
      }
      // Looks like a command, is not vouched for: an ordinary letter, flagged, and nobody
      // is answered (the From may be forged).
      spdlog::warn(
          "{}: mail from officer address {} not vouched for ({}); registered as an "
          "ordinary letter, flagged suspected_spoofing",
          candidate->regno, from, vouched.reason);
      in.flags.push_back("suspected_spoofing");
      in.event_detail =
          nlohmann::json{{"suspected_spoofing", vouched.reason}, {"claimed_case", candidate->regno}}
              .dump();
      candidate.reset();
    }
    if (candidate) {
      const auto& ch = candidate->channels;
      bool own = (!from.empty() && (from == candidate->client_address ||
                                    std::find(ch.begin(), ch.end(), from) != ch.end())) ||
                 (!primary.empty() && std::find(ch.begin(), ch.end(), primary) != ch.end());
      if (own && verdict.kind == mail::Automatic::none) {
        in.join_case = candidate->id;
        for (const auto& a : requests.add) {
          if (std::find(ch.begin(), ch.end(), a) == ch.end()) {
            in.channels.push_back({a, "additional", "reply"});
          }
        }
        in.removed_channels = requests.remove;
        if (candidate->status == "waiting_client") {
          // The clarification came: the case is the officer's again.
          storage::CaseUpdate back;
          back.status = "registered";
          back.event_kind = "clarification_received";
          in.update = back;
        }
        plan.joined = candidate;
        if (const Officer* o =
                responsible_officer(settings_, candidate->officer, candidate->unit)) {
          plan.alerts.push_back({"officer", o->email, o->name});
        }
        plans_[in.uid] = std::move(plan);
        continue;
      }
      if (!own) {
        // zammad#5064: a quoted tag is not a key to somebody else's case.
        in.flags.push_back("linked:" + candidate->regno);
        in.event_detail = nlohmann::json{{"linked_case", candidate->regno}}.dump();
      }
    }

    // A new case: its channels.
    if (!primary.empty()) {
      in.channels.push_back({primary, "primary", "message"});
      add_once(plan.client_channels, primary);
    }
    auto extra = [&](const std::string& a, const char* source) {
      if (a == primary ||
          std::find(requests.remove.begin(), requests.remove.end(), a) != requests.remove.end()) {
        return;
      }
      if (std::any_of(in.channels.begin(), in.channels.end(),
                      [&](const storage::ChannelRow& c) { return c.address == a; })) {
        return;
      }
      in.channels.push_back({a, "additional", source});
      add_once(plan.client_channels, a);
    };
    for (const auto& a : requests.add) extra(a, "request");
    if (auto it = directory.find(primary); it != directory.end()) {
      for (const auto& a : it->second.additional_channels) extra(lower_ascii(a), "directory");
    }
    std::erase_if(plan.client_channels,
                  [&](const std::string& a) { return suppressed.count(a) != 0; });

    // Acknowledge? Never automatic mail; at most N a day to one sender.
    bool spoofed =
        std::find(in.flags.begin(), in.flags.end(), "suspected_spoofing") != in.flags.end();
    if (verdict.kind != mail::Automatic::none || spoofed) {
      plan.acknowledge = false;
    } else if (primary.empty()) {
      in.flags.push_back("no_address");
    } else if (suppressed.count(primary) != 0) {
      in.flags.push_back("ack_suppressed");
    } else if (acks[primary] >= settings_.acks_per_sender_per_day) {
      in.flags.push_back("ack_rate_limited");
    } else {
      plan.acknowledge = !plan.client_channels.empty();
      ++acks[primary];
    }

    // Staff alerts: not for automatic mail (it is flagged and listed, not pushed at people).
    if (verdict.kind == mail::Automatic::none) {
      const storage::CaseDecision* d = in.decision ? &*in.decision : nullptr;
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
    plans_[in.uid] = std::move(plan);
  }
}

CaseFacts Correspondence::facts(const storage::Incoming& in, const storage::Registration& reg,
                                const Plan& plan) const {
  CaseFacts f;
  f.regno = reg.regno;
  f.registered_at = reg.registered_at;
  const mail::Message& m = *in.parsed;
  f.subject = m.subject;
  f.text = m.text;
  if (m.from) {
    f.client_name = m.from->name;
    f.client_address = lower_ascii(m.from->address);
  }
  f.client_message_id = mail::is_valid_msg_id(m.message_id) ? m.message_id : "";
  f.client_references = m.references;
  f.channels = plan.client_channels;
  if (in.decision) {
    f.deadline = in.decision->deadline;
    f.term = in.decision->term;
    f.urgency = in.decision->urgency;
    f.reasons = reasons_of(in.decision->explanation_json);
    f.kb_links = in.decision->kb_links;
  }
  return f;
}

std::vector<storage::OutboxItem> Correspondence::compose(const storage::Incoming& in,
                                                         const storage::Registration& reg) const {
  std::vector<storage::OutboxItem> out;
  auto it = plans_.find(in.uid);
  if (it == plans_.end() || !in.parsed) return out;
  const Plan& plan = it->second;
  if (plan.command) return plan.ready;
  try {
    CaseFacts f = facts(in, reg, plan);
    if (plan.joined) {
      f.subject = plan.joined->subject;
      for (const auto& a : plan.alerts) {
        out.push_back(outbound_.to_staff("follow_up_alert", f, a,
                                         {{"officer", {{"name", a.name}, {"email", a.address}}}}));
      }
      return out;
    }
    if (plan.acknowledge) {
      nlohmann::json kb = nlohmann::json::array();
      for (const auto& link : f.kb_links) kb.push_back({{"title", "Справка"}, {"url", link}});
      auto acks = outbound_.to_client("acknowledgement", f,
                                      {{"kb_links", kb}, {"has_kb_links", !kb.empty()}});
      out.insert(out.end(), acks.begin(), acks.end());
    }
    std::string officer_name;
    for (const auto& a : plan.alerts) {
      if (a.channel == "officer" && officer_name.empty()) officer_name = a.name;
    }
    for (const auto& a : plan.alerts) {
      std::string kind = a.channel == "head" ? "head_alert" : "officer_alert";
      out.push_back(outbound_.to_staff(
          kind, f, a,
          {{"officer",
            {{"name", a.channel == "head" ? officer_name : a.name}, {"email", a.address}}},
           {"head", {{"name", a.channel == "head" ? a.name : ""}}}}));
    }
  } catch (const std::exception& e) {
    spdlog::error("{}: cannot compose its mail ({}); it is registered, nothing is sent", reg.regno,
                  e.what());
    out.clear();
  }
  return out;
}

}  // namespace mailgate::cases
