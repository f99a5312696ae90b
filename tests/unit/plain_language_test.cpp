// The plain-language check (R9): readability, long sentences, канцеляризмы with inflection,
// bare citations of legal acts, and the sentence splitting they all rest on.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "templates/cliches.hpp"
#include "templates/legal_citation.hpp"
#include "templates/plain_language.hpp"
#include "templates/sentences.hpp"

namespace {

using namespace mailgate::templates;

const std::vector<std::string>& shipped() {
  static const std::vector<std::string> list = parse_cliche_list(shipped_cliche_list());
  return list;
}

LintReport check(const std::string& text, LintSettings settings = {}) {
  return check_plain_language(text, settings, shipped());
}

std::vector<std::string> sentence_texts(const std::string& text) {
  std::vector<std::string> out;
  for (const Sentence& s : split_sentences(text)) out.push_back(s.text);
  return out;
}

std::vector<const Finding*> of_kind(const LintReport& r, FindingKind kind) {
  std::vector<const Finding*> out;
  for (const Finding& f : r.findings) {
    if (f.kind == kind) out.push_back(&f);
  }
  return out;
}

const std::string kPlain =
    "Справку о доходах нужно сдать до 30 апреля. В ней указывают доходы за прошлый год: "
    "зарплату, проценты по вкладам, продажу машины или квартиры. Если вы не успеете, напишите "
    "нам заранее. Мы подскажем, что делать.\n\nЕсли вы нашли ошибку в уже сданной справке, её "
    "можно исправить до 31 мая.\n";

const std::string kBureaucratic =
    "Управлением осуществлено рассмотрение обращения заявителя по вопросу представления "
    "сведений о доходах. Представление указанных сведений осуществляется государственными "
    "гражданскими служащими ежегодно не позднее 30 апреля года, следующего за отчетным. "
    "Непредставление сведений является основанием для применения мер дисциплинарной "
    "ответственности.\n";

// --- readability ---------------------------------------------------------------------------

TEST(PlainLanguage, ReadabilityFormula) {
  // 3 words, 6 syllables, 1 sentence: 206.835 − 1.3 × 3 − 60.1 × 2.
  LintReport r = check("Мама мыла раму.");
  EXPECT_EQ(r.sentences, 1u);
  EXPECT_EQ(r.words, 3u);
  EXPECT_EQ(r.syllables, 6u);
  EXPECT_NEAR(r.readability, 206.835 - 1.3 * 3 - 60.1 * 2, 1e-9);
}

TEST(PlainLanguage, PlainTextPasses) {
  LintReport r = check(kPlain);
  EXPECT_TRUE(r.passed) << format_report(r, "plain");
  EXPECT_GT(r.readability, 60);
  EXPECT_TRUE(r.findings.empty()) << format_report(r, "plain");
}

TEST(PlainLanguage, BureaucraticTextFails) {
  LintReport r = check(kBureaucratic);
  EXPECT_FALSE(r.passed);
  EXPECT_FALSE(r.readability_ok);
  EXPECT_LT(r.readability, 20);
  EXPECT_GE(r.cliches, 5u);
}

TEST(PlainLanguage, ReadabilityAloneCanFail) {
  // No clichés, short sentences, but long words only.
  const std::string text =
      "Государственные гражданские служащие представляют декларации ежегодно. "
      "Непредставление влечёт дисциплинарную ответственность.";
  LintReport r = check(text);
  EXPECT_EQ(r.cliches, 0u);
  EXPECT_TRUE(of_kind(r, FindingKind::long_sentence).empty());
  EXPECT_FALSE(r.readability_ok);
  EXPECT_FALSE(r.passed);
  LintSettings lenient;
  lenient.min_readability = -100;
  EXPECT_TRUE(check(text, lenient).passed);
}

TEST(PlainLanguage, EmptyTextPasses) {
  LintReport r = check("");
  EXPECT_TRUE(r.passed);
  EXPECT_EQ(r.words, 0u);
  EXPECT_DOUBLE_EQ(r.readability, 206.835);
  EXPECT_TRUE(check("  \n\n ...  \n").passed);
}

TEST(PlainLanguage, LinksAreShortWords) {
  // A long URL or address is one word of one syllable.
  auto sentences = split_sentences(
      "Пишите на anticorruption.department@example.org или читайте "
      "https://example.org/knowledge-base/declarations/income-and-property.");
  ASSERT_EQ(sentences.size(), 1u);
  const auto& words = sentences[0].words;
  ASSERT_EQ(words.size(), 6u);
  EXPECT_TRUE(words[2].link);
  EXPECT_EQ(words[2].syllables, 1u);
  EXPECT_TRUE(words[5].link);
  EXPECT_EQ(words[5].text, "https://example.org/knowledge-base/declarations/income-and-property");
  EXPECT_EQ(words[5].syllables, 1u);
}

TEST(PlainLanguage, SyllablesAreRussianAndLatinVowels) {
  auto s = split_sentences("Ёлка ЮЛА yes в 59-ФЗ 2026");
  ASSERT_EQ(s.size(), 1u);
  std::vector<std::size_t> syllables;
  for (const auto& w : s[0].words) syllables.push_back(w.syllables);
  // ё, а | Ю, А | e | none | none in "59-ФЗ" but a number counts as one | number: one
  EXPECT_EQ(syllables, (std::vector<std::size_t>{2, 2, 2, 0, 1, 1}));
  EXPECT_EQ(s[0].words[0].folded, "елка");
  EXPECT_EQ(s[0].words[1].folded, "юла");
}

// --- long sentences ------------------------------------------------------------------------

TEST(PlainLanguage, LongSentenceIsReportedWithItsStart) {
  std::string sentence = "Первое";
  for (int i = 0; i < 31; ++i) sentence += " слово";
  const std::string text = "Коротко.\n\nЕщё коротко.\n" + sentence + ".\n";
  LintReport r = check(text);
  auto found = of_kind(r, FindingKind::long_sentence);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->line, 4u);
  EXPECT_EQ(found[0]->message,
            "длинное предложение (32 слова, не больше 25): «Первое слово слово слово слово "
            "слово слово слово…» — разделите его на два-три коротких");
  EXPECT_FALSE(r.passed);

