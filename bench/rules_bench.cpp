// Micro-benchmark of the rule engine (issue: 1,000 rules against a 100 KB message in under
// 5 ms). Generates a rule set of 1,000 rules of every condition kind and a 100 KB Russian
// letter, then times, per evaluation:
//   - prepare:         splitting and stemming the message once (the baseline);
//   - rules only:      evaluate() on an already prepared message;
//   - full, warm:      prepare + evaluate with the stem memo warm (the daemon's steady state);
//   - full, cold:      the same with the memo cleared first (a letter of all-new words).
// Times are CPU time of the evaluating thread (see cpu_ms). Usage:
//   rules_bench [iterations] [calendar dir]   (defaults: 200, rules/calendar of the source)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <time.h>

#include "rules/engine.hpp"
#include "rules/rule_load.hpp"

using namespace mailgate::rules;
using Clock = std::chrono::steady_clock;

namespace {

// Word stems of the office's letters with endings that make real inflected forms often
// enough; the generator glues them at random, so the letter has a realistic spread of forms.
const char* kStems[] = {
    "справк",
    "доход",
    "расход",
    "имуществ",
    "обязательств",
    "характер",
    "сведени",
    "уведомлени",
    "конфликт",
    "интерес",
    "заинтересованност",
    "подарк",
    "представител",
    "нанимател",
    "сайт",
    "адрес",
    "страниц",
    "служащ",
    "должност",
    "комисси",
    "заседани",
    "проверк",
    "учреждени",
    "организаци",
    "закупк",
    "договор",
    "работ",
    "деятельност",
    "комитет",
    "управлени",
    "област",
    "граждан",
    "служб",
    "закон",
    "требовани",
    "ограничени",
    "запрет",
    "обязанност",
    "порядк",
    "разъяснени",
    "вопрос",
    "ответ",
    "срок",
    "документ",
    "заявлени",
    "основани",
    "решени",
    "руководител",
    "специалист",
    "консультант",
    "отдел",
    "сектор",
    "начальник",
    "заместител",
    "супруг",
    "ребенк",
    "родственник",
    "брат",
    "дочер",
    "счет",
    "банк",
    "вклад",
    "автомобил",
    "квартир",
    "участк",
    "продаж",
    "покупк",
    "налог",
    "отчет",
    "период",
    "раздел",
    "строк",
    "форм",
    "бланк",
    "файл",
    "программ",
    "верси",
    "ошибк",
    "исправлени",
    "уточнени",
    "копи",
    "оригинал",
    "подпис",
    "печат",
    "дат",
    "номер",
    "регистраци",
    "обращени",
    "жалоб",
    "заявител",
    "мероприяти",
    "конференци",
    "делегаци",
    "сувенир",
    "стоимост",
    "оценк",
    "выкуп",
    "хранени",
    "передач",
    "сдач",
    "получени",
    "вручени",
    "приглашени",
    "участи",
    "преподавани",
    "курс",
    "лекци",
    "жюри",
    "конкурс",
    "вознаграждени",
    "оплат",
    "услуг",
    "поставк",
    "техник",
    "компьютер",
    "подрядчик",
    "акт",
    "приемк",
    "подписани",
    "протокол",
    "повестк",
    "заключени",
};
const char* kEndings[] = {"а", "и",  "у",  "е",   "ой", "ами", "ах", "ом",
                          "ы", "ов", "ям", "ями", "ию", "ия",  ""};
const char* kShort[] = {"и",  "в",  "на",  "о",   "по",  "с",   "к", "до",
                        "за", "не", "что", "как", "для", "или", "от"};

struct Rng {
  std::mt19937 gen{20260415};
  std::size_t below(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(gen);
  }
  template <typename T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }
};

std::string word(Rng& r) { return std::string(r.pick(kStems)) + r.pick(kEndings); }

/// A pseudo-word of Cyrillic syllables: new forms the stem memo has not seen.
std::string rare_word(Rng& r) {
  static const char* syllables[] = {"ка", "ро", "ми", "ло", "ве", "ны", "да", "за",
                                    "те", "пу", "ри", "со", "ба", "ге", "шу"};
  std::string w;
  for (std::size_t i = 0, n = 2 + r.below(3); i < n; ++i) w += r.pick(syllables);
  return w + r.pick(kEndings);
}

