// The shipped rule set (rules/*.toml) on realistic Russian messages: the corpus in
// tests/data/corpus/ru (see its INDEX.md for the topic of each message), parsed as the daemon
// parses them, plus a few hand-written letters where the corpus has no example (questions
// outside the office's remit, a question on the law). Each scenario names the rules that must
// fire and must not; one test checks that every shipped rule fires in some scenario.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "mail/parse.hpp"
#include "rules/engine.hpp"
#include "rules/rule_load.hpp"

namespace {

using namespace std::chrono;
using namespace mailgate::rules;
namespace fs = std::filesystem;
namespace mm = mailgate::mail;

const fs::path kData = MAILGATE_TEST_DATA;
const fs::path kRules = kData / ".." / ".." / "rules";

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read " << p;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The unit ids the shipped rules use; the sample configuration defines them.
const Vocabulary kShippedVocabulary{{"prevention"}, {}};

const RuleSet& shipped_rules() {
  static const RuleSet rules = [] {
    std::vector<SourceFile> files;
    for (const auto& entry : fs::directory_iterator(kRules)) {
      if (entry.path().extension() == ".toml") {
        files.push_back({entry.path().filename().string(), read_file(entry.path())});
      }
    }
    return load_rule_set(files, kShippedVocabulary);
  }();
  return rules;
}

const Calendar& calendar() {
  static const Calendar c = [] {
    auto file = [](const std::string& name) {
      return SourceFile{name, read_file(kRules / "calendar" / name)};
    };
    return Calendar::load(file("office_hours.toml"),
                          {file("2025.toml"), file("2026.toml"), file("2027.toml")});
  }();
  return c;
}

/// "2026-04-15 12:03" Moscow time.
sys_seconds msk(const std::string& local) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  EXPECT_EQ(std::sscanf(local.c_str(), "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi), 5) << local;
  return sys_seconds(sys_days(year_month_day{year(y), month(unsigned(mo)), day(unsigned(d))})) +
         hours(h) + minutes(mi) - hours(3);
}

/// The message's own Date (ISO 8601 with a +03:00 offset, as the corpus writes it).
sys_seconds message_time(const mm::Message& m) {
  EXPECT_TRUE(m.date.has_value());
  std::string iso = m.date.value_or("2026-01-01T00:00:00+03:00");
  EXPECT_EQ(iso.substr(19), "+03:00") << iso;
  return msk(iso.substr(0, 10) + " " + iso.substr(11, 5));
}

struct Scenario {
  const char* name;
  const char* eml;  ///< a corpus file, or nullptr for the hand-written subject and body
  const char* subject = "";
  const char* body = "";
  const char* received = "";  ///< Moscow time; empty: the message's own Date
  std::function<void(Appeal&)> setup = nullptr;
  const char* urgency = "normal";
  const char* topic = "other";
  const char* term = "30 days";
  std::vector<std::string> fire;
  std::vector<std::string> not_fire = {};
};

struct Outcome {
  mm::Message message;
  Appeal appeal;
  Decision decision;
};

std::unique_ptr<Outcome> run(const Scenario& s) {
  auto out = std::make_unique<Outcome>();
  if (s.eml != nullptr) {
    out->message = mm::parse_message(read_file(kData / "corpus" / "ru" / s.eml));
  } else {
    out->message.subject = s.subject;
    out->message.text = s.body;
    out->message.from = mm::Address{"", "client@edu.lenobl.example"};
    out->message.to = {mm::Address{"", "antikor@lenobl.example"}};
  }
  Appeal& a = out->appeal;
  a.message = &out->message;
  a.sender = out->message.from ? out->message.from->address : "";
  a.mailbox = "INBOX";
  a.addressee = "antikor@lenobl.example";
  a.received_at = *s.received != '\0' ? msk(s.received) : message_time(out->message);
  if (s.setup) s.setup(a);
  out->decision = evaluate(shipped_rules(), a, calendar(), EngineSettings{});
  return out;
}

std::set<std::string> fired_ids(const Decision& d) {
  std::set<std::string> ids;
  for (const auto& f : d.fired) ids.insert(f.id);
  return ids;
}

std::string explain(const Decision& d) {
  std::string out = d.summary + "\n";
  for (const auto& f : d.fired) out += "  " + f.id + ": " + f.why + " => " + f.effect + "\n";
  return out;
}

const char* kOutOfRemitLeave =
    "Добрый день!\n\nПрошу разъяснить, можно ли перенести часть ежегодного оплачиваемого "
    "отпуска на следующий год и нужно ли для этого согласие руководителя. Заявление "
    "планирую подать на этой неделе.\n\nС уважением,\nКовалёва А.Н.\nВедущий специалист";

const Scenario kScenarios[] = {
    // Declarations: urgent during the campaign, with a short term.
    {.name = "DeclarationQuestionDuringCampaign",
     .eml = "ru005-plain-5.eml",  // 17.04.2026
     .urgency = "urgent",
     .topic = "declarations",
     .term = "2 working days",
     .fire = {"declarations-campaign", "declarations-topic"}},
    {.name = "DeclarationSentEarlyInCampaign",
     .eml = "ru024-attachment-3.eml",  // 19.03.2026, the declaration itself
     .urgency = "urgent",
     .topic = "declarations",
     .term = "2 working days",
     .fire = {"declarations-campaign"}},
    {.name = "DeclarationQuestionInSummerIsNotUrgent",
     .eml = "ru005-plain-5.eml",
     .received = "2026-06-15 11:00",
     .topic = "declarations",
     .fire = {"declarations-topic"},
     .not_fire = {"declarations-campaign", "declarations-corrections"}},
    {.name = "DeclarationIn2020MovedCampaign",
     .eml = "ru005-plain-5.eml",
     .received = "2020-07-15 11:00",
     .urgency = "urgent",
     .topic = "declarations",
     .term = "2 working days",
     .fire = {"declarations-campaign"}},
    {.name = "CorrectedDeclarationInMay",
     .eml = "ru022-attachment-1.eml",  // «Уточнённая справка», «обнаружена ошибка»
     .received = "2026-05-20 10:00",
     .urgency = "urgent",
     .topic = "declarations",
     .term = "2 working days",
     .fire = {"declarations-corrections"},
     .not_fire = {"declarations-campaign"}},
    {.name = "CorrectedDeclarationInJuneIsNotUrgent",
     .eml = "ru022-attachment-1.eml",
     .received = "2026-06-10 10:00",
     .topic = "declarations",
     .fire = {"declarations-topic"},
     .not_fire = {"declarations-corrections"}},

    // Sites report: urgent before 1 April.
    {.name = "SitesQuestionBeforeFirstApril",
     .eml = "ru018-alternative-3.eml",
     .received = "2026-03-20 10:00",
     .urgency = "urgent",
     .topic = "sites",
     .term = "2 working days",
     .fire = {"sites-before-deadline", "sites-topic"}},
    {.name = "SitesQuestionOnFirstAprilIsNotUrgent",
     .eml = "ru007-plain-7.eml",  // 01.04.2026, asks for an answer before 05.04: four days
     .topic = "sites",
     .fire = {"sites-topic"},
     .not_fire = {"sites-before-deadline", "near-date"}},
    {.name = "SitesReportAfterDeadline",
     .eml = "ru020-html-only-2.eml",
     .topic = "sites",
     .fire = {"sites-topic"},
     .not_fire = {"sites-before-deadline"}},

    // Urgent at any time of year.
    {.name = "InducementToCorruption",
     .eml = "ru054-urgent-3.eml",
     .urgency = "urgent",
     .topic = "restrictions",
     .term = "4 working hours",
     .fire = {"inducement", "urgent-words", "near-date"}},
    {.name = "CitizenReportsABribeHint",
     .eml = "ru055-complaint-1.eml",
     .received = "2026-08-10 10:00",
     .urgency = "urgent",
     .topic = "restrictions",
     .term = "4 working hours",
     .fire = {"inducement"}},
    {.name = "ConflictOfInterestInProcurement",
     .eml = "ru009-plain-9.eml",
     .received = "2026-09-15 10:00",
     .urgency = "urgent",
     .topic = "conflict_of_interest",
     .term = "2 working days",
     .fire = {"conflict-of-interest"}},
    {.name = "PersonalInterest",
     .eml = "ru006-plain-6.eml",
     .urgency = "urgent",
     .topic = "conflict_of_interest",
     .term = "2 working days",
     .fire = {"conflict-of-interest"}},
    {.name = "GiftBuyOut",
     .eml = "ru001-plain-1.eml",
     .received = "2026-11-10 10:00",
     .urgency = "urgent",
     .topic = "restrictions",
     .term = "2 working days",
     .fire = {"gifts"}},
    {.name = "GiftNoticeWithoutSubject",
     .eml = "ru057-no-subject-1.eml",
     .urgency = "urgent",
     .topic = "restrictions",
     .term = "2 working days",
     .fire = {"gifts"}},

    // Topics that are not urgent by themselves.
    {.name = "OutsideWorkSaysNoConflict",
     .eml = "ru004-plain-4.eml",  // «не повлечёт конфликта интересов»
     .topic = "restrictions",
     .fire = {"outside-work"},
     .not_fire = {"conflict-of-interest"}},
    {.name = "OutsideWorkWithNearDate",
     .eml = "ru025-attachment-4.eml",  // 06.04, the contest is on 08.04
     .topic = "restrictions",
     .fire = {"outside-work", "near-date"}},
    {.name = "QuestionOnTheLaw",
     .eml = nullptr,
     .subject = "Вопрос о применении закона",
     .body = "Добрый день!\n\nПрошу разъяснить, распространяются ли требования Федерального "
             "закона «О противодействии коррупции» на работников подведомственного "
             "учреждения, которые не замещают должности гражданской службы.\n\nС уважением,\n"
             "Соколов П.И.",
     .received = "2026-06-03 11:00",
     .topic = "law",
     .fire = {"anticorruption-law"}},

    // Words and dates raise the score.
    {.name = "UrgentWordsAndTomorrow",
     .eml = "ru052-urgent-1.eml",  // «СРОЧНО!», «завтра, 01.04.2026»
     .urgency = "urgent",
     .topic = "declarations",
     .term = "2 working days",
     .fire = {"urgent-words", "near-date", "declarations-campaign"}},
    {.name = "UrgentWordsAndTomorrowAloneReachTheThreshold",
     .eml = nullptr,
     .subject = "Срочно: проверка",
     .body = "Прошу срочно ответить, проверка завтра.",
     .received = "2026-06-03 11:00",
     .urgency = "urgent",
     .term = "2 working days",  // urgent by score: the settings' urgent term
     .fire = {"urgent-words", "near-date"}},
    {.name = "UrgentWordAloneIsNotEnough",
     .eml = nullptr,
     .subject = "Срочно: вопрос",
     .body = "Прошу срочно ответить по вопросу проверки в следующем месяце.",
     .received = "2026-06-03 11:00",
     .fire = {"urgent-words"},
     .not_fire = {"near-date"}},

    // History and profile.
    {.name = "ThirdMessageInAWeek",
     .eml = "ru041-reply-2.eml",  // «Уточните, пожалуйста, в какой срок...»
     .setup =
         [](Appeal& a) {
           a.history.earlier_messages = {a.received_at - days{2}, a.received_at - days{5}};
         },
     .urgency = "urgent",  // a question about a gift notice: urgent anyway
     .topic = "restrictions",
     .term = "2 working days",
     .fire = {"frequent-client", "gifts"}},
    {.name = "TwoMessagesInAWeekAreNotFrequent",
     .eml = nullptr,
     .subject = "Вопрос",
     .body = "Срочно уточните порядок проверки.",
     .received = "2026-06-03 11:00",
     .setup = [](Appeal& a) { a.history.earlier_messages = {a.received_at - days{2}}; },
     .fire = {"urgent-words"},
     .not_fire = {"frequent-client"}},
    {.name = "FrequentClientWithUrgentWords",
     .eml = nullptr,
     .subject = "Вопрос",
     .body = "Срочно уточните порядок проверки.",
     .received = "2026-06-03 11:00",
     .setup =
         [](Appeal& a) {
           a.history.earlier_messages = {a.received_at - days{1}, a.received_at - days{3}};
         },
     .urgency = "urgent",
     .term = "2 working days",  // urgent by score: the settings' urgent term
     .fire = {"urgent-words", "frequent-client"}},
    {.name = "LikelyRepeat",
     .eml = "ru028-attachment-7.eml",  // the same question as ru006, asked again
     .setup =
         [](Appeal& a) {
           a.history.past_cases = {
               {"ЛО-2026-000185", msk("2026-02-20 10:00"),
                "Уведомление о возникновении личной заинтересованности, которая может привести к "
                "конфликту интересов. Моя дочь с 01.03.2026 работает в подведомственном "
                "учреждении, в отношении которого я провожу плановую проверку. Прошу сообщить, "
                "достаточно ли уведомить представителя нанимателя, или нужно также заявление о "
                "самоотводе? Проверка начинается 05.03.2026."}};
         },
     .urgency = "urgent",
     .topic = "conflict_of_interest",
     .term = "2 working days",
     .fire = {"likely-repeat", "conflict-of-interest"}},
    {.name = "HeadOfExecutiveBodyByCategory",
     .eml = nullptr,
     .subject = "Вопрос",
     .body = "Прошу срочно разъяснить порядок проверки.",
     .received = "2026-06-03 11:00",
     .setup =
         [](Appeal& a) {
           a.profile = {true,
                        "Орлов Игорь Петрович",
                        "Председатель комитета",
                        "head_of_executive_body",
                        "Комитет по природным ресурсам",
                        ""};
         },
     .urgency = "urgent",
     .term = "2 working days",  // urgent by score: the settings' urgent term
     .fire = {"head-of-executive-body", "urgent-words"}},
    {.name = "HeadOfExecutiveBodyByPosition",
     .eml = nullptr,
     .subject = "Вопрос",
     .body = "Прошу разъяснить порядок проверки.",
     .received = "2026-06-03 11:00",
     .setup =
         [](Appeal& a) {
           a.profile = {true, "Орлов Игорь Петрович",          "Председатель комитета",
                        "",   "Комитет по природным ресурсам", ""};
         },
     .fire = {"head-of-executive-body"}},
    {.name = "DeputyIsNotTheHead",
     .eml = nullptr,
     .subject = "Вопрос",
     .body = "Прошу разъяснить порядок проверки.",
     .received = "2026-06-03 11:00",
     .setup =
         [](Appeal& a) {
           a.profile = {true, "Орлов Игорь Петрович",          "Заместитель председателя комитета",
                        "",   "Комитет по природным ресурсам", ""};
         },
     .fire = {},
     .not_fire = {"head-of-executive-body"}},

    // Arrival.
    {.name = "ArrivedOnSaturday",
     .eml = "ru035-forward-inline-1.eml",  // a gift question, forwarded
     .received = "2026-03-28 13:57",
     .urgency = "urgent",
     .topic = "restrictions",
     .term = "2 working days",
     .fire = {"arrived-on-day-off", "gifts"}},

    // Outside the office's remit.
    {.name = "LeaveIsOutOfRemit",
     .eml = nullptr,
     .subject = "Перенос отпуска",
     .body = kOutOfRemitLeave,
     .received = "2026-06-03 11:00",
     .topic = "out_of_remit",
     .term = "7 days",
     .fire = {"out-of-remit"}},
    {.name = "HousingIsOutOfRemit",
     .eml = nullptr,
     .subject = "Жалоба на управляющую компанию",
     .body = "Здравствуйте! Управляющая компания третий месяц не проводит вывоз мусора во "
             "дворе дома, обращения в компанию остаются без ответа. Прошу принять меры.",
     .received = "2026-06-03 11:00",
     .topic = "out_of_remit",
     .term = "7 days",
     .fire = {"out-of-remit"}},
    {.name = "LeaveWithConflictOfInterestIsInRemit",
     .eml = nullptr,
     .subject = "Отпуск и конфликт интересов",
     .body = "Во время отпуска меня пригласили в организацию, которую я проверяю. Не будет "
             "ли это конфликтом интересов?",
     .received = "2026-06-03 11:00",
     .urgency = "urgent",
     .topic = "conflict_of_interest",
     .term = "2 working days",
     .fire = {"conflict-of-interest"},
     .not_fire = {"out-of-remit"}},
    {.name = "NepotismForwardIsNotOutOfRemit",
     .eml = "ru033-forward-rfc822-1.eml",
     .fire = {},
     .not_fire = {"out-of-remit"}},
};

class DefaultRules : public ::testing::TestWithParam<Scenario> {};

TEST_P(DefaultRules, Decide) {
  const Scenario& s = GetParam();
  auto out = run(s);
  const Decision& d = out->decision;
  std::set<std::string> ids = fired_ids(d);
  for (const auto& id : s.fire) {
    EXPECT_EQ(ids.count(id), 1u) << id << " did not fire\n" << explain(d);
  }
  for (const auto& id : s.not_fire) EXPECT_EQ(ids.count(id), 0u) << id << " fired\n" << explain(d);
  EXPECT_EQ(d.urgency, s.urgency) << explain(d);
  EXPECT_EQ(d.topic, s.topic) << explain(d);
  EXPECT_EQ(d.term, s.term) << explain(d);
  for (const auto& f : d.fired) EXPECT_FALSE(f.why.empty()) << f.id;
}

INSTANTIATE_TEST_SUITE_P(Corpus, DefaultRules, ::testing::ValuesIn(kScenarios),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(DefaultRuleSet, EveryRuleIsExercised) {
  std::set<std::string> exercised;
  for (const Scenario& s : kScenarios) exercised.insert(s.fire.begin(), s.fire.end());
  for (const Rule& r : shipped_rules().rules()) {
    EXPECT_EQ(exercised.count(r.id), 1u) << "no scenario makes " << r.id << " fire";
  }
}

TEST(DefaultRuleSet, UnitIdsAreOnlyPrevention) {
  for (const Rule& r : shipped_rules().rules()) {
    EXPECT_EQ(r.then.unit.value_or("prevention"), "prevention") << r.id;
    EXPECT_FALSE(r.then.officer.has_value()) << r.id;
  }
}

TEST(DefaultRuleSet, ExplanationQuotesTheMessage) {
  const Scenario* inducement = nullptr;
  for (const Scenario& s : kScenarios) {
    if (std::string(s.name) == "InducementToCorruption") inducement = &s;
  }
  ASSERT_NE(inducement, nullptr);
  auto out = run(*inducement);
  const Decision& d = out->decision;
  ASSERT_FALSE(d.fired.empty());
  EXPECT_EQ(d.fired[0].id, "inducement");
  EXPECT_EQ(d.fired[0].why,
            "найдены слова: «склонения к совершению», «склонении к», «целях склонения», "
            "«предложил вознаграждение»");
  EXPECT_EQ(d.fired[0].effect,
            "срочно; тема: «запреты, ограничения и обязанности»; подразделение: prevention; "
            "срок: 4 рабочих часа; уведомить: officer, unit_head; метки: склонение");
  // 15.04.2026 12:03 is in the lunch break: four office hours from 12:48.
  EXPECT_EQ(format_iso8601(d.deadline, hours(3)), "2026-04-15T16:48:00+03:00");
}

TEST(DefaultRuleSet, WholeCorpusEvaluates) {
  // Every message of the corpus goes through the shipped rules without trouble, and every
  // explanation is non-empty.
  int n = 0;
  for (const auto& entry : fs::directory_iterator(kData / "corpus" / "ru")) {
    if (entry.path().extension() != ".eml") continue;
    mm::Message m = mm::parse_message(read_file(entry.path()));
    Appeal a;
    a.message = &m;
    a.received_at = msk("2026-04-15 10:00");
    Decision d = evaluate(shipped_rules(), a, calendar(), EngineSettings{});
    for (const auto& f : d.fired) EXPECT_FALSE(f.why.empty()) << entry.path() << " " << f.id;
    EXPECT_FALSE(d.summary.empty());
    ++n;
  }
  EXPECT_GE(n, 59);
}

}  // namespace