  LintSettings wide;
  wide.max_sentence_words = 32;
  EXPECT_TRUE(of_kind(check(text, wide), FindingKind::long_sentence).empty());
}

TEST(PlainLanguage, FormatReport) {
  std::string sentence = "Начало";
  for (int i = 0; i < 31; ++i) sentence += " предложения";
  LintReport r = check("Тема\n\n" + sentence + ".\nЭто осуществляется быстро.\n");
  const std::string report = format_report(r, "answer.txt");
  const std::string first = report.substr(0, report.find('\n'));
  EXPECT_TRUE(first.starts_with("answer.txt: удобочитаемость ")) << first;
  EXPECT_TRUE(first.ends_with("— проверка не пройдена")) << first;
  EXPECT_NE(report.find("\nanswer.txt:3: длинное предложение (32 слова, не больше 25): "
                        "«Начало предложения"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("\nanswer.txt:4: канцеляризм «осуществляется» — лучше: делать, "
                        "проводить\n"),
            std::string::npos)
      << report;
  EXPECT_TRUE(format_report(check(kPlain), "x").find("— проверка пройдена\n") != std::string::npos);
  EXPECT_TRUE(format_report(r, "").find("\nстрока 3: длинное") != std::string::npos);
}

// --- clichés -------------------------------------------------------------------------------

TEST(PlainLanguage, ClicheListFormat) {
  auto entries = parse_cliche_list(
      "# comment\n"
      "\n"
      "  осуществ*   =  делать,  проводить  # trailing comment\n"
      "в  целях = чтобы\r\n"
      "данный\n"
      "слово#без-пробела\n");
  EXPECT_EQ(entries, (std::vector<std::string>{"осуществ* = делать, проводить", "в целях = чтобы",
                                               "данный", "слово#без-пробела"}));
}

TEST(PlainLanguage, ShippedClicheList) {
  const auto& list = shipped();
  EXPECT_GE(list.size(), 60u);
  auto has = [&](const std::string& prefix) {
    return std::any_of(list.begin(), list.end(),
                       [&](const std::string& e) { return e.starts_with(prefix); });
  };
  for (const char* e : {"данный", "в целях", "осуществ*", "явля*", "в рамках", "в настоящее время",
                        "на основании вышеизложенного", "дов* до сведения"}) {
    EXPECT_TRUE(has(e)) << e;
  }
  // A citation may accompany an explanation: "в соответствии с" alone is no cliché.
  EXPECT_FALSE(has("в соответствии с ="));
  EXPECT_FALSE(std::any_of(list.begin(), list.end(),
                           [](const std::string& e) { return e == "в соответствии с"; }));
}

TEST(PlainLanguage, ClichesWithInflection) {
  const std::string text =
      "Проверка осуществляется каждый год.\n"
      "Проверка осуществлена вовремя.\n"
      "Мы осуществили проверку.\n"
      "Данный вопрос является важным.\n"
      "ДАННОЕ письмо пришло в целях проверки.\n"
      "Доводим до вашего сведения, что всё хорошо.\n"
      "В настоящее время всё хорошо.\n";
  LintReport r = check(text);
  std::vector<std::pair<std::size_t, std::string>> found;
  for (const Finding* f : of_kind(r, FindingKind::cliche)) {
    found.emplace_back(f->line, f->message.substr(0, f->message.find(" — ")));
  }
  EXPECT_EQ(found, (std::vector<std::pair<std::size_t, std::string>>{
                       {1, "канцеляризм «осуществляется»"},
                       {2, "канцеляризм «осуществлена»"},
                       {3, "канцеляризм «осуществили»"},
                       {4, "канцеляризм «Данный»"},
                       {4, "канцеляризм «является»"},
                       {5, "канцеляризм «ДАННОЕ»"},
                       {5, "канцеляризм «в целях»"},
                       {6, "канцеляризм «Доводим до вашего сведения»"},
                       {7, "канцеляризм «В настоящее время»"},
                   }));
  EXPECT_EQ(r.cliches, 9u);
  EXPECT_FALSE(r.passed);
  LintSettings tolerant;
  tolerant.max_cliches = 9;
  EXPECT_TRUE(of_kind(check(text, tolerant), FindingKind::cliche).size() == 9u);
}

TEST(PlainLanguage, ClichesMatchWholeWordsOnly) {
  // "данные" (information) is not "данный"; "целях" without "в" is not "в целях";
  // "явка" does not start with "явля".
  LintReport r = check(
      "Ваши данные мы храним. По данным банка, всё верно. О целях письма скажем позже. "
      "Явка обязательна. Ёлка стоит у входа.");
  EXPECT_EQ(r.cliches, 0u) << format_report(r, "t");
}

TEST(PlainLanguage, ClicheWithYoAndCustomList) {
  std::vector<std::string> list = parse_cliche_list("в полном объёме = полностью\nпроизв*\n");
  LintReport r = check_plain_language("Оплата прошла в полном объеме. Мы произвели расчёт.",
                                      LintSettings{}, list);
  EXPECT_EQ(r.cliches, 2u);
  auto found = of_kind(r, FindingKind::cliche);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0]->message, "канцеляризм «в полном объеме» — лучше: полностью");
  EXPECT_EQ(found[1]->message, "канцеляризм «произвели» — скажите проще");
}

