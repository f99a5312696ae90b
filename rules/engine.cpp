#include "rules/engine.hpp"

#include <algorithm>
#include <cstdio>

#include "rules/match.hpp"

namespace mailgate::rules {

using namespace std::chrono;

namespace {

const char* plural(long n, const char* one, const char* few, const char* many) {
  long m100 = n % 100, m10 = n % 10;
  if (m10 == 1 && m100 != 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}

void add_once(std::vector<std::string>& to, const std::vector<std::string>& items) {
  for (const auto& item : items) {
    if (std::find(to.begin(), to.end(), item) == to.end()) to.push_back(item);
  }
}

std::string local_text(sys_seconds at, minutes offset) {
  sys_seconds local = at + offset;
  sys_days day = floor<days>(local);
  year_month_day d(day);
  auto hm = duration_cast<minutes>(local - day).count();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02u.%02u.%04d %02d:%02d", unsigned(d.day()), unsigned(d.month()),
                int(d.year()), int(hm / 60), int(hm % 60));
  return buf;
}

/// A first-wins setting (topic, unit, officer): who set it, for the note on a later rule.
struct Claimed {
  std::string value;
  std::string by;
};

/// Applies a first-wins action; returns the effect text for the rule's explanation.
std::string claim(std::optional<Claimed>& slot, const std::optional<std::string>& wanted,
                  const std::string& rule, const char* what, const std::string& shown) {
  if (!wanted) return {};
  if (!slot) {
    slot = Claimed{*wanted, rule};
    return std::string(what) + ": " + shown;
  }
  if (slot->value == *wanted) return {};
  return std::string(what) + " " + shown + " не применено: уже задано правилом " + slot->by;
}

struct TermChoice {
  Term term;
  Deadline deadline;
  std::string by;
};

class Evaluation {
 public:
  Evaluation(const RuleSet& rules, const PreparedAppeal& appeal, const Calendar& calendar,
             const EngineSettings& settings)
      : rules_(rules),
        appeal_(appeal),
        calendar_(calendar),
        settings_(settings),
        matcher_(rules, appeal, calendar) {}

  Decision run() {
    if (appeal_.appeal->message == nullptr) d_.warnings.push_back("no message text to evaluate");
    for (const Rule& rule : rules_.rules()) {
      if (rule.when && !matcher_.matches(*rule.when)) continue;
      Fired f{rule.id, rule.description,
              rule.when ? matcher_.explain(*rule.when) : "правило применяется всегда", "",
              rule.source};
      f.effect = apply(rule);
      if (rule.then.stop) {
        f.effect += std::string(f.effect.empty() ? "" : "; ") + "остальные правила не проверялись";
      }
      d_.fired.push_back(std::move(f));
      if (rule.then.stop) break;
    }
    finish();
    return std::move(d_);
  }

 private:
  std::string apply(const Rule& rule) {
    const Actions& a = rule.then;
    std::vector<std::string> effects;
    auto note = [&](std::string e) {
      if (!e.empty()) effects.push_back(std::move(e));
    };
    if (a.urgency == "urgent") {
      if (!urgent_by_) urgent_by_ = rule.id;
      note("срочно");
    } else if (a.urgency == "normal") {
      if (!normal_by_) normal_by_ = rule.id;
      note("не срочно");
    }
    if (a.score != 0) {
      d_.score += a.score;
      note((a.score > 0 ? "+" : "") + std::to_string(a.score) + " " +
           plural(a.score < 0 ? -a.score : a.score, "балл", "балла", "баллов"));
    }
    note(claim(topic_, a.topic, rule.id, "тема", a.topic ? "«" + topic_name(*a.topic) + "»" : ""));
    note(claim(unit_, a.unit, rule.id, "подразделение", a.unit.value_or("")));
    note(claim(officer_, a.officer, rule.id, "исполнитель", a.officer.value_or("")));
    if (a.term) {
      Deadline dl =
          compute_deadline(calendar_, appeal_.appeal->received_at, *a.term, settings_.deadline);
      if (!term_ || dl.at < term_->deadline.at) {
        if (term_) {
          note("срок " + term_text(*a.term) + " короче, чем у правила " + term_->by);
        } else {
          note("срок: " + term_text(*a.term));
        }
        term_ = TermChoice{*a.term, std::move(dl), rule.id};
      } else {
        note("срок " + term_text(*a.term) + " не применён: правило " + term_->by +
             " даёт срок не позже");
      }
    }
    add_once(d_.notify, a.notify);
    add_once(d_.kb_links, a.kb);
    add_once(d_.tags, a.tags);
    if (!a.notify.empty()) note("уведомить: " + join(a.notify));
    if (!a.tags.empty()) note("метки: " + join(a.tags));
    if (effects.empty()) return "ничего не изменило: то же уже задано другими правилами";
    return join(effects, "; ");
  }

