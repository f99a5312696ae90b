#include "rules/match.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_set>

#include "rules/regex_bank.hpp"
#include "rules/similarity.hpp"

namespace mailgate::rules {

using namespace std::chrono;

namespace {

const mail::Message kNoMessage;

const mail::Message& message_of(const PreparedAppeal& a) {
  return a.appeal->message != nullptr ? *a.appeal->message : kNoMessage;
}

std::string lower(std::string_view s) {
  std::string out = fold_case(s);
  return out;
}

std::string guillemets(std::string_view s) { return "«" + std::string(s) + "»"; }

std::string date_text(year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u.%02u.%04d", unsigned(d.day()), unsigned(d.month()),
                int(d.year()));
  return buf;
}

std::string clock_text(minutes t) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", int(t.count() / 60), int(t.count() % 60));
  return buf;
}

const char* weekday_text(year_month_day d) {
  static const char* names[] = {"вс", "пн", "вт", "ср", "чт", "пт", "сб"};
  return names[weekday(sys_days(d)).c_encoding()];
}

/// Russian plural form for a count: one (1, 21), few (2-4, 22-24), many (5-20, 25...).
const char* plural(long n, const char* one, const char* few, const char* many) {
  long m100 = n % 100, m10 = n % 10;
  if (m10 == 1 && m100 != 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}

/// `*` any run, `?` one character (UTF-8 aware); both strings already case-folded.
bool glob_match(std::string_view pattern, std::string_view name) {
  std::size_t p = 0, n = 0, star = std::string_view::npos, resume = 0;
  auto next = [&](std::size_t i) {  // length of the UTF-8 character at name[i]
    unsigned char c = static_cast<unsigned char>(name[i]);
    std::size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return std::min(len, name.size() - i);
  };
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (p < pattern.size() && pattern[p] == '?') {
      ++p;
      n += next(n);
    } else if (p < pattern.size() && pattern[p] == name[n]) {
      ++p;
      ++n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      resume += next(resume);
      n = resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool type_matches(std::string_view pattern, std::string_view type) {
  if (pattern.size() >= 2 && pattern.substr(pattern.size() - 2) == "/*") {
    return type.substr(0, pattern.size() - 1) == pattern.substr(0, pattern.size() - 1);
  }
  return pattern == type;
}

std::string domain_of(std::string_view address) {
  auto at = address.rfind('@');
  return std::string(at == std::string_view::npos ? std::string_view() : address.substr(at + 1));
}

bool in_domain(std::string_view domain, std::string_view wanted) {
  if (domain == wanted) return true;
  return domain.size() > wanted.size() && domain.substr(domain.size() - wanted.size()) == wanted &&
         domain[domain.size() - wanted.size() - 1] == '.';
}

std::vector<std::string> addressees(const PreparedAppeal& a) {
  std::vector<std::string> out;
  if (!a.appeal->addressee.empty()) out.push_back(lower(a.appeal->addressee));
  const mail::Message& m = message_of(a);
  for (const auto* list : {&m.to, &m.cc}) {
    for (const auto& addr : *list) out.push_back(lower(addr.address));
  }
  return out;
}

const char* profile_field_name(ProfileField f) {
  switch (f) {
    case ProfileField::full_name:
      return "ФИО клиента";
    case ProfileField::position:
      return "должность клиента";
    case ProfileField::position_category:
      return "категория должности";
    case ProfileField::organisation:
      return "организация клиента";
    case ProfileField::unit:
      return "подразделение клиента";
  }
  return "";
}

std::string quoted_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + guillemets(item);
  return out;
}

std::string phrase_list(const std::vector<Phrase>& phrases) {
  std::string out;
  for (const auto& p : phrases) out += (out.empty() ? "" : ", ") + guillemets(p.written);
  return out;
}

}  // namespace

Matcher::Matcher(const RuleSet& rules, const PreparedAppeal& appeal, const Calendar& calendar)
    : rules_(rules), appeal_(appeal), calendar_(calendar) {
  sys_seconds local = appeal.appeal->received_at + calendar.utc_offset();
  sys_days day = floor<days>(local);
  local_date_ = year_month_day(day);
  local_time_ = duration_cast<minutes>(local - day);
  office_day_ = calendar.office_day(local_date_);
}

std::optional<Matcher::PhraseHit> Matcher::find_phrase(const Phrase& p,
                                                       const PreparedField& field) const {
  // Stems are looked up once per phrase; a stem the appeal never had cannot match.
  std::uint32_t ids[kMaxPhraseWords];
  std::size_t n = std::min(p.stems.size(), kMaxPhraseWords);
  // The loader rejects empty phrases; should one get here, it matches nothing (rather than
  // reading ids[0] unset).
  if (n == 0) return std::nullopt;
  for (std::size_t i = 0; i < n; ++i) {
    ids[i] = appeal_.stems.find(p.stems[i]);
    if (ids[i] == StemTable::npos) return std::nullopt;
  }
  for (std::uint32_t start : field.occurrences(ids[0])) {
    if (start + n > field.words.size()) break;
    bool all = true;
    for (std::size_t k = 1; k < n && all; ++k) all = field.words[start + k].stem == ids[k];
    if (all) return PhraseHit{&field, start, start + n - 1};
  }
  return std::nullopt;
}

std::optional<Matcher::PhraseHit> Matcher::find_phrase(const Phrase& p, TextField where) const {
  if (where != TextField::body) {
    if (auto hit = find_phrase(p, appeal_.subject)) return hit;
  }
  if (where != TextField::subject) return find_phrase(p, appeal_.body);
  return std::nullopt;
}

bool Matcher::regex_matches(const Condition& c) {
  const RegexBank& bank = rules_.regexes();
  if (c.field != TextField::body) {
    if (!subject_regex_) subject_regex_ = bank.match_field(appeal_.subject.text, true);
    if ((*subject_regex_)[c.regex]) return true;
  }
  if (c.field != TextField::subject) {
    if (!body_regex_) body_regex_ = bank.match_field(appeal_.body.text, false);
    if ((*body_regex_)[c.regex]) return true;
  }
  return false;
}

const std::vector<double>& Matcher::similarities() {
  if (!similarities_) {
    similarities_.emplace();
    StemSet current = stem_set(appeal_);
    for (const PastCase& past : appeal_.appeal->history.past_cases) {
      similarities_->push_back(jaccard(current, stem_set(past.text)));
    }
  }
  return *similarities_;
}

const std::optional<NearDate>& Matcher::near_date(int within) {
  auto it = near_dates_.find(within);
  if (it == near_dates_.end()) {
    auto found = find_near_date(appeal_.subject, appeal_.stems, local_date_, within);
    if (!found) found = find_near_date(appeal_.body, appeal_.stems, local_date_, within);
    it = near_dates_.emplace(within, std::move(found)).first;
  }
  return it->second;
}

int Matcher::messages_within(int within) const {
  sys_seconds now = appeal_.appeal->received_at, since = now - days{within};
  const auto& earlier = appeal_.appeal->history.earlier_messages;
  // The message being evaluated counts too: "three messages in seven days" includes it.
  return 1 + int(std::count_if(earlier.begin(), earlier.end(),
                               [&](sys_seconds t) { return t >= since && t <= now; }));
}

const std::vector<mail::Attachment>& Matcher::attachments() const {
  return message_of(appeal_).attachments;
}

bool Matcher::matches(const Condition& c) {
  const Appeal& a = *appeal_.appeal;
  switch (c.kind) {
    case ConditionKind::all:
      return std::all_of(c.children.begin(), c.children.end(),
                         [&](const Condition& k) { return matches(k); });
    case ConditionKind::any:
      return std::any_of(c.children.begin(), c.children.end(),
                         [&](const Condition& k) { return matches(k); });
    case ConditionKind::not_:
      return !matches(c.children.front());
    case ConditionKind::words:
      return std::any_of(c.phrases.begin(), c.phrases.end(),
                         [&](const Phrase& p) { return find_phrase(p, c.field).has_value(); });
    case ConditionKind::regex:
      return regex_matches(c);
    case ConditionKind::sender: {
      std::string s = lower(a.sender);
      return std::find(c.values.begin(), c.values.end(), s) != c.values.end();
    }
    case ConditionKind::sender_domain: {
      std::string d = domain_of(lower(a.sender));
      return std::any_of(c.values.begin(), c.values.end(),
                         [&](const std::string& v) { return in_domain(d, v); });
    }
    case ConditionKind::profile_known:
      return a.profile.known;
    case ConditionKind::profile_is: {
      std::string v = lower(profile_text(a.profile, c.profile));
      return !v.empty() && std::find(c.values.begin(), c.values.end(), v) != c.values.end();
    }
    case ConditionKind::profile_words: {
      const PreparedField& f = appeal_.profile_field(c.profile);
      return std::any_of(c.phrases.begin(), c.phrases.end(),
                         [&](const Phrase& p) { return find_phrase(p, f).has_value(); });
    }
    case ConditionKind::history_messages:
      return messages_within(c.days) >= c.at_least;
    case ConditionKind::history_open:
      return a.history.open_cases >= c.at_least;
    case ConditionKind::history_similar: {
      const auto& sims = similarities();
      for (std::size_t i = 0; i < sims.size(); ++i) {
        const PastCase& past = a.history.past_cases[i];
        bool recent = c.days == 0 || past.received_at >= a.received_at - days{c.days};
        if (recent && sims[i] >= c.threshold) return true;
      }
      return false;
    }
    case ConditionKind::attachment_count: {
      const auto& list = attachments();
      // Parts inside a forwarded message belong to it, not to the client's letter.
      int n = int(std::count_if(list.begin(), list.end(), [](const auto& x) { return !x.nested; }));
      return n >= c.at_least && (c.at_most < 0 || n <= c.at_most);
    }
    case ConditionKind::attachment_type:
      return std::any_of(
          attachments().begin(), attachments().end(), [&](const mail::Attachment& x) {
            return std::any_of(c.values.begin(), c.values.end(), [&](const std::string& t) {
              return type_matches(t, x.content_type);
            });
          });
    case ConditionKind::attachment_name:
      return std::any_of(
          attachments().begin(), attachments().end(), [&](const mail::Attachment& x) {
            std::string name = lower(x.filename);
            return std::any_of(c.values.begin(), c.values.end(),
                               [&](const std::string& g) { return glob_match(g, name); });
          });
    case ConditionKind::dates:
      return c.window.contains(local_date_);
    case ConditionKind::arrival: {
      if (c.arrival == Arrival::day_off) return !office_day_.has_value();
      bool open =
          office_day_ && local_time_ >= office_day_->start && local_time_ < office_day_->end &&
          !(local_time_ >= office_day_->lunch_start && local_time_ < office_day_->lunch_end);
      return c.arrival == Arrival::office_hours ? open : !open;
    }
    case ConditionKind::mailbox:
      return std::find(c.values.begin(), c.values.end(), a.mailbox) != c.values.end();
    case ConditionKind::addressee: {
      auto to = addressees(appeal_);
      return std::any_of(to.begin(), to.end(), [&](const std::string& x) {
        return std::find(c.values.begin(), c.values.end(), x) != c.values.end();
      });
    }
    case ConditionKind::near_date:
      return near_date(c.days).has_value();
  }
  return false;
}

std::string Matcher::explain(const Condition& c) {
  const Appeal& a = *appeal_.appeal;
  switch (c.kind) {
    case ConditionKind::all: {
      std::string out;
      for (const auto& k : c.children) out += (out.empty() ? "" : "; ") + explain(k);
      return out;
    }
    case ConditionKind::any:
      for (const auto& k : c.children) {
        if (matches(k)) return explain(k);
      }
      return {};
    case ConditionKind::not_:
      return "нет: " + describe(c.children.front());
    case ConditionKind::words:
    case ConditionKind::profile_words: {
      std::vector<std::string> found;
      for (const Phrase& p : c.phrases) {
        auto hit = c.kind == ConditionKind::words
                       ? find_phrase(p, c.field)
                       : find_phrase(p, appeal_.profile_field(c.profile));
        // Two entries with the same stems ("склонение", "склонения") find the same words.
        std::string quote(hit ? hit->field->quote(hit->from, hit->to) : "");
        if (hit && std::find(found.begin(), found.end(), quote) == found.end()) {
          found.push_back(quote);
        }
      }
      if (c.kind == ConditionKind::profile_words) {
        return std::string(profile_field_name(c.profile)) + " " +
               guillemets(profile_text(a.profile, c.profile)) + ": найдено " + quoted_list(found);
      }
      const char* where = c.field == TextField::subject ? "в теме письма "
                          : c.field == TextField::body  ? "в тексте письма "
                                                        : "";
      return std::string(where) + (found.size() == 1 ? "найдено слово " : "найдены слова: ") +
             quoted_list(found);
    }
    case ConditionKind::regex: {
      std::optional<std::string_view> frag;
      if (c.field != TextField::body) frag = rules_.regexes().find(c.regex, appeal_.subject.text);
      if (!frag && c.field != TextField::subject) {
        frag = rules_.regexes().find(c.regex, appeal_.body.text);
      }
      return "текст подходит под выражение " + guillemets(c.pattern) +
             (frag ? ": " + guillemets(*frag) : std::string());
    }
    case ConditionKind::sender:
      return "адрес отправителя " + lower(a.sender);
    case ConditionKind::sender_domain:
      return "отправитель из домена " + domain_of(lower(a.sender));
    case ConditionKind::profile_known:
      return "клиент есть в справочнике";
    case ConditionKind::profile_is:
      return std::string(profile_field_name(c.profile)) + ": " +
             guillemets(profile_text(a.profile, c.profile));
    case ConditionKind::history_messages: {
      int n = messages_within(c.days);
      return "от отправителя " + std::to_string(n) + " " +
             plural(n, "обращение", "обращения", "обращений") + " за " + std::to_string(c.days) +
             " " + plural(c.days, "день", "дня", "дней") + ", считая это";
    }
    case ConditionKind::history_open:
      return "у отправителя открытых обращений: " + std::to_string(a.history.open_cases);
    case ConditionKind::history_similar: {
      const auto& sims = similarities();
      std::size_t best = sims.size();
      for (std::size_t i = 0; i < sims.size(); ++i) {
        const PastCase& past = a.history.past_cases[i];
        bool recent = c.days == 0 || past.received_at >= a.received_at - days{c.days};
        if (recent && sims[i] >= c.threshold && (best == sims.size() || sims[i] > sims[best])) {
          best = i;
        }
      }
      if (best == sims.size()) return {};
      const PastCase& past = a.history.past_cases[best];
      sys_days day = floor<days>(past.received_at + calendar_.utc_offset());
      return "текст похож на обращение " + past.regno + " от " + date_text(year_month_day(day)) +
             " (сходство " + std::to_string(int(std::lround(sims[best] * 100))) +
             " %): возможно повторное обращение (ч. 5 ст. 11 Федерального закона № 59-ФЗ)";
    }
    case ConditionKind::attachment_count: {
      const auto& list = attachments();
      long n = std::count_if(list.begin(), list.end(), [](const auto& x) { return !x.nested; });
      return "вложений: " + std::to_string(n);
    }
    case ConditionKind::attachment_type:
    case ConditionKind::attachment_name:
      for (const auto& x : attachments()) {
        std::string name = lower(x.filename);
        bool hit = std::any_of(c.values.begin(), c.values.end(), [&](const std::string& v) {
          return c.kind == ConditionKind::attachment_type ? type_matches(v, x.content_type)
                                                          : glob_match(v, name);
        });
        if (hit) {
          return "вложение " + guillemets(x.filename.empty() ? "без имени" : x.filename) + " (" +
                 x.content_type + ")";
        }
      }
      return {};
    case ConditionKind::dates:
      return "дата поступления " + date_text(local_date_) + " в периоде " +
             c.window.describe(local_date_);
    case ConditionKind::arrival: {
      std::string when = std::string(weekday_text(local_date_)) + " " + date_text(local_date_) +
                         " " + clock_text(local_time_);
      if (c.arrival == Arrival::day_off) return "поступило в нерабочий день (" + when + ")";
      if (c.arrival == Arrival::office_hours) return "поступило в рабочее время (" + when + ")";
      return "поступило в нерабочее время (" + when + ")";
    }
    case ConditionKind::mailbox:
      return "папка " + guillemets(a.mailbox);
    case ConditionKind::addressee:
      for (const auto& x : addressees(appeal_)) {
        if (std::find(c.values.begin(), c.values.end(), x) != c.values.end()) return "адресат " + x;
      }
      return {};
    case ConditionKind::near_date: {
      const auto& found = near_date(c.days);
      if (!found) return {};
      return "упомянута близкая дата: " + guillemets(found->quote) + " (" + date_text(found->date) +
             ")";
    }
  }
  return {};
}

std::string Matcher::describe(const Condition& c) const {
  switch (c.kind) {
    case ConditionKind::all:
    case ConditionKind::any: {
      std::string out;
      for (const auto& k : c.children) {
        out += (out.empty() ? "" : c.kind == ConditionKind::all ? " и " : " или ") + describe(k);
      }
      return "(" + out + ")";
    }
    case ConditionKind::not_:
      return "не " + describe(c.children.front());
    case ConditionKind::words:
      return "слов " + phrase_list(c.phrases);
    case ConditionKind::regex:
      return "текста по выражению " + guillemets(c.pattern);
    case ConditionKind::sender:
      return "отправителя " + quoted_list(c.values);
    case ConditionKind::sender_domain:
      return "отправителя из доменов " + quoted_list(c.values);
    case ConditionKind::profile_known:
      return "клиента в справочнике";
    case ConditionKind::profile_is:
      return std::string(profile_field_name(c.profile)) + " " + quoted_list(c.values);
    case ConditionKind::profile_words:
      return std::string(profile_field_name(c.profile)) + " со словами " + phrase_list(c.phrases);
    case ConditionKind::history_messages:
      return std::to_string(c.at_least) + " обращений за " + std::to_string(c.days) + " дн.";
    case ConditionKind::history_open:
      return "открытых обращений";
    case ConditionKind::history_similar:
      return "похожего прежнего обращения";
    case ConditionKind::attachment_count:
      return "нужного числа вложений";
    case ConditionKind::attachment_type:
      return "вложений типа " + quoted_list(c.values);
    case ConditionKind::attachment_name:
      return "вложений с именем " + quoted_list(c.values);
    case ConditionKind::dates:
      return "даты в периоде " + c.window.describe(local_date_);
    case ConditionKind::arrival:
      return c.arrival == Arrival::day_off ? "поступления в нерабочий день"
             : c.arrival == Arrival::office_hours ? "поступления в рабочее время"
                                                  : "поступления в нерабочее время";
    case ConditionKind::mailbox:
      return "папки " + quoted_list(c.values);
    case ConditionKind::addressee:
      return "адресата " + quoted_list(c.values);
    case ConditionKind::near_date:
      return "близкой даты в тексте";
  }
  return {};
}

}  // namespace mailgate::rules
