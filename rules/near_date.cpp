#include "rules/near_date.hpp"

#include <array>
#include <charconv>

namespace mailgate::rules {

using namespace std::chrono;

namespace {

/// The stem ids of the words the search looks for, resolved once per field.
struct Cues {
  std::uint32_t tomorrow, after_tomorrow, today, until, same;
  std::array<std::uint32_t, 12> months;  ///< genitive month names: «марта», «апреля», ...

  explicit Cues(const StemTable& stems) {
    auto id = [&](const char* word) { return stems.find(stem_word(word)); };
    tomorrow = id("завтра");
    after_tomorrow = id("послезавтра");
    today = id("сегодня");
    until = id("до");
    same = id("же");
    const char* names[] = {"января", "февраля", "марта",    "апреля",  "мая",    "июня",
                           "июля",   "августа", "сентября", "октября", "ноября", "декабря"};
    for (std::size_t m = 0; m < 12; ++m) months[m] = id(names[m]);
  }
};

/// The word as a number if it is all digits and at most `max_digits` long.
std::optional<unsigned> number(const PreparedField& f, std::size_t i, std::size_t min_digits,
                               std::size_t max_digits) {
  std::string_view w = f.text.substr(f.words[i].begin, f.words[i].end - f.words[i].begin);
  if (w.size() < min_digits || w.size() > max_digits) return std::nullopt;
  unsigned n = 0;
  for (char c : w) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::from_chars(w.data(), w.data() + w.size(), n);
  return n;
}

/// The text between word i and word i + 1.
std::string_view gap(const PreparedField& f, std::size_t i) {
  return f.text.substr(f.words[i].end, f.words[i + 1].begin - f.words[i].end);
}

/// A date without a year: the year that puts it nearest to today.
std::optional<year_month_day> nearest(unsigned d, unsigned m, year_month_day today) {
  std::optional<year_month_day> best;
  for (int y : {int(today.year()) - 1, int(today.year()), int(today.year()) + 1}) {
    year_month_day date{year(y), month(m), day(d)};
    if (!date.ok()) continue;
    auto distance = [&](year_month_day x) {
      auto diff = (sys_days(x) - sys_days(today)).count();
      return diff < 0 ? -diff : diff;
    };
    if (!best || distance(date) < distance(*best)) best = date;
  }
  return best;
}

struct Found {
  std::size_t from, to;  ///< words quoted
  year_month_day date;
};

/// A numeric date starting at word i: DD.MM, DD.MM.YY or DD.MM.YYYY. Version numbers
/// ("2.5.4") and longer dotted runs are not dates.
std::optional<Found> numeric_date(const PreparedField& f, std::size_t i, year_month_day today) {
  const auto& w = f.words;
  if (i + 1 >= w.size() || gap(f, i) != ".") return std::nullopt;
  if (w[i].begin > 0 && (f.text[w[i].begin - 1] == '.' || f.text[w[i].begin - 1] == ',')) {
    return std::nullopt;
  }
  auto d = number(f, i, 1, 2);
  auto m = number(f, i + 1, 2, 2);
  if (!d || !m) return std::nullopt;
  std::size_t last = i + 1;
  std::optional<unsigned> y;
  if (i + 2 < w.size() && gap(f, i + 1) == ".") {
    y = number(f, i + 2, 2, 4);
    if (!y || (*y >= 100 && *y < 1000)) return std::nullopt;
    if (*y < 100) *y += 2000;
    last = i + 2;
  }
  // «1.02.3.4» and the like: a further dotted number means this is not a date.
  if (last + 1 < w.size() && gap(f, last) == "." && number(f, last + 1, 1, 9)) return std::nullopt;
  std::optional<year_month_day> date;
  if (y) {
    year_month_day ymd{year(int(*y)), month(*m), day(*d)};
    if (ymd.ok()) date = ymd;
  } else {
    date = nearest(*d, *m, today);
  }
  if (!date) return std::nullopt;
  return Found{i, last, *date};
}

/// «26 марта» or «26 марта 2026».
std::optional<Found> worded_date(const PreparedField& f, const Cues& cues, std::size_t i,
                                 year_month_day today) {
  const auto& w = f.words;
  auto d = number(f, i, 1, 2);
  if (!d || i + 1 >= w.size()) return std::nullopt;
  for (unsigned m = 0; m < 12; ++m) {
    if (cues.months[m] == StemTable::npos || w[i + 1].stem != cues.months[m]) continue;
    if (i + 2 < w.size()) {
      if (auto y = number(f, i + 2, 4, 4)) {
        year_month_day ymd{year(int(*y)), month(m + 1), day(*d)};
        if (!ymd.ok()) return std::nullopt;
        return Found{i, i + 2, ymd};
      }
    }
    auto date = nearest(*d, m + 1, today);
    if (!date) return std::nullopt;
    return Found{i, i + 1, *date};
  }
  return std::nullopt;
}

/// «завтра», «послезавтра», «сегодня до», «сегодня же», «до 18:00 сегодня».
std::optional<Found> relative_date(const PreparedField& f, const Cues& cues, std::size_t i,
                                   year_month_day today) {
  const auto& w = f.words;
  std::uint32_t s = w[i].stem;
  if (s == StemTable::npos) return std::nullopt;
  sys_days t(today);
  if (s == cues.tomorrow) return Found{i, i, year_month_day(t + days{1})};
  if (s == cues.after_tomorrow) return Found{i, i, year_month_day(t + days{2})};
  if (s != cues.today) return std::nullopt;
  // «Сегодня ко мне обратился...» tells a story; only «сегодня» tied to a limit is a date.
  if (i + 1 < w.size() && (w[i + 1].stem == cues.until || w[i + 1].stem == cues.same)) {
    return Found{i, i + 1, today};
  }
  for (std::size_t back = 1; back <= 3 && back <= i; ++back) {
    if (w[i - back].stem == cues.until) return Found{i - back, i, today};
  }
  return std::nullopt;
}

}  // namespace

std::optional<NearDate> find_near_date(const PreparedField& field, const StemTable& stems,
                                       year_month_day today, int within) {
  Cues cues(stems);
  sys_days first(today), last = first + days{within};
  for (std::size_t i = 0; i < field.words.size(); ++i) {
    std::optional<Found> found = relative_date(field, cues, i, today);
    if (!found) found = numeric_date(field, i, today);
    if (!found) found = worded_date(field, cues, i, today);
    if (!found) continue;
    sys_days d(found->date);
    if (d < first || d > last) {
      i = found->to;  // a date outside the window: skip its parts, they are not dates
      continue;
    }
    // Quote «до» in front of a date: «до 15.04.2026» reads as the limit it is.
    std::size_t from = found->from;
    if (from > 0 && field.words[from - 1].stem == cues.until && cues.until != StemTable::npos) {
      --from;
    }
    return NearDate{std::string(field.quote(from, found->to)), found->date};
  }
  return std::nullopt;
}

}  // namespace mailgate::rules