/// About `bytes` of letter text; `rare_share` of the words are pseudo-words.
std::string make_letter(Rng& r, std::size_t bytes, double rare_share) {
  std::string text = "Добрый день!\n\n";
  while (text.size() < bytes) {
    std::size_t n = 6 + r.below(12);
    for (std::size_t i = 0; i < n; ++i) {
      std::string w = r.below(4) == 0                             ? std::string(r.pick(kShort))
                      : double(r.below(1000)) < rare_share * 1000 ? rare_word(r)
                                                                  : word(r);
      if (i == 0) w.insert(0, "С");  // most sentences start with a capital; not worth more care
      if (i != 0) text += ' ';
      text += w;
      if (r.below(15) == 0) text += ",";
      if (r.below(40) == 0) {
        text +=
            " " + std::to_string(1 + r.below(28)) + ".0" + std::to_string(1 + r.below(9)) + ".2026";
      }
    }
    text += r.below(8) == 0 ? ".\n\n" : ". ";
  }
  return text + "\nС уважением,\nИванова М.В.\n";
}

/// A rule word: with probability `hit` one of the letter's words, else a word the letter does
/// not have (most rules of a real set do not fire on a given letter).
std::string rule_word(Rng& r, double hit) {
  static const char* syllables[] = {"гра", "жу",  "фло", "мыс", "тре",
                                    "щи",  "вля", "хо",  "цу",  "ёр"};
  if (double(r.below(1000)) < hit * 1000) return word(r);
  std::string w;
  for (std::size_t i = 0, n = 2 + r.below(2); i < n; ++i) w += r.pick(syllables);
  return w + r.pick(kEndings);
}

/// A TOML list of `n` words or phrases.
std::string word_list(Rng& r, std::size_t n, double hit) {
  std::string out = "[";
  for (std::size_t i = 0; i < n; ++i) {
    std::string entry = rule_word(r, hit);
    if (r.below(4) == 0) entry += " " + rule_word(r, 1.0);  // a quarter are phrases
    out += (i ? ", \"" : "\"") + entry + "\"";
  }
  return out + "]";
}

std::string condition(Rng& r, std::size_t kind, double hit) {
  switch (kind) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
      return "{ words = " + word_list(r, 1 + r.below(6), hit) + " }";
    case 6: {
      std::string stem = rule_word(r, hit);
      stem = stem.substr(0, stem.size() > 6 ? 6 : stem.size());  // three Cyrillic letters
      return "{ regex = '" + stem + "[а-я]{0,3}\\s+\\d{1,2}\\.\\d{2}' }";
    }
    case 7:
      return "{ all = [{ words = " + word_list(r, 2, hit) +
             " }, { not = { words = " + word_list(r, 2, hit) +
             " } }, { dates = \"02-10..04-30\" }] }";
    case 8:
      return "{ any = [{ sender_domain = \"d" + std::to_string(r.below(50)) +
             ".lenobl.example\" }, { profile = \"position\", words = " + word_list(r, 2, hit) +
             " }] }";
    case 9:
      return "{ all = [{ attachments = \"name\", glob = \"*." + std::to_string(r.below(9)) +
             "\" }, { history = \"messages\", days = 7, at_least = 3 }, { near_date = 3 }] }";
    default:
      return "{ all = [{ arrival = \"outside_office_hours\" }, { words = " + word_list(r, 1, hit) +
             " }] }";
  }
}

std::string make_rules(Rng& r, std::size_t n, double hit) {
  std::string toml;
  for (std::size_t i = 0; i < n; ++i) {
    toml +=
        "[[rule]]\nid = \"r" + std::to_string(i) + "\"\ndescription = \"Правило " +
        std::to_string(i) + "\"\nwhen = " + condition(r, i % 11, hit) +
        "\nthen = { score = " + std::to_string(1 + r.below(3)) + ", tags = [\"t" +
        std::to_string(i % 20) + "\"]" + (i % 7 == 0 ? ", topic = \"law\"" : "") +
        (i % 13 == 0 ? ", term = \"" + std::to_string(1 + r.below(10)) + " working days\"" : "") +
        " }\n\n";
  }
  return toml;
}

// A calendar file that cannot be read: main reports it and exits 2. Thrown rather than
// std::exit here, which is not thread-safe (concurrency-mt-unsafe).
struct CannotRead : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CannotRead("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Stats {
  double mean, p50, p99;
};

/// This thread's CPU time in milliseconds. The machines this runs on are shared (CI, other
/// builds): wall-clock time would measure the neighbours, CPU time measures the engine.
double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