TEST(PlainLanguage, ClicheDoesNotCrossSentences) {
  LintReport r = check("Мы живём в. Целях нет.");
  EXPECT_EQ(r.cliches, 0u);
}

// --- bare citations ------------------------------------------------------------------------

const char* const kBare[] = {
    "В соответствии с п. 3 ст. 11 Федерального закона № 59-ФЗ.",
    "Основание: ч. 1 ст. 11 Федерального закона от 02.05.2006 № 59-ФЗ «О порядке рассмотрения "
    "обращений граждан Российской Федерации».",
    "Руководствуясь статьей 11 Федерального закона № 59-ФЗ, в удовлетворении обращения "
    "отказано.",
    "Ваше обращение оставлено без ответа согласно действующему законодательству.",
    "На основании ч. 4 ст. 11 59-ФЗ ответ не дается.",
    "Отказано на основании постановления Правительства РФ от 09.01.2014 № 10.",
    "В силу пункта 2 статьи 8 Федерального закона от 25.12.2008 № 273-ФЗ «О противодействии "
    "коррупции» данный вопрос не подлежит рассмотрению.",
    "По существу поставленных вопросов сообщаем, что ваше обращение рассмотрено в "
    "установленном порядке согласно ст. 12 закона № 59-ФЗ.",
};

