// The rule engine: stemming and phrases, every condition kind, every action kind and how
// fired rules combine. Each test writes its rules in the file format administrators use.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "rules/engine.hpp"
#include "rules/rule_load.hpp"
#include "rules/text.hpp"

namespace {

using namespace std::chrono;
using namespace mailgate::rules;
namespace mm = mailgate::mail;

const std::string kCalendarDir = std::string(MAILGATE_TEST_DATA) + "/../../rules/calendar/";

SourceFile calendar_file(const std::string& name) {
  std::ifstream in(kCalendarDir + name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return {name, text.str()};
}

const Calendar& calendar() {
  static const Calendar c = Calendar::load(
      calendar_file("office_hours.toml"),
      {calendar_file("2025.toml"), calendar_file("2026.toml"), calendar_file("2027.toml")});
  return c;
}

const Vocabulary kKnown{{"prevention", "hr"}, {"smirnova", "belova"}};

RuleSet rules(const std::string& toml) {
  try {
    return load_rule_set({{"test.toml", toml}}, kKnown);
  } catch (const RuleError& e) {
    ADD_FAILURE() << e.what();
    return RuleSet();
  }
}

/// "2026-04-15 12:03" Moscow time as a UTC time point.
sys_seconds msk(const std::string& local) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  EXPECT_EQ(std::sscanf(local.c_str(), "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi), 5) << local;
  return sys_seconds(sys_days(year_month_day{year(y), month(unsigned(mo)), day(unsigned(d))})) +
         hours(h) + minutes(mi) - hours(3);
}

/// An appeal with its own message; received on a Wednesday afternoon unless changed.
struct TestAppeal {
  mm::Message message;
  Appeal appeal;

  TestAppeal(std::string subject, std::string body) {
    message.subject = std::move(subject);
    message.text = std::move(body);
    message.to.push_back({"Отдел", "antikor@lenobl.example"});
    appeal.sender = "m.ivanova@edu.lenobl.example";
    appeal.mailbox = "INBOX";
    appeal.received_at = msk("2026-04-15 15:00");
  }
  TestAppeal(const TestAppeal&) = delete;

  Decision run(const RuleSet& rs, const EngineSettings& settings = {}) {
    appeal.message = &message;
    return evaluate(rs, appeal, calendar(), settings);
  }
};

/// Whether a rule with the given condition fires on the appeal.
bool fires(const std::string& condition, TestAppeal& a) {
  RuleSet rs = rules("[[rule]]\nid = \"r\"\ndescription = \"т\"\nwhen = " + condition +
                     "\nthen = { tags = [\"hit\"] }\n");
  return !a.run(rs).fired.empty();
}

std::string why(const std::string& condition, TestAppeal& a) {
  RuleSet rs = rules("[[rule]]\nid = \"r\"\ndescription = \"т\"\nwhen = " + condition +
                     "\nthen = { tags = [\"hit\"] }\n");
  Decision d = a.run(rs);
  return d.fired.empty() ? "(did not fire)" : d.fired[0].why;
}

// --- words, stems and phrases ---------------------------------------------------------------

TEST(RulesWords, EveryCaseFormOfAWordMatches) {
  for (const char* form : {"справка", "справки", "справку", "Справкой", "СПРАВКАХ"}) {
    TestAppeal a("Вопрос", std::string("Прошу помочь: ") + form + " не формируется.");
    EXPECT_TRUE(fires(R"({ words = ["справка"] })", a)) << form;
  }
  TestAppeal other("Вопрос", "Прошу помочь: спрашиваю о сроках.");
  EXPECT_FALSE(fires(R"({ words = ["справка"] })", other));
}

TEST(RulesWords, YoIsTheSameAsYe) {
  TestAppeal a("", "Уточнённая справка прилагается.");
  EXPECT_TRUE(fires(R"({ words = ["уточненная справка"] })", a));
  TestAppeal b("", "Уточненная справка прилагается.");
  EXPECT_TRUE(fires(R"({ words = ["уточнённая справка"] })", b));
}

TEST(RulesWords, StemmingHelpers) {
  EXPECT_EQ(stem_phrase("Справки о доходах"), (std::vector<std::string>{"справк", "о", "доход"}));
  EXPECT_EQ(stem_phrase("справку"), stem_phrase("справкам"));
  EXPECT_EQ(fold_case("ЁЛКА Ёж Text"), "елка еж text");
  // A stress mark inside a word does not split it.
  EXPECT_EQ(stem_phrase("спра\u0301вка"), stem_phrase("справка"));
}

TEST(RulesWords, PhraseNeedsConsecutiveWordsAndQuotesThem) {
  TestAppeal a("", "Направляю СПРАВКУ О ДОХОДАХ, расходах за 2025 год.");
  EXPECT_EQ(why(R"({ words = ["справка о доходах"] })", a), "найдено слово «СПРАВКУ О ДОХОДАХ»");
  TestAppeal apart("", "Направляю справку и сведения о доходах.");
  EXPECT_FALSE(fires(R"({ words = ["справка о доходах"] })", apart));
  // Punctuation between the words does not break a phrase.
  TestAppeal comma("", "о доходах, расходах, об имуществе");
  EXPECT_TRUE(fires(R"({ words = ["доходах расходах"] })", comma));
}

TEST(RulesWords, ListsEveryMatchedEntry) {
  TestAppeal a("Подарок", "Получен подарок и сувенирный набор.");
  EXPECT_EQ(why(R"({ words = ["подарок", "взятка", "сувенирный набор"] })", a),
            "найдены слова: «Подарок», «сувенирный набор»");
}

TEST(RulesWords, SubjectOrBodyOnly) {
  TestAppeal a("Справка о доходах", "Добрый день!");
  EXPECT_TRUE(fires(R"({ words = ["справка"], in = "subject" })", a));
  EXPECT_FALSE(fires(R"({ words = ["справка"], in = "body" })", a));
  EXPECT_TRUE(fires(R"({ words = ["справка"] })", a));
  EXPECT_EQ(why(R"({ words = ["справка"], in = "subject" })", a),
            "в теме письма найдено слово «Справка»");
}

TEST(RulesWords, PhraseDoesNotRunFromSubjectIntoBody) {
  TestAppeal a("Справка", "о доходах");
  EXPECT_FALSE(fires(R"({ words = ["справка о доходах"] })", a));
}

TEST(RulesWords, LatinWordsAndNumbers) {
  TestAppeal a("", "Канал в Telegram, закон 79-ФЗ, channels.");
  EXPECT_TRUE(fires(R"({ words = ["telegram"] })", a));
  EXPECT_TRUE(fires(R"({ words = ["79-ФЗ"] })", a));
  EXPECT_TRUE(fires(R"({ words = ["channel"] })", a));  // English stemmer
  EXPECT_FALSE(fires(R"({ words = ["273-ФЗ"] })", a));
}

TEST(RulesWords, OddTextIsHandled) {
  // Broken UTF-8, a decomposed й, a 10,000-letter "word", text ending inside a date.
  TestAppeal a("\xFF\xFEСправка\xD0", "Заи\u0306мы " + std::string(10000, 'x') + " до 15.");
  EXPECT_TRUE(fires(R"({ words = ["справка"] })", a));
  EXPECT_TRUE(fires(R"({ words = ["займы"] })", a));
  EXPECT_FALSE(fires("{ near_date = 3 }", a));
  TestAppeal empty("", "");
  EXPECT_FALSE(fires(R"({ words = ["справка"] })", empty));
  EXPECT_FALSE(fires("{ near_date = 3 }", empty));
  EXPECT_FALSE(fires(R"({ regex = 'x' })", empty));
}

// --- combinators -----------------------------------------------------------------------------

TEST(RulesCombinators, AllAnyNot) {
  TestAppeal a("Подарок", "Получен сувенир.");
  EXPECT_TRUE(fires(R"({ all = [{ words = ["подарок"] }, { words = ["сувенир"] }] })", a));
  EXPECT_FALSE(fires(R"({ all = [{ words = ["подарок"] }, { words = ["взятка"] }] })", a));
  EXPECT_TRUE(fires(R"({ any = [{ words = ["взятка"] }, { words = ["сувенир"] }] })", a));
  EXPECT_FALSE(fires(R"({ any = [{ words = ["взятка"] }, { words = ["отпуск"] }] })", a));
  EXPECT_TRUE(fires(R"({ not = { words = ["взятка"] } })", a));
  EXPECT_FALSE(fires(R"({ not = { words = ["сувенир"] } })", a));
  EXPECT_TRUE(fires(
      R"({ all = [{ any = [{ words = ["взятка"] }, { words = ["подарок"] }] }, { not = { words = ["отпуск"] } }] })",
      a));
}

TEST(RulesCombinators, ExplanationsJoinAndNegate) {
  TestAppeal a("Подарок", "Получен сувенир.");
  EXPECT_EQ(
      why(R"({ all = [{ words = ["подарок"] }, { not = { words = ["взятка", "отпуск"] } }] })", a),
      "найдено слово «Подарок»; нет: слов «взятка», «отпуск»");
  EXPECT_EQ(why(R"({ any = [{ words = ["взятка"] }, { words = ["сувенир"] }] })", a),
            "найдено слово «сувенир»");
}

// --- regular expressions ---------------------------------------------------------------------

TEST(RulesRegex, CaseInsensitiveUnicodeByDefault) {
  TestAppeal a("", "Согласно Федеральному закону № 79-фз от 27.07.2004");
  EXPECT_TRUE(fires(R"({ regex = '№\s*\d+-ФЗ' })", a));
  EXPECT_FALSE(fires(R"({ regex = '№\s*\d+-ФЗ', case_sensitive = true })", a));
  EXPECT_EQ(why(R"({ regex = '№\s*\d+-ФЗ' })", a),
            "текст подходит под выражение «№\\s*\\d+-ФЗ»: «№ 79-фз»");
}

TEST(RulesRegex, SubjectOrBody) {
  TestAppeal a("ЛО-2026-000119", "без номера");
  EXPECT_TRUE(fires(R"({ regex = 'ЛО-\d{4}-\d{6}', in = "subject" })", a));
  EXPECT_FALSE(fires(R"({ regex = 'ЛО-\d{4}-\d{6}', in = "body" })", a));
}

TEST(RulesRegex, ManyPatternsInOneRuleSet) {
  // Patterns of both fields and both case modes share the per-field sets.
  RuleSet rs = rules(R"(
[[rule]]
id = "a"
description = "т"
when = { regex = 'справк[аиу]', in = "subject" }
then = { tags = ["a"] }
[[rule]]
id = "b"
description = "т"
when = { regex = 'ДОХОД', case_sensitive = true }
then = { tags = ["b"] }
[[rule]]
id = "c"
description = "т"
when = { regex = 'доход' }
then = { tags = ["c"] }
)");
  TestAppeal a("Справку направляю", "о доходах");
  EXPECT_EQ(a.run(rs).tags, (std::vector<std::string>{"a", "c"}));
}

// --- sender, mailbox, addressee --------------------------------------------------------------

TEST(RulesSender, AddressAndDomain) {
  TestAppeal a("", "текст");
  a.appeal.sender = "M.Ivanova@Edu.Lenobl.Example";
  EXPECT_TRUE(fires(R"({ sender = "m.ivanova@edu.lenobl.example" })", a));
  EXPECT_FALSE(fires(R"({ sender = ["other@edu.lenobl.example"] })", a));
  EXPECT_TRUE(fires(R"({ sender_domain = "lenobl.example" })", a));       // a subdomain
  EXPECT_TRUE(fires(R"({ sender_domain = "@edu.lenobl.example" })", a));  // the domain itself
  EXPECT_FALSE(fires(R"({ sender_domain = "obl.example" })", a));         // not a suffix of labels
  EXPECT_EQ(why(R"({ sender_domain = "lenobl.example" })", a),
            "отправитель из домена edu.lenobl.example");
}

TEST(RulesSender, MailboxAndAddressee) {
  TestAppeal a("", "текст");
  a.message.cc.push_back({"", "O.Smirnova@lenobl.example"});
  EXPECT_TRUE(fires(R"({ mailbox = "INBOX" })", a));
  EXPECT_FALSE(fires(R"({ mailbox = "Обращения" })", a));
  EXPECT_TRUE(fires(R"({ addressee = "antikor@lenobl.example" })", a));     // To
  EXPECT_TRUE(fires(R"({ addressee = "o.smirnova@lenobl.example" })", a));  // Cc
  a.appeal.addressee = "priem@lenobl.example";  // the envelope addressee the daemon gives
  EXPECT_TRUE(fires(R"({ addressee = "priem@lenobl.example" })", a));
  EXPECT_FALSE(fires(R"({ addressee = "other@lenobl.example" })", a));
}

// --- profile ---------------------------------------------------------------------------------

TEST(RulesProfile, KnownExactValuesAndWords) {
  TestAppeal a("", "текст");
  EXPECT_FALSE(fires(R"({ profile = "known" })", a));
  a.appeal.profile = {true,
                      "Иванова Мария Викторовна",
                      "Председатель комитета",
                      "Head_Of_Executive_Body",
                      "Комитет общего и профессионального образования",
                      "Аппарат"};
  EXPECT_TRUE(fires(R"({ profile = "known" })", a));
  EXPECT_TRUE(fires(R"({ profile = "position_category", is = ["head_of_executive_body"] })", a));
  EXPECT_FALSE(fires(R"({ profile = "position_category", is = "deputy" })", a));
  EXPECT_TRUE(fires(R"({ profile = "position", words = ["председатель"] })", a));
  EXPECT_TRUE(
      fires(R"({ profile = "organisation", words = ["комитет образования", "образования"] })", a));
  EXPECT_FALSE(fires(R"({ profile = "organisation", words = ["комитет образования"] })", a));
  EXPECT_TRUE(fires(R"({ profile = "full_name", is = "иванова мария викторовна" })", a));
  EXPECT_TRUE(fires(R"({ profile = "unit", is = "аппарат" })", a));
  EXPECT_EQ(why(R"({ profile = "position", words = ["председатель комитета"] })", a),
            "должность клиента «Председатель комитета»: найдено «Председатель комитета»");
  // Words of the profile are not words of the message, and the other way round.
  EXPECT_FALSE(fires(R"({ words = ["председатель"] })", a));
}

// --- history ---------------------------------------------------------------------------------

TEST(RulesHistory, MessagesInTheLastDaysCountThisOne) {
  TestAppeal a("", "текст");
  sys_seconds now = a.appeal.received_at;
  a.appeal.history.earlier_messages = {now - days{1}, now - days{6}, now - days{8}};
  EXPECT_TRUE(fires(R"({ history = "messages", days = 7, at_least = 3 })", a));
  EXPECT_FALSE(fires(R"({ history = "messages", days = 7, at_least = 4 })", a));
  EXPECT_FALSE(fires(R"({ history = "messages", days = 5, at_least = 3 })", a));
  EXPECT_EQ(why(R"({ history = "messages", days = 7, at_least = 3 })", a),
            "от отправителя 3 обращения за 7 дней, считая это");
}

TEST(RulesHistory, OpenCases) {
  TestAppeal a("", "текст");
  EXPECT_FALSE(fires(R"({ history = "open_cases" })", a));
  a.appeal.history.open_cases = 2;
  EXPECT_TRUE(fires(R"({ history = "open_cases" })", a));
  EXPECT_TRUE(fires(R"({ history = "open_cases", at_least = 2 })", a));
  EXPECT_FALSE(fires(R"({ history = "open_cases", at_least = 3 })", a));
}

TEST(RulesHistory, SimilarEarlierCaseIsNamed) {
  TestAppeal a("Конфликт интересов",
               "Моя дочь с 01.03.2026 работает в подведомственном учреждении, в отношении "
               "которого я провожу плановую проверку. Прошу сообщить, достаточно ли уведомить "
               "представителя нанимателя?");
  sys_seconds now = a.appeal.received_at;
  a.appeal.history.past_cases = {
      {"ЛО-2026-000100", now - days{20}, "Подарок. Получен подарок на конференции."},
      {"ЛО-2026-000185", now - days{23},
       "Уведомление о конфликте интересов. Моя дочь работает в подведомственном учреждении, "
       "в отношении которого я провожу плановую проверку. Прошу сообщить, достаточно ли "
       "уведомить представителя нанимателя, или нужен самоотвод?"},
  };
  EXPECT_TRUE(fires(R"({ history = "similar", threshold = 0.6 })", a));
  EXPECT_FALSE(fires(R"({ history = "similar", threshold = 0.95 })", a));
  EXPECT_FALSE(fires(R"({ history = "similar", days = 10 })", a));  // too long ago
  std::string w = why(R"({ history = "similar" })", a);
  EXPECT_NE(w.find("текст похож на обращение ЛО-2026-000185 от 23.03.2026 (сходство "),
            std::string::npos)
      << w;
  EXPECT_NE(w.find("ч. 5 ст. 11"), std::string::npos) << w;
}

// --- attachments -----------------------------------------------------------------------------

TEST(RulesAttachments, CountTypeAndName) {
  TestAppeal a("", "текст");
  EXPECT_FALSE(fires(R"({ attachments = "count" })", a));
  EXPECT_TRUE(fires(R"({ attachments = "count", at_least = 0, at_most = 0 })", a));
  a.message.attachments = {
      {"Справка_Иванова.XSB", "application/octet-stream", 100, "", false},
      {"scan.png", "image/png", 100, "", false},
      {"inner.pdf", "application/pdf", 100, "", true},  // inside a forwarded message
  };
  EXPECT_TRUE(fires(R"({ attachments = "count", at_least = 2, at_most = 2 })", a));
  EXPECT_FALSE(fires(R"({ attachments = "count", at_least = 3 })", a));
  EXPECT_TRUE(fires(R"({ attachments = "type", is = ["image/*"] })", a));
  EXPECT_TRUE(
      fires(R"({ attachments = "type", is = "application/pdf" })", a));  // nested counts here
  EXPECT_FALSE(fires(R"({ attachments = "type", is = "application/msword" })", a));
  EXPECT_TRUE(fires(R"({ attachments = "name", glob = "*.xsb" })", a));
  EXPECT_TRUE(fires(R"({ attachments = "name", glob = "справка_???????.*" })", a));
  EXPECT_FALSE(fires(R"({ attachments = "name", glob = "справка_??????.*" })", a));
  EXPECT_EQ(why(R"({ attachments = "name", glob = "*.xsb" })", a),
            "вложение «Справка_Иванова.XSB» (application/octet-stream)");
  EXPECT_EQ(why(R"({ attachments = "count", at_least = 2 })", a), "вложений: 2");
}

// --- dates and arrival -----------------------------------------------------------------------

TEST(RulesDates, WindowOfTheYear) {
  TestAppeal a("", "текст");
  const std::string campaign = R"({ dates = "02-10..04-30" })";
  a.appeal.received_at = msk("2026-04-30 23:59");
  EXPECT_TRUE(fires(campaign, a));
  EXPECT_EQ(why(campaign, a), "дата поступления 30.04.2026 в периоде 10.02–30.04");
  a.appeal.received_at = msk("2026-05-01 00:00");
  EXPECT_FALSE(fires(campaign, a));
  a.appeal.received_at = msk("2026-02-10 00:00");
  EXPECT_TRUE(fires(campaign, a));
  // 21:30 UTC on 9 February is already 10 February in Moscow.
  a.appeal.received_at = sys_days(year(2026) / 2 / 9) + hours(21) + minutes(30);
  EXPECT_TRUE(fires(campaign, a));
}

TEST(RulesDates, WrapsTheNewYearAndYearOverrides) {
  TestAppeal a("", "текст");
  const std::string gifts = R"({ dates = "12-01..01-31" })";
  a.appeal.received_at = msk("2026-01-15 10:00");
  EXPECT_TRUE(fires(gifts, a));
  a.appeal.received_at = msk("2026-12-31 10:00");
  EXPECT_TRUE(fires(gifts, a));
  a.appeal.received_at = msk("2026-02-01 10:00");
  EXPECT_FALSE(fires(gifts, a));

  const std::string moved = R"({ dates = "02-10..04-30", overrides = { 2020 = "02-10..08-01" } })";
  a.appeal.received_at = msk("2020-07-15 10:00");
  EXPECT_TRUE(fires(moved, a));
  EXPECT_EQ(why(moved, a), "дата поступления 15.07.2020 в периоде 10.02–01.08");
  a.appeal.received_at = msk("2021-07-15 10:00");
  EXPECT_FALSE(fires(moved, a));
}

TEST(RulesDates, LeapDay) {
  TestAppeal a("", "текст");
  const std::string window = R"({ dates = "02-20..02-29" })";
  a.appeal.received_at = msk("2027-02-28 10:00");  // a common year: the window ends on the 28th
  EXPECT_TRUE(fires(window, a));
  a.appeal.received_at = msk("2027-03-01 10:00");
  EXPECT_FALSE(fires(window, a));
}

TEST(RulesArrival, OfficeHoursOutsideAndDaysOff) {
  TestAppeal a("", "текст");
  const std::string open = R"({ arrival = "office_hours" })";
  const std::string closed = R"({ arrival = "outside_office_hours" })";
  const std::string day_off = R"({ arrival = "day_off" })";
  a.appeal.received_at = msk("2026-04-15 10:00");  // Wednesday morning
  EXPECT_TRUE(fires(open, a));
  EXPECT_FALSE(fires(closed, a));
  EXPECT_FALSE(fires(day_off, a));
  EXPECT_EQ(why(open, a), "поступило в рабочее время (ср 15.04.2026 10:00)");
  a.appeal.received_at = msk("2026-04-15 12:30");  // lunch
  EXPECT_TRUE(fires(closed, a));
  a.appeal.received_at = msk("2026-04-17 17:30");  // Friday closes at 17:00
  EXPECT_TRUE(fires(closed, a));
  a.appeal.received_at = msk("2026-04-30 17:30");  // shortened pre-holiday Thursday
  EXPECT_TRUE(fires(closed, a));
  a.appeal.received_at = msk("2026-05-01 10:00");  // holiday
  EXPECT_TRUE(fires(day_off, a));
  EXPECT_TRUE(fires(closed, a));
  EXPECT_EQ(why(day_off, a), "поступило в нерабочий день (пт 01.05.2026 10:00)");
}

// --- a date in the next days -----------------------------------------------------------------

struct NearCase {
  const char* text;
  const char* received;  ///< Moscow time
  bool fires;
  const char* why;
};

class RulesNearDate : public ::testing::TestWithParam<NearCase> {};

TEST_P(RulesNearDate, Finds) {
  const NearCase& c = GetParam();
  TestAppeal a("Вопрос", c.text);
  a.appeal.received_at = msk(c.received);
  EXPECT_EQ(fires("{ near_date = 3 }", a), c.fires) << c.text;
  if (c.fires) {
    EXPECT_EQ(why("{ near_date = 3 }", a), c.why);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RulesNearDate,
    ::testing::Values(
        NearCase{"Ответ нужен завтра.", "2026-03-31 16:39", true,
                 "упомянута близкая дата: «завтра» (01.04.2026)"},
        NearCase{"Нужно послезавтра.", "2026-03-31 16:39", true,
                 "упомянута близкая дата: «послезавтра» (02.04.2026)"},
        NearCase{"Ответ нужен сегодня до 18:00.", "2026-03-31 10:00", true,
                 "упомянута близкая дата: «сегодня до» (31.03.2026)"},
        NearCase{"Ответ нужен до 18:00 сегодня.", "2026-03-31 10:00", true,
                 "упомянута близкая дата: «до 18:00 сегодня» (31.03.2026)"},
        NearCase{"Прошу зарегистрировать сегодня же.", "2026-04-15 12:03", true,
                 "упомянута близкая дата: «сегодня же» (15.04.2026)"},
        NearCase{"Сведения нужно подать до 15.04.2026.", "2026-04-13 13:00", true,
                 "упомянута близкая дата: «до 15.04.2026» (15.04.2026)"},
        NearCase{"Срок 16.04.26, прошу ответить.", "2026-04-13 13:00", true,
                 "упомянута близкая дата: «16.04.26» (16.04.2026)"},
        NearCase{"Заседание 02.01, прошу успеть.", "2026-12-30 10:00", true,
                 "упомянута близкая дата: «02.01» (02.01.2027)"},
        NearCase{"Конкурс проходит 2 апреля.", "2026-03-31 10:00", true,
                 "упомянута близкая дата: «2 апреля» (02.04.2026)"},
        NearCase{"Конкурс проходит 3 апреля 2026 г.", "2026-03-31 10:00", true,
                 "упомянута близкая дата: «3 апреля 2026» (03.04.2026)"},
        // Four days ahead is outside the window; past dates and non-dates do not count.
        NearCase{"Проверка начинается 19.04.2026.", "2026-04-15 10:50", false, ""},
        NearCase{"Моя дочь с 01.03.2026 работает в учреждении.", "2026-04-15 10:50", false, ""},
        NearCase{"Сегодня ко мне обратился представитель подрядчика.", "2026-04-15 12:03", false,
                 ""},
        NearCase{"СПО «Справки БК» (версия 2.5.4) и 16.04.2026.1 не даты.", "2026-04-15 10:00",
                 false, ""},
        NearCase{"Заседание в 16.00, телефон 539-51-26.", "2026-04-15 10:00", false, ""}));

// --- actions and how they combine ------------------------------------------------------------

const char* kScoring = R"(
[[rule]]
id = "urgent-words"
description = "Срочно"
when = { words = ["срочно"] }
then = { score = 5 }

[[rule]]
id = "near-date"
description = "Близкая дата"
when = { near_date = 3 }
then = { score = 6, tags = ["близкий срок"] }
)";

TEST(RulesActions, ScoreAgainstThreshold) {
  RuleSet rs = rules(kScoring);
  TestAppeal words_only("Срочно", "Прошу ответить.");
  Decision d = words_only.run(rs);
  EXPECT_EQ(d.score, 5);
  EXPECT_EQ(d.urgency, "normal");
  TestAppeal both("Срочно", "Ответ нужен завтра.");
  d = both.run(rs);
  EXPECT_EQ(d.score, 11);
  EXPECT_EQ(d.urgency, "urgent");
  EXPECT_NE(d.summary.find("Срочно: баллы: 11 при пороге 10."), std::string::npos) << d.summary;
  EngineSettings strict;
  strict.urgent_score = 12;
  EXPECT_EQ(both.run(rs, strict).urgency, "normal");
}

TEST(RulesActions, UrgentForcesAndNormalOverridesTheScore) {
  RuleSet rs = rules(std::string(kScoring) + R"(
[[rule]]
id = "list"
description = "Рассылка"
when = { sender_domain = "lists.lenobl.example" }
then = { urgency = "normal" }

[[rule]]
id = "gift"
description = "Подарок"
when = { words = ["подарок"] }
then = { urgency = "urgent" }
)");
  TestAppeal gift("Подарок", "Получен подарок.");
  Decision d = gift.run(rs);
  EXPECT_EQ(d.score, 0);
  EXPECT_EQ(d.urgency, "urgent");
  EXPECT_NE(d.summary.find("Срочно: правило gift требует срочного ответа"), std::string::npos);

  TestAppeal list("Срочно", "Завтра семинар.");
  list.appeal.sender = "antikor-info@lists.lenobl.example";
  d = list.run(rs);
  EXPECT_EQ(d.score, 11);
  EXPECT_EQ(d.urgency, "normal");
  list.message.text = "Завтра семинар, подарок каждому.";
  EXPECT_EQ(list.run(rs).urgency, "urgent");  // urgent beats normal
}

TEST(RulesActions, FirstTopicUnitAndOfficerWin) {
  RuleSet rs = rules(R"(
[[rule]]
id = "conflict"
description = "Конфликт"
when = { words = ["конфликт интересов"] }
then = { topic = "conflict_of_interest", unit = "prevention", officer = "smirnova" }

[[rule]]
id = "gift"
description = "Подарок"
when = { words = ["подарок"] }
then = { topic = "restrictions", unit = "hr", officer = "belova" }
)");
  TestAppeal both("", "Подарок от родственника: конфликт интересов?");
  Decision d = both.run(rs);
  EXPECT_EQ(d.topic, "conflict_of_interest");
  EXPECT_EQ(d.unit, "prevention");
  EXPECT_EQ(d.officer, "smirnova");
  ASSERT_EQ(d.fired.size(), 2u);
  EXPECT_EQ(d.fired[0].effect,
            "тема: «конфликт интересов»; подразделение: prevention; исполнитель: smirnova");
  EXPECT_EQ(d.fired[1].effect,
            "тема «запреты, ограничения и обязанности» не применено: уже задано правилом conflict; "
            "подразделение hr не применено: уже задано правилом conflict; "
            "исполнитель belova не применено: уже задано правилом conflict");
  EXPECT_EQ(d.fired[1].source, "test.toml:8");

  TestAppeal none("", "Вопрос о другом.");
  d = none.run(rs);
  EXPECT_EQ(d.topic, "other");
  EXPECT_EQ(d.unit, "");
  EXPECT_TRUE(d.fired.empty());
  EXPECT_NE(d.summary.find("Ни одно правило не сработало."), std::string::npos);
}

TEST(RulesActions, TermWithTheEarliestDeadlineWins) {
  RuleSet rs = rules(R"(
[[rule]]
id = "slow"
description = "т"
when = { words = ["справка"] }
then = { term = "10 дней" }

[[rule]]
id = "fast"
description = "т"
when = { words = ["срочно"] }
then = { term = "4 working hours" }

[[rule]]
id = "medium"
description = "т"
when = { words = ["справка"] }
then = { term = "2 рабочих дня" }
)");
  TestAppeal a("Справка", "Срочно");
  a.appeal.received_at = msk("2026-04-15 12:03");  // Wednesday, during lunch
  Decision d = a.run(rs);
  EXPECT_EQ(d.term, "4 working hours");
  // 12:48-16:48 is four office hours.
  EXPECT_EQ(format_iso8601(d.deadline, hours(3)), "2026-04-15T16:48:00+03:00");
  EXPECT_EQ(d.fired[2].effect, "срок 2 рабочих дня не применён: правило fast даёт срок не позже");

  TestAppeal slow("Справка", "");
  slow.appeal.received_at = msk("2026-04-15 12:03");
  d = slow.run(rs);
  EXPECT_EQ(d.term, "2 working days");
  EXPECT_EQ(format_iso8601(d.deadline, hours(3)), "2026-04-17T17:00:00+03:00");  // Friday
  EXPECT_NE(d.summary.find("Срок ответа: 2 рабочих дня (правило medium), до 17.04.2026 17:00."),
            std::string::npos)
      << d.summary;
}

TEST(RulesActions, DefaultAndUrgentTerms) {
  RuleSet rs = rules(kScoring);
  TestAppeal a("Срочно", "Завтра!");
  a.appeal.received_at = msk("2026-01-12 10:00");
  Decision d = a.run(rs);
  EXPECT_EQ(d.term, "2 working days");  // urgent by score, no rule set a term
  EXPECT_EQ(format_iso8601(d.deadline, hours(3)), "2026-01-14T18:00:00+03:00");
  EXPECT_NE(d.summary.find("(срок для срочных обращений по умолчанию)"), std::string::npos);
  EngineSettings s;
  s.urgent_term = Term{1, TermUnit::working_days};
  d = a.run(rs, s);
  EXPECT_EQ(d.term, "1 working day");
  EXPECT_EQ(format_iso8601(d.deadline, hours(3)), "2026-01-13T18:00:00+03:00");
  s.urgent_term.reset();
  d = a.run(rs, s);
  EXPECT_EQ(d.term, "30 days");
  EXPECT_EQ(format_iso8601(d.deadline, hours(3)), "2026-02-11T18:00:00+03:00");
  EXPECT_NE(d.summary.find("(срок по умолчанию)"), std::string::npos);
  // Not urgent: the urgent term does not apply.
  TestAppeal calm("Вопрос", "Добрый день");
  calm.appeal.received_at = msk("2026-01-12 10:00");
  EXPECT_EQ(calm.run(rs).term, "30 days");
}

TEST(RulesActions, NotifyKbAndTagsAreCollectedOnce) {
  RuleSet rs = rules(R"(
[[rule]]
id = "a"
description = "т"
when = { words = ["подарок"] }
then = { notify = ["officer"], kb = ["https://kb/gifts"], tags = ["подарок"] }

[[rule]]
id = "b"
description = "т"
when = { words = ["подарок"] }
then = { notify = ["unit_head", "officer", "belova"], kb = ["https://kb/gifts", "https://kb/x"], tags = ["подарок", "x"] }
)");
  TestAppeal a("", "подарок");
  Decision d = a.run(rs);
  EXPECT_EQ(d.notify, (std::vector<std::string>{"officer", "unit_head", "belova"}));
  EXPECT_EQ(d.kb_links, (std::vector<std::string>{"https://kb/gifts", "https://kb/x"}));
  EXPECT_EQ(d.tags, (std::vector<std::string>{"подарок", "x"}));
}

TEST(RulesActions, StopEndsEvaluation) {
  RuleSet rs = rules(R"(
[[rule]]
id = "first"
description = "т"
when = { words = ["подарок"] }
then = { score = 1, stop = true }

[[rule]]
id = "second"
description = "т"
when = { words = ["подарок"] }
then = { score = 100 }
)");
  TestAppeal a("", "подарок");
  Decision d = a.run(rs);
  EXPECT_EQ(d.score, 1);
  ASSERT_EQ(d.fired.size(), 1u);
  EXPECT_EQ(d.fired[0].effect, "+1 балл; остальные правила не проверялись");
}

TEST(RulesActions, RuleWithoutConditionAlwaysFires) {
  RuleSet rs = rules(R"(
[[rule]]
id = "always"
description = "Всем обращениям — отдел профилактики"
then = { unit = "prevention" }
)");
  TestAppeal a("", "");
  Decision d = a.run(rs);
  EXPECT_EQ(d.unit, "prevention");
  EXPECT_EQ(d.fired.at(0).why, "правило применяется всегда");
}

TEST(RulesActions, DisabledRuleIsSkipped) {
  RuleSet rs = rules(R"(
[[rule]]
id = "off"
description = "т"
enabled = false
then = { score = 50 }
)");
  EXPECT_TRUE(rs.rules().empty());
}

TEST(RulesActions, MissingMessageAndProvisionalYearWarn) {
  RuleSet rs = rules(kScoring);
  Appeal a;
  a.received_at = msk("2027-03-01 10:00");
  Decision d = evaluate(rs, a, calendar(), EngineSettings{});
  EXPECT_EQ(d.warnings, (std::vector<std::string>{"no message text to evaluate",
                                                  "2027 calendar is provisional"}));
}

TEST(RulesActions, TermsInRussian) {
  EXPECT_EQ(term_text(parse_term("1 working day")), "1 рабочий день");
  EXPECT_EQ(term_text(parse_term("22 working days")), "22 рабочих дня");
  EXPECT_EQ(term_text(parse_term("11 days")), "11 дней");
  EXPECT_EQ(term_text(parse_term("21 working hours")), "21 рабочий час");
}

}  // namespace