template <typename F>
Stats time(int iterations, F&& f) {
  std::vector<double> ms;
  for (int i = 0; i < iterations; ++i) {
    double t0 = cpu_ms();
    f();
    ms.push_back(cpu_ms() - t0);
  }
  std::sort(ms.begin(), ms.end());
  double sum = 0;
  for (double x : ms) sum += x;
  auto at = [&](double q) {
    return ms[std::min(ms.size() - 1, std::size_t(q * double(ms.size())))];
  };
  return {sum / double(ms.size()), at(0.5), at(0.99)};
}

void report(const char* what, Stats s, double baseline) {
  std::printf("  %-22s mean %7.3f ms   p50 %7.3f ms   p99 %7.3f ms   %5.2fx prepare\n", what,
              s.mean, s.p50, s.p99, s.mean / baseline);
}

}  // namespace

int main(int argc, char** argv) {
  int iterations = argc > 1 ? std::atoi(argv[1]) : 200;
  std::string dir = argc > 2 ? argv[2] : MAILGATE_SOURCE_DIR "/rules/calendar";
  if (iterations < 1) iterations = 1;
  auto file = [&](const char* name) { return SourceFile{name, read(dir + "/" + name)}; };
  std::vector<SourceFile> years;
  SourceFile office_hours;
  try {
    office_hours = file("office_hours.toml");
    years = {file("2025.toml"), file("2026.toml"), file("2027.toml")};
  } catch (const CannotRead& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  Calendar calendar = Calendar::load(office_hours, years);

  Rng rng;
  // Two letters: the office's usual vocabulary, and one where 30% of the words are new forms
  // (the worst case for the stem memo).
  std::vector<std::pair<double, std::string>> letters;
  for (double rare : {0.0, 0.3}) {
    letters.emplace_back(rare, make_letter(rng, std::size_t{100} * 1024, rare));
  }

  // Two rule sets: a realistic one, where 2% of rule words occur in the letter (so a few
  // dozen rules fire), and a stress one where every rule word does (hundreds fire, and each
  // fired rule costs its explanation).
  for (double hit : {0.02, 1.0}) {
    std::string toml = make_rules(rng, 1000, hit);
    auto t0 = Clock::now();
    RuleSet rules = load_rule_set({{"bench.toml", toml}}, Vocabulary{});
    double load_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    std::printf(
        "\n=== %zu rules, %.0f%% of rule words in the letter (%zu KB of TOML, loaded in %.1f ms)\n",
        rules.rules().size(), hit * 100, toml.size() / 1024, load_ms);

    for (const auto& [rare, text] : letters) {
      mailgate::mail::Message message;
      message.subject = "Вопрос о справке о доходах и конфликте интересов";
      message.text = text;
      message.attachments = {{"справка.xsb", "application/octet-stream", 1000, "", false}};
      Appeal appeal;
      appeal.message = &message;
      appeal.sender = "m.ivanova@d7.lenobl.example";
      appeal.received_at =
          std::chrono::sys_days(std::chrono::year(2026) / 4 / 15) + std::chrono::hours(16);
      appeal.history.earlier_messages = {appeal.received_at - std::chrono::hours(30)};

      StemTable distinct;
      std::size_t words = stem_text(message.text, distinct).size();
      Decision d = evaluate(rules, appeal, calendar, EngineSettings{});
      std::printf(
          "letter: %zu KB, %zu words, %zu distinct stems (%.0f%% new forms); %zu rules fire\n",
          message.text.size() / 1024, words, distinct.size(), rare * 100, d.fired.size());

      Stats prep = time(iterations, [&] {
        clear_stem_cache();
        (void)prepare(appeal);
      });
      PreparedAppeal prepared = prepare(appeal);
      Stats only =
          time(iterations, [&] { (void)evaluate(rules, prepared, calendar, EngineSettings{}); });
      Stats warm =
          time(iterations, [&] { (void)evaluate(rules, appeal, calendar, EngineSettings{}); });
      Stats cold = time(iterations, [&] {
        clear_stem_cache();
        (void)evaluate(rules, appeal, calendar, EngineSettings{});
      });
      report("prepare (baseline)", prep, prep.mean);
      report("rules only", only, prep.mean);
      report("full, warm memo", warm, prep.mean);
      report("full, cold memo", cold, prep.mean);
    }
  }
  return 0;
}