const char* const kExplained[] = {
    "Мы не можем ответить, потому что в письме нет подписи и обратного адреса (ч. 1 ст. 11 "
    "Федерального закона № 59-ФЗ).",
    "Согласно ст. 11 закона № 59-ФЗ письмо без подписи и адреса остаётся без ответа, потому "
    "что нам некуда и некому отвечать.",
    "Закон разрешает не отвечать по существу на письма с оскорблениями и угрозами (часть 3 "
    "статьи 11 Федерального закона № 59-ФЗ).",
    "Подарок стоит дороже 3000 рублей, поэтому его нужно сдать (постановление Правительства "
    "№ 10).",
};

TEST(PlainLanguage, BareCitations) {
  for (const char* text : kBare) {
    auto sentences = split_sentences(text);
    ASSERT_EQ(sentences.size(), 1u) << text;
    EXPECT_TRUE(analyse_citation(sentences[0]).cites) << text;
    EXPECT_TRUE(is_bare_citation(sentences[0], 2)) << text;
    EXPECT_TRUE(only_legal_citations(text)) << text;
    LintReport r = check(text);
    EXPECT_EQ(of_kind(r, FindingKind::bare_citation).size(), 1u) << text;
    EXPECT_FALSE(r.passed) << text;
  }
}

TEST(PlainLanguage, CitationsWithExplanation) {
  for (const char* text : kExplained) {
    auto sentences = split_sentences(text);
    ASSERT_EQ(sentences.size(), 1u) << text;
    EXPECT_TRUE(analyse_citation(sentences[0]).cites) << text;
    EXPECT_FALSE(is_bare_citation(sentences[0], 2)) << text;
    EXPECT_FALSE(only_legal_citations(text)) << text;
    EXPECT_TRUE(of_kind(check(text), FindingKind::bare_citation).empty()) << text;
  }
}

TEST(PlainLanguage, BareCitationMessage) {
  LintReport r = check(
      "Мы прочитали письмо.\nВ соответствии с п. 3 ст. 11 Федерального закона "
      "№ 59-ФЗ.");
  auto found = of_kind(r, FindingKind::bare_citation);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->line, 2u);
  EXPECT_EQ(found[0]->message,
            "ссылка на закон без объяснения: «В соответствии с п. 3 ст. 11 Федерального…» — "
            "объясните простыми словами, что это значит для человека; ссылку можно "
            "оставить в скобках");
}

TEST(PlainLanguage, OnlyLegalCitationsOnWholeGrounds) {
  // Several bare sentences: still only citations.
  EXPECT_TRUE(only_legal_citations(std::string(kBare[0]) + " " + kBare[3]));
  // An explanation in another sentence: the citation accompanies it.
  EXPECT_FALSE(only_legal_citations(
      "В письме нет обратного адреса, поэтому нам некуда отправить ответ. Основание: ч. 1 "
      "ст. 11 Федерального закона № 59-ФЗ."));
  // No citation at all: not this check's business.
  EXPECT_FALSE(only_legal_citations("Отказано."));
  EXPECT_FALSE(only_legal_citations(""));
  // A stricter or looser notion of "explains".
  const char* terse = "Письмо без подписи: в ответе отказано (ч. 1 ст. 11 закона № 59-ФЗ).";
  EXPECT_FALSE(only_legal_citations(terse));
  EXPECT_TRUE(only_legal_citations(terse, 3));
  EXPECT_TRUE(only_legal_citations(kExplained[3], 100));
}

TEST(PlainLanguage, WordsThatOnlyLookLikeCitations) {
  // "пункт" without a number, "статья" in a newspaper sense: no citation.
  for (const char* text : {"Пункт приёма работает до вечера.", "Мы прочитали вашу статью."}) {
    auto s = split_sentences(text);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_FALSE(analyse_citation(s[0]).cites) << text;
  }
}

// --- sentence splitting --------------------------------------------------------------------