  static std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
    return out;
  }

  void finish() {
    bool by_score = d_.score >= settings_.urgent_score;
    bool urgent = urgent_by_ || (!normal_by_ && by_score);
    d_.urgency = urgent ? "urgent" : "normal";
    d_.topic = topic_ ? topic_->value : settings_.default_topic;
    d_.unit = unit_ ? unit_->value : settings_.default_unit;
    d_.officer = officer_ ? officer_->value : "";

    std::string term_why;
    if (!term_) {
      bool short_term = urgent && settings_.urgent_term;
      Term t = short_term ? *settings_.urgent_term : settings_.default_term;
      term_ = TermChoice{
          t, compute_deadline(calendar_, appeal_.appeal->received_at, t, settings_.deadline), ""};
      term_why = short_term ? " (срок для срочных обращений по умолчанию)" : " (срок по умолчанию)";
    } else {
      term_why = " (правило " + term_->by + ")";
    }
    d_.term = to_string(term_->term);
    d_.deadline = term_->deadline.at;
    add_once(d_.warnings, term_->deadline.warnings);

    std::string s;
    std::string score = "баллы: " + std::to_string(d_.score) + " при пороге " +
                        std::to_string(settings_.urgent_score);
    if (urgent_by_) {
      s = "Срочно: правило " + *urgent_by_ + " требует срочного ответа; " + score + ".";
    } else if (normal_by_) {
      s = "Не срочно: правило " + *normal_by_ + " снимает срочность; " + score + ".";
    } else {
      s = std::string(urgent ? "Срочно" : "Не срочно") + ": " + score + ".";
    }
    s += " Тема: «" + topic_name(d_.topic) + "»" +
         (topic_ ? "" : " (ни одно правило темы не задало)") + ".";
    s += " Срок ответа: " + term_text(term_->term) + term_why + ", до " +
         local_text(d_.deadline, calendar_.utc_offset()) + ".";
    if (d_.fired.empty()) s += " Ни одно правило не сработало.";
    d_.summary = std::move(s);
  }

  const RuleSet& rules_;
  const PreparedAppeal& appeal_;
  const Calendar& calendar_;
  const EngineSettings& settings_;
  Matcher matcher_;
  Decision d_;
  std::optional<std::string> urgent_by_, normal_by_;
  std::optional<Claimed> topic_, unit_, officer_;
  std::optional<TermChoice> term_;
};

}  // namespace

Decision evaluate(const RuleSet& rules, const PreparedAppeal& appeal, const Calendar& calendar,
                  const EngineSettings& settings) {
  return Evaluation(rules, appeal, calendar, settings).run();
}

Decision evaluate(const RuleSet& rules, const Appeal& appeal, const Calendar& calendar,
                  const EngineSettings& settings) {
  PreparedAppeal prepared = prepare(appeal);
  return evaluate(rules, prepared, calendar, settings);
}

std::string term_text(const Term& term) {
  long n = term.count;
  std::string count = std::to_string(n) + " ";
  switch (term.unit) {
    case TermUnit::days:
      return count + plural(n, "день", "дня", "дней");
    case TermUnit::working_days:
      return count + plural(n, "рабочий день", "рабочих дня", "рабочих дней");
    case TermUnit::working_hours:
      return count + plural(n, "рабочий час", "рабочих часа", "рабочих часов");
  }
  return count;
}

}  // namespace mailgate::rules