TEST(PlainLanguage, SentencesSurviveAbbreviations) {
  EXPECT_EQ(sentence_texts("Приходите по адресу: г. Санкт-Петербург, ул. Смольного, д. 3, каб. "
                           "101. Мы ждём вас."),
            (std::vector<std::string>{
                "Приходите по адресу: г. Санкт-Петербург, ул. Смольного, д. 3, каб. 101.",
                "Мы ждём вас."}));
  EXPECT_EQ(sentence_texts("См. п. 3 ст. 11 закона № 59-ФЗ. Там всё сказано, т. е. ответа не "
                           "будет. Документы, письма и т. д. Всё это нужно сдать."),
            (std::vector<std::string>{"См. п. 3 ст. 11 закона № 59-ФЗ.",
                                      "Там всё сказано, т. е. ответа не будет.",
                                      "Документы, письма и т. д.", "Всё это нужно сдать."}));
  // "г." after a year may end a sentence.
  EXPECT_EQ(sentence_texts("Срок истёк 28 декабря 2026 г. Мы ответили вовремя."),
            (std::vector<std::string>{"Срок истёк 28 декабря 2026 г.", "Мы ответили вовремя."}));
  EXPECT_EQ(sentence_texts("Итого: 3,5 тыс. руб. Оплата до 1 мая."),
            (std::vector<std::string>{"Итого: 3,5 тыс. руб.", "Оплата до 1 мая."}));
}

TEST(PlainLanguage, SentencesSurviveInitials) {
  EXPECT_EQ(sentence_texts("Письмо подписал И. И. Иванов. Ответ готовил А.С. Пушкин. Иванов И.И. "
                           "уже в отпуске."),
            (std::vector<std::string>{"Письмо подписал И. И. Иванов.", "Ответ готовил А.С. Пушкин.",
                                      "Иванов И.И. уже в отпуске."}));
}

TEST(PlainLanguage, SentencesSurviveAddressesAndUrls) {
  EXPECT_EQ(sentence_texts("Пишите на anticor@example.org. Или зайдите на "
                           "https://example.org/a.b?x=1&y=2. Спасибо! Что делать? Ждать…"),
            (std::vector<std::string>{"Пишите на anticor@example.org.",
                                      "Или зайдите на https://example.org/a.b?x=1&y=2.", "Спасибо!",
                                      "Что делать?", "Ждать…"}));
  auto s = split_sentences("Сайт www.example.org. Почта a.b@example.org.");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].words.size(), 2u);
  EXPECT_EQ(s[1].words.size(), 2u);
}

TEST(PlainLanguage, LinesAndLists) {
  const std::string text =
      "Часы приёма\n"
      "Пн–Чт с 9:00 до 18:00\n"
      "\n"
      "Что взять с собой:\n"
      "- паспорт\n"
      "- копию справки без точки\n"
      "1. Заявление\n"
      "2) ещё одно заявление\n"
      "• и последнее\n"
      "Эта строка переносится\n"
      "на следующую и продолжается.\n"
      "Строка без точки перед пустой строкой\n"
      "\n"
      "Последняя строка";
  const auto sentences = split_sentences(text);
  std::vector<std::pair<std::size_t, std::string>> got;
  for (const auto& s : sentences) got.emplace_back(s.line, s.text);
  EXPECT_EQ(got, (std::vector<std::pair<std::size_t, std::string>>{
                     {1, "Часы приёма"},
                     {2, "Пн–Чт с 9:00 до 18:00"},
                     {4, "Что взять с собой:"},
                     {5, "паспорт"},
                     {6, "копию справки без точки"},
                     {7, "Заявление"},
                     {8, "ещё одно заявление"},
                     {9, "и последнее"},
                     {10, "Эта строка переносится на следующую и продолжается."},
                     {12, "Строка без точки перед пустой строкой"},
                     {14, "Последняя строка"},
                 }));
  // List markers are not words; numbers and times are one word each.
  EXPECT_EQ(sentences[1].words.size(), 6u);
  EXPECT_EQ(sentences[5].words.size(), 1u);
}

TEST(PlainLanguage, CrLfAndOddBytes) {
  EXPECT_EQ(sentence_texts("Первое.\r\nВторое.\r\n"),
            (std::vector<std::string>{"Первое.", "Второе."}));
  std::string junk = "Текст \xFF\xFE\xC3 с мусором.\x01 Ещё \xE2\x82 кусок.";
  EXPECT_NO_THROW(check(junk));
  EXPECT_EQ(split_sentences(junk).size(), 2u);
  std::string huge(200000, 'a');
  EXPECT_NO_THROW(check(huge + ". " + huge));
}

}  // namespace
