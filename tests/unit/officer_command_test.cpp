// Officer commands read from a reply to an alert (daemon/officer_command.*).
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "cases/officer_command.hpp"

using mailgate::cases::Action;
using mailgate::cases::CommandError;
using mailgate::cases::OfficerCommand;
using mailgate::cases::parse_officer_command;
using mailgate::cases::strip_quotes_and_signature;

namespace {

OfficerCommand ok(std::string_view text) {
  auto r = parse_officer_command(text);
  if (const auto* e = std::get_if<CommandError>(&r)) {
    ADD_FAILURE() << "unexpected error: " << e->message << "\nfor:\n" << text;
    return {};
  }
  return std::get<OfficerCommand>(r);
}

std::string err(std::string_view text) {
  auto r = parse_officer_command(text);
  if (const auto* c = std::get_if<OfficerCommand>(&r)) {
    ADD_FAILURE() << "expected an error, got action " << mailgate::cases::action_id(c->action)
                  << " text «" << c->text << "»\nfor:\n"
                  << text;
    return {};
  }
  return std::get<CommandError>(r).message;
}

bool has(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

// The alert's text as a mail client quotes it with ">".
constexpr std::string_view kQuotedAlert =
    "> Здравствуйте, Мария Петровна!\n"
    ">\n"
    "> Вам поручено новое письмо.\n"
    ">\n"
    "> Номер: УПК-2026-000123\n"
    "> От кого: Петров Иван, i.petrov@lenobl.example\n"
    "> Тема: Подарок на юбилей\n";

// The same alert as HTML mail leaves it after conversion to text: no ">".
constexpr std::string_view kPlainAlert =
    "Здравствуйте, Мария Петровна!\n"
    "\n"
    "Вам поручено новое письмо.\n"
    "\n"
    "Номер: УПК-2026-000123\n"
    "От кого: Петров Иван, i.petrov@lenobl.example\n"
    "Тема: Подарок на юбилей\n";

constexpr std::string_view kAnswer =
    "Подарок стоимостью до 3000 рублей можно оставить себе.\n"
    "Если дороже — сдайте его по акту в течение трёх рабочих дней.";

std::string reply(std::string_view header, std::string_view quoted = kQuotedAlert) {
  return "ОТВЕТ\n\n" + std::string(kAnswer) + "\n\n" + std::string(header) + "\n" +
         std::string(quoted);
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Commands and synonyms

TEST(OfficerCommandParse, AnswerTakesTheTextBelowTheCommand) {
  auto c = ok("ОТВЕТ\n\nПодарок можно оставить себе.\nСдавать его не нужно.");
  EXPECT_EQ(c.action, Action::answer);
  EXPECT_EQ(c.text, "Подарок можно оставить себе.\nСдавать его не нужно.");
  EXPECT_TRUE(c.argument.empty());
  EXPECT_TRUE(c.grounds.empty());
  EXPECT_EQ(c.days, 0);
}

TEST(OfficerCommandParse, EveryActionAndSynonym) {
  const std::vector<std::tuple<std::string, Action, std::string>> cases = {
      {"ОТВЕТ", Action::answer, ""},
      {"ответить", Action::answer, ""},
      {"Ответ клиенту", Action::answer, ""},
      {"ОТКАЗ", Action::refuse, ""},
      {"отказать", Action::refuse, ""},
      {"УТОЧНЕНИЕ", Action::clarify, ""},
      {"уточнить", Action::clarify, ""},
      {"Вопрос", Action::clarify, ""},
      {"Вопрос клиенту:", Action::clarify, ""},
      {"ПЕРЕАДРЕСАЦИЯ mvd", Action::forward, "mvd"},
      {"переадресовать rosreestr", Action::forward, "rosreestr"},
      {"Переслать в MVD", Action::forward, "mvd"},
      {"Переадресация: prokuratura.", Action::forward, "prokuratura"},
      {"ПЕРЕАДРЕСАЦИЯ по компетенции gji-lo", Action::forward, "gji-lo"},
      {"ПЕРЕДАТЬ ivanova", Action::transfer, "ivanova"},
      {"передача petrov", Action::transfer, "petrov"},
      {"Передать дело сотруднику m.ivanova@lenobl.example", Action::transfer,
       "m.ivanova@lenobl.example"},
      {"ПРОДЛЕНИЕ 10", Action::extend, "10"},
      {"продлить на 10 дней", Action::extend, "10"},
      {"Продлить срок ответа на 30 календарных дней.", Action::extend, "30"},
      {"ПРОДЛЕНИЕ: 15 дн.", Action::extend, "15"},
      {"продление 7дней", Action::extend, "7"},
      {"ПРОДЛЕНИЕ 030", Action::extend, "30"},
      {"БЕЗ ОТВЕТА anonymous", Action::close, "anonymous"},
      {"без ответа аноним", Action::close, "anonymous"},
      {"Без ответа: анонимное обращение", Action::close, "anonymous"},
      {"БЕЗ ОТВЕТА obscene", Action::close, "obscene"},
      {"БЕЗ ОТВЕТА оскорбления", Action::close, "obscene"},
      {"без ответа нецензурная брань", Action::close, "obscene"},
      {"Без ответа — угрозы", Action::close, "obscene"},
      {"БЕЗ ОТВЕТА unreadable", Action::close, "unreadable"},
      {"без ответа нечитаемое", Action::close, "unreadable"},
      {"БЕЗ ОТВЕТА неразборчиво", Action::close, "unreadable"},
      {"БЕЗ ОТВЕТА repeat", Action::close, "repeat"},
      {"без ответа повторное", Action::close, "repeat"},
      {"Без ответа: повтор.", Action::close, "repeat"},
      {"Оставить без ответа, причина: повторное обращение", Action::close, "repeat"},
  };
  for (const auto& [line, action, argument] : cases) {
    SCOPED_TRACE(line);
    std::string mail = line + "\nЯ проверила письмо. Ниже объяснение.";
    if (action == Action::refuse) mail += "\n\nПричина: в письме нет вопроса, который мы решаем.";
    auto c = ok(mail);
    EXPECT_EQ(c.action, action);
    EXPECT_EQ(c.argument, argument);
    if (action == Action::extend) {
      EXPECT_EQ(std::to_string(c.days), argument);
    }
    EXPECT_TRUE(c.text.starts_with("Я проверила письмо. Ниже объяснение.")) << c.text;
  }
}

TEST(OfficerCommandParse, CaseSpacesPunctuationAndLetterYo) {
  for (std::string_view line :
       {"ответ", "Ответ", "ОТВЕТ", "ОтВеТ", "ОТВЕТ:", "Ответ.", "ОТВЕТ!",
        "  ОТВЕТ  :  ", "\tответ\t", "«ОТВЕТ»", "*ОТВЕТ*", "ОТВЕТ :", "\xEF\xBB\xBFОТВЕТ",
        "\xC2\xA0ОТВЕТ\xC2\xA0", "\xE2\x80\x8BОТВЕТ"}) {
    SCOPED_TRACE(line);
    auto c = ok(std::string(line) + "\nДа, можно.");
    EXPECT_EQ(c.action, Action::answer);
    EXPECT_EQ(c.text, "Да, можно.");
  }
  // A BOM before the blank lines that precede the command.
  EXPECT_EQ(ok("\xEF\xBB\xBF\n\n  \nОТКАЗ\nНет.\n\nПричина: срок прошёл.").action, Action::refuse);
  EXPECT_EQ(ok("ПРОДЛЁНИЕ 10\nЖдём ответа из другого органа.").action, Action::extend);
  EXPECT_EQ(ok("без ответа ПОВТОРЁННОЕ").argument, "repeat");
  EXPECT_EQ(ok("ПРОДЛЕНИЕ\xC2\xA0\xC2\xA0 10\nЖдём документы.").days, 10);
}

TEST(OfficerCommandParse, TextMayStartOnTheCommandLineAfterAColon) {
  auto c = ok("Ответ: Да, подарок можно оставить.\nСдавать его не нужно.");
  EXPECT_EQ(c.text, "Да, подарок можно оставить.\nСдавать его не нужно.");
  EXPECT_EQ(ok("ОТВЕТ. Да.").text, "Да.");
  EXPECT_EQ(ok("ОТВЕТ — Да.").text, "Да.");
  auto e = ok("ПРОДЛЕНИЕ 10: ждём справку из налоговой.");
  EXPECT_EQ(e.days, 10);
  EXPECT_EQ(e.text, "ждём справку из налоговой.");
  auto r = ok("ОТКАЗ: Причина: в письме нет подписи и имени.");
  EXPECT_EQ(r.grounds, "в письме нет подписи и имени.");
}

TEST(OfficerCommandParse, ForwardTransferAndCloseTextIsOptional) {
  auto f = ok("ПЕРЕАДРЕСАЦИЯ mvd\n");
  EXPECT_EQ(f.action, Action::forward);
  EXPECT_EQ(f.argument, "mvd");
  EXPECT_TRUE(f.text.empty());
  auto t = ok("ПЕРЕДАТЬ ivanova\n\nМария Петровна, это вопрос по вашей теме.");
  EXPECT_EQ(t.argument, "ivanova");
  EXPECT_EQ(t.text, "Мария Петровна, это вопрос по вашей теме.");
  auto x = ok("БЕЗ ОТВЕТА аноним\n");
  EXPECT_EQ(x.argument, "anonymous");
  EXPECT_TRUE(x.text.empty());
}

// ---------------------------------------------------------------------------------------
// Errors

TEST(OfficerCommandErrors, EmptyMail) {
  for (std::string_view text : {"", "\n\n", "  \r\n\t\r\n", "\xEF\xBB\xBF"}) {
    std::string e = err(text);
    EXPECT_TRUE(has(e, "Письмо пустое")) << e;
    EXPECT_TRUE(has(e, "ОТВЕТ, ОТКАЗ, УТОЧНЕНИЕ")) << e;
  }
}

TEST(OfficerCommandErrors, UnknownCommandQuotesItAndListsTheCommands) {
  std::string e = err("ОТВТ\nДа, можно.");
  EXPECT_TRUE(has(e, "Не понял команду «ОТВТ»")) << e;
  for (std::string_view c :
       {"ОТВЕТ", "ОТКАЗ", "УТОЧНЕНИЕ", "ПЕРЕАДРЕСАЦИЯ", "ПЕРЕДАТЬ", "ПРОДЛЕНИЕ", "БЕЗ ОТВЕТА"}) {
    EXPECT_TRUE(has(e, c)) << c;
  }
  EXPECT_TRUE(has(err("Добрый день, Иван Иванович!\nОТВЕТ\nДа."), "«Добрый день, Иван Иванович!»"));
  EXPECT_TRUE(has(err("без\nДа."), "«без»"));
  EXPECT_TRUE(has(err("Оставить как есть\nДа."), "Не понял команду"));
  // A long first line is cut in the message.
  std::string long_line(200, 'x');
  std::string m = err(long_line + "\nтекст");
  EXPECT_TRUE(has(m, "…»")) << m;
  EXPECT_LT(m.size(), 600u);
  // Only the quoted alert, no command.
  EXPECT_TRUE(has(err(std::string(kQuotedAlert)), "Не понял команду «> Здравствуйте"));
}

TEST(OfficerCommandErrors, WordsAfterTheCommandWithoutAColon) {
  std::string e = err("Ответить не можем, так как вопрос не к нам.\nС уважением, Иванова");
  EXPECT_TRUE(has(e, "Не понял первую строку «Ответить не можем")) << e;
  EXPECT_TRUE(has(e, "только команда ОТВЕТ")) << e;
  EXPECT_TRUE(has(err("ПЕРЕАДРЕСАЦИЯ mvd срочно\nТекст."), "только команда ПЕРЕАДРЕСАЦИЯ"));
  EXPECT_TRUE(has(err("ПРОДЛЕНИЕ 10 рабочих дней\nТекст."), "только команда ПРОДЛЕНИЕ"));
  EXPECT_TRUE(has(err("Отказ в выдаче копии\nПричина: нет права."), "только команда ОТКАЗ"));
}

TEST(OfficerCommandErrors, EmptyTextForAnswerRefusalClarification) {
  EXPECT_TRUE(has(err("ОТВЕТ"), "Под командой ОТВЕТ нет текста для клиента"));
  EXPECT_TRUE(has(err("ОТВЕТ\n\n\n"), "Под командой ОТВЕТ нет текста"));
  EXPECT_TRUE(has(err("УТОЧНЕНИЕ\n"), "Под командой УТОЧНЕНИЕ нет вопроса"));
  EXPECT_TRUE(has(err("ОТКАЗ\n"), "Под командой ОТКАЗ нет текста"));
  // Only a quote and a signature below the command: nothing is left for the client.
  std::string e = err("ОТВЕТ\n\n-- \nИванова М. П.\n\n" + std::string(kQuotedAlert));
  EXPECT_TRUE(has(e, "нет текста")) << e;
  EXPECT_TRUE(has(e, "Цитату старого письма и вашу подпись клиент не получит")) << e;
  EXPECT_TRUE(
      has(err("ОТВЕТ\nС уважением,\nИванова Мария Петровна\nтел. 539-40-00"), "нет текста"));
}

TEST(OfficerCommandErrors, RefusalNeedsAReasonParagraph) {
  std::string e = err("ОТКАЗ\n\nМы не можем выдать вам копию справки коллеги.");
  EXPECT_TRUE(has(e, "В отказе нет абзаца «Причина:»")) << e;
  EXPECT_TRUE(has(e, "простыми словами")) << e;
  EXPECT_TRUE(has(e, "не вместо")) << e;
  // "Причина" in the middle of a paragraph is not the reason paragraph.
  EXPECT_TRUE(has(err("ОТКАЗ\nМы отказываем. Причина: закон."), "нет абзаца «Причина:»"));
  // Empty reason paragraph.
  EXPECT_TRUE(has(err("ОТКАЗ\nМы не можем помочь.\n\nПричина:"), "Абзац «Причина:» пустой"));
  EXPECT_TRUE(has(err("ОТКАЗ\nМы не можем помочь.\n\nПричина:   \n\n-- \nИванова"),
                  "Абзац «Причина:» пустой"));
}

TEST(OfficerCommandErrors, ExtensionNeedsDaysInRangeAndAReason) {
  for (std::string_view line : {"ПРОДЛЕНИЕ", "продлить срок", "ПРОДЛЕНИЕ десять дней",
                                "продлить на дней 10", "ПРОДЛЕНИЕ 10-ть"}) {
    SCOPED_TRACE(line);
    std::string e = err(std::string(line) + "\nЖдём документы.");
    EXPECT_TRUE(has(e, "Напишите цифрами, на сколько дней продлить срок")) << e;
  }
  EXPECT_TRUE(has(err("ПРОДЛЕНИЕ 0\nЖдём."), "Нельзя продлить срок на 0 дн."));
  EXPECT_TRUE(has(err("ПРОДЛЕНИЕ 366\nЖдём."), "от 1 до 365"));
  EXPECT_TRUE(has(err("ПРОДЛЕНИЕ 99999999999999999999\nЖдём."), "от 1 до 365"));
  EXPECT_EQ(ok("ПРОДЛЕНИЕ 365\nЖдём.").days, 365);
  EXPECT_EQ(ok("ПРОДЛЕНИЕ 1\nЖдём.").days, 1);
  std::string e = err("ПРОДЛЕНИЕ 30\n\n" + std::string(kQuotedAlert));
  EXPECT_TRUE(has(e, "Под командой ПРОДЛЕНИЕ нет причины")) << e;
}

TEST(OfficerCommandErrors, ForwardAndTransferNeedAnId) {
  std::string f = err("ПЕРЕАДРЕСАЦИЯ\nВаш вопрос решает полиция.");
  EXPECT_TRUE(has(f, "напишите код органа")) << f;
  EXPECT_TRUE(has(f, "ПЕРЕАДРЕСАЦИЯ mvd")) << f;
  EXPECT_TRUE(has(err("Переслать в\nТекст."), "код органа"));
  std::string t = err("ПЕРЕДАТЬ:\nКоллега, посмотрите.");
  EXPECT_TRUE(has(t, "напишите код сотрудника")) << t;
  EXPECT_TRUE(has(err("передать дело сотруднику"), "код сотрудника"));
}

TEST(OfficerCommandErrors, CloseNeedsAKnownReason) {
  std::string e = err("БЕЗ ОТВЕТА спам\n");
  EXPECT_TRUE(has(e, "Не понял причину «спам»")) << e;
  for (std::string_view r : {"аноним", "оскорбления", "нечитаемое", "повтор"}) {
    EXPECT_TRUE(has(e, r)) << r;
  }
  std::string m = err("без ответа");
  EXPECT_TRUE(has(m, "напишите причину")) << m;
  EXPECT_TRUE(has(m, "повтор")) << m;
}

// ---------------------------------------------------------------------------------------
// Refusal grounds

TEST(OfficerCommandRefusal, GroundsWithACitationAndAnExplanation) {
  auto c =
      ok("ОТКАЗ\n"
         "\n"
         "Мы не можем прислать вам копию справки о доходах вашего коллеги.\n"
         "\n"
         "Причина: в справке есть личные данные другого человека. Передавать их без его "
         "согласия нельзя (статья 7 Федерального закона № 152-ФЗ «О персональных данных»).\n"
         "\n"
         "Попросите коллегу самого показать вам справку.\n"
         "\n"
         "С уважением,\n"
         "Иванова Мария Петровна\n"
         "главный специалист отдела профилактики\n"
         "тел. (812) 539-40-00\n");
  EXPECT_EQ(c.action, Action::refuse);
  EXPECT_EQ(c.grounds,
            "в справке есть личные данные другого человека. Передавать их без его согласия "
            "нельзя (статья 7 Федерального закона № 152-ФЗ «О персональных данных»).");
  // The client gets the whole text, "Причина:" included, without the signature.
  EXPECT_EQ(c.text,
            "Мы не можем прислать вам копию справки о доходах вашего коллеги.\n"
            "\n"
            "Причина: в справке есть личные данные другого человека. Передавать их без его "
            "согласия нельзя (статья 7 Федерального закона № 152-ФЗ «О персональных данных»).\n"
            "\n"
            "Попросите коллегу самого показать вам справку.");
}

TEST(OfficerCommandRefusal, ABareCitationIsStillPassedOnForTheGate) {
  // The parser extracts; templates::only_legal_citations() judges it.
  auto c = ok("ОТКАЗ\nВ просьбе отказано.\n\nПричина: ч. 3 ст. 11 Федерального закона № 59-ФЗ.");
  EXPECT_EQ(c.grounds, "ч. 3 ст. 11 Федерального закона № 59-ФЗ.");
}

TEST(OfficerCommandRefusal, ReasonWordFormsAndParagraphs) {
  EXPECT_EQ(ok("ОТКАЗ\nНет.\n\nПРИЧИНА: срок подачи прошёл.").grounds, "срок подачи прошёл.");
  EXPECT_EQ(ok("ОТКАЗ\nНет.\n\nпричина : срок прошёл.").grounds, "срок прошёл.");
  EXPECT_EQ(ok("ОТКАЗ\nНет.\n\nПричина отказа: срок прошёл.").grounds, "срок прошёл.");
  EXPECT_EQ(ok("ОТКАЗ\nНет.\n\n*Причина:* срок прошёл.").grounds, "срок прошёл.");
  // The word on its own line: the rest of the paragraph.
  EXPECT_EQ(ok("ОТКАЗ\nНет.\n\nПричина:\nсрок прошёл.\nПродлить его нельзя.").grounds,
            "срок прошёл.\nПродлить его нельзя.");
  // The word alone as a paragraph: the next paragraph.
  EXPECT_EQ(ok("ОТКАЗ\nНет.\n\nПричина:\n\nсрок прошёл.\n\nЗвоните.").grounds, "срок прошёл.");
  // Two reason paragraphs.
  EXPECT_EQ(ok("ОТКАЗ\nНет.\n\nПричины: срок прошёл.\n\nПричина: нет подписи.").grounds,
            "срок прошёл.\n\nнет подписи.");
  // The reason paragraph may come first.
  EXPECT_EQ(ok("ОТКАЗ\nПричина: вы просите то, что решает суд.\n\nОбратитесь в суд.").grounds,
            "вы просите то, что решает суд.");
}

// ---------------------------------------------------------------------------------------
// Quoted text and signatures: the reply forms of real mail clients

TEST(OfficerCommandQuotes, OutlookRussianPlainText) {
  auto c =
      ok(reply("-----Исходное сообщение-----\n"
               "От: Управление профилактики [mailto:antikor@lenobl.example]\n"
               "Отправлено: 13 марта 2026 г. 10:15\n"
               "Кому: Иванова Мария Петровна\n"
               "Тема: [УПК-2026-000123] Новое письмо, обычное: Подарок на юбилей\n",
               kPlainAlert));
  EXPECT_EQ(c.text, kAnswer);
}

TEST(OfficerCommandQuotes, OutlookRussianFromHtml) {
  // Outlook's HTML reply: a rule, then the header block, then the old text without ">".
  auto c =
      ok(reply("________________________________\n"
               "От: Управление профилактики <antikor@lenobl.example>\n"
               "Отправлено: пятница, 13 марта 2026 г. 10:15\n"
               "Кому: Иванова Мария Петровна <m.ivanova@lenobl.example>\n"
               "Копия: Начальник отдела <head.antikor@lenobl.example>\n"
               "Тема: [УПК-2026-000123] Новое письмо, обычное: Подарок на юбилей\n",
               kPlainAlert));
  EXPECT_EQ(c.text, kAnswer);
  // Without the rule, with the header words set bold by the HTML converter.
  auto d =
      ok(reply("*От:* Управление профилактики <antikor@lenobl.example>\n"
               "*Отправлено:* 13 марта 2026 г. 10:15\n"
               "*Кому:* Иванова Мария Петровна\n"
               "*Тема:* Подарок на юбилей\n",
               kPlainAlert));
  EXPECT_EQ(d.text, kAnswer);
}

TEST(OfficerCommandQuotes, OutlookHeaderBlockOnOneLine) {
  auto c =
      ok(reply("От: Управление профилактики <antikor@lenobl.example> Отправлено: 13 марта 2026 г. "
               "10:15 Кому: Иванова Мария Петровна Тема: Подарок на юбилей",
               kPlainAlert));
  EXPECT_EQ(c.text, kAnswer);
}

TEST(OfficerCommandQuotes, OutlookEnglish) {
  auto c =
      ok(reply("-----Original Message-----\n"
               "From: Anti-corruption office [mailto:antikor@lenobl.example]\n"
               "Sent: Friday, March 13, 2026 10:15 AM\n"
               "To: Ivanova Maria\n"
               "Subject: [УПК-2026-000123] Новое письмо\n",
               kPlainAlert));
  EXPECT_EQ(c.text, kAnswer);
  auto d =
      ok(reply("________________________________\n"
               "From: Anti-corruption office <antikor@lenobl.example>\n"
               "Sent: Friday, March 13, 2026 10:15\n"
               "To: Ivanova Maria <m.ivanova@lenobl.example>\n"
               "Subject: [УПК-2026-000123] Новое письмо\n",
               kPlainAlert));
  EXPECT_EQ(d.text, kAnswer);
  // Outlook for Mac: From / Date / To / Subject.
  auto m =
      ok(reply("From: Anti-corruption office <antikor@lenobl.example>\n"
               "Date: Friday, 13 March 2026 at 10:15\n"
               "To: Ivanova Maria <m.ivanova@lenobl.example>\n"
               "Subject: [УПК-2026-000123] Новое письмо\n",
               kPlainAlert));
  EXPECT_EQ(m.text, kAnswer);
}

TEST(OfficerCommandQuotes, Thunderbird) {
  EXPECT_EQ(ok(reply("13.03.2026 10:15, Управление профилактики пишет:")).text, kAnswer);
  EXPECT_EQ(ok(reply("On 13.03.2026 10:15, Управление профилактики wrote:")).text, kAnswer);
  EXPECT_EQ(
      ok(reply("13.03.2026 10:15, Управление профилактики <antikor@lenobl.example> пишет:")).text,
      kAnswer);
  // Without the date: counts because quoted text follows.
  EXPECT_EQ(ok(reply("Управление профилактики пишет:\n")).text, kAnswer);
  EXPECT_EQ(ok(reply("-------- Исходное сообщение --------\n"
                     "Тема: [УПК-2026-000123] Новое письмо\n"
                     "Дата: 13.03.2026 10:15\n"
                     "От: antikor@lenobl.example\n"
                     "Кому: m.ivanova@lenobl.example\n",
                     kPlainAlert))
                .text,
            kAnswer);
  EXPECT_EQ(ok(reply("-------- Original Message --------", kPlainAlert)).text, kAnswer);
}

TEST(OfficerCommandQuotes, TheBat) {
  // The Bat! quotes with the sender's initials.
  EXPECT_EQ(ok(reply("Вы писали 13 марта 2026 г., 10:15:\n",
                     "УП> Здравствуйте, Мария Петровна!\n"
                     "УП>\n"
                     "УП> Вам поручено новое письмо.\n"))
                .text,
            kAnswer);
  EXPECT_EQ(ok(reply("You wrote on 13 March 2026, 10:15:\n")).text, kAnswer);
  EXPECT_EQ(ok(reply("===8<===========Текст исходного сообщения===========", kPlainAlert)).text,
            kAnswer);
  EXPECT_EQ(ok(reply("===8<==============Original message text===============", kPlainAlert)).text,
            kAnswer);
  // Initials quoting without an attribution line.
  EXPECT_EQ(ok("ОТВЕТ\nДа.\n\nAP> старый текст\nAP>> ещё старше").text, "Да.");
}

TEST(OfficerCommandQuotes, AppleMail) {
  EXPECT_EQ(ok(reply("> On 13 Mar 2026, at 10:15, Управление профилактики "
                     "<antikor@lenobl.example> wrote:\n>"))
                .text,
            kAnswer);
  EXPECT_EQ(ok(reply("On 13 Mar 2026, at 10:15, Управление профилактики "
                     "<antikor@lenobl.example> wrote:"))
                .text,
            kAnswer);
  EXPECT_EQ(ok(reply("13 марта 2026 г., в 10:15, Управление профилактики "
                     "<antikor@lenobl.example> написал(а):"))
                .text,
            kAnswer);
  EXPECT_EQ(ok(reply("Начало переадресованного сообщения:", kPlainAlert)).text, kAnswer);
  EXPECT_EQ(ok(reply("Begin forwarded message:", kPlainAlert)).text, kAnswer);
}

TEST(OfficerCommandQuotes, Gmail) {
  EXPECT_EQ(ok(reply("On Fri, Mar 13, 2026 at 10:15 AM Управление профилактики <"
                     "antikor@lenobl.example> wrote:"))
                .text,
            kAnswer);
  // Wrapped over two lines in the text part.
  EXPECT_EQ(ok(reply("On Fri, Mar 13, 2026 at 10:15 AM Управление профилактики <\n"
                     "antikor@lenobl.example> wrote:"))
                .text,
            kAnswer);
  // Russian interface: the line ends in the address.
  EXPECT_EQ(ok(reply("пт, 13 мар. 2026 г. в 10:15, Управление профилактики "
                     "<antikor@lenobl.example>:"))
                .text,
            kAnswer);
  // From HTML: the quoted alert has no ">".
  EXPECT_EQ(ok(reply("пт, 13 мар. 2026 г. в 10:15, Управление профилактики "
                     "<antikor@lenobl.example>:",
                     kPlainAlert))
                .text,
            kAnswer);
  EXPECT_EQ(ok(reply("---------- Forwarded message ---------", kPlainAlert)).text, kAnswer);
}

TEST(OfficerCommandQuotes, YandexAndMailRu) {
  EXPECT_EQ(ok(reply("13.03.2026, 10:15, \"Управление профилактики\" "
                     "<antikor@lenobl.example>:"))
                .text,
            kAnswer);
  EXPECT_EQ(ok(reply("13.03.2026, 10:15, \"Управление профилактики\" "
                     "<antikor@lenobl.example>:",
                     kPlainAlert))
                .text,
            kAnswer);
  EXPECT_EQ(ok(reply("Пятница, 13 марта 2026, 10:15 +03:00 от Управление профилактики "
                     "<antikor@lenobl.example>:",
                     kPlainAlert))
                .text,
            kAnswer);
  EXPECT_EQ(ok(reply("-------- Пересылаемое сообщение --------", kPlainAlert)).text, kAnswer);
  EXPECT_EQ(ok(reply("\n--\nОтправлено из мобильной Почты Mail.ru")).text, kAnswer);
}

TEST(OfficerCommandQuotes, QuotedLinesInsideTheTextAreDroppedTheRestKept) {
  // An inline reply: quoted lines go, the officer's lines between them stay.
  auto c =
      ok("ОТВЕТ\n"
         "> Можно ли принять подарок?\n"
         "Можно, если он дешевле 3000 рублей.\n"
         "\n"
         "> Куда сдавать?\n"
         "В отдел материально-технического обеспечения.");
  EXPECT_EQ(c.text,
            "Можно, если он дешевле 3000 рублей.\n\nВ отдел материально-технического "
            "обеспечения.");
}

TEST(OfficerCommandQuotes, GreaterThanInsideALineIsText) {
  const std::string text =
      "Если цена подарка > 3000 рублей, сдайте его.\n"
      "Порядок такой: заявление -> акт -> оценка.\n"
      "Размер: 5 >= 3, это верно.";
  EXPECT_EQ(ok("ОТВЕТ\n" + text).text, text);
  // Four letters before ">" are not The Bat!'s initials.
  EXPECT_EQ(ok("ОТВЕТ\nЦена>3000 — сдайте подарок.").text, "Цена>3000 — сдайте подарок.");
}

TEST(OfficerCommandQuotes, WritesWithoutDateOrQuoteIsText) {
  const std::string text =
      "Минтруд в своих разъяснениях пишет:\n"
      "подарок дешевле 3000 рублей сдавать не нужно.\n"
      "\n"
      "Исходное сообщение мы не получили, пришлите его ещё раз.";
  EXPECT_EQ(ok("ОТВЕТ\n" + text).text, text);
}

TEST(OfficerCommandSignature, DelimiterCutsToTheEnd) {
  EXPECT_EQ(ok("ОТВЕТ\nДа.\n-- \nИванова М. П.\nтел. 539-40-00").text, "Да.");
  EXPECT_EQ(ok("ОТВЕТ\nДа.\n--\nИванова М. П.").text, "Да.");
  EXPECT_EQ(ok("ОТВЕТ\nДа.\n\n-- \nИванова\n\n" + std::string(kQuotedAlert)).text, "Да.");
  // Thunderbird with the signature below the quote.
  EXPECT_EQ(ok(reply("13.03.2026 10:15, Управление профилактики пишет:") + "\n-- \nИванова").text,
            kAnswer);
}

TEST(OfficerCommandSignature, ClosingBlockAtTheEnd) {
  const std::string sig =
      "\n\nС уважением,\n"
      "Иванова Мария Петровна\n"
      "главный специалист отдела профилактики коррупционных правонарушений\n"
      "Тел.: (812) 539-40-00, доб. 123\n"
      "m.ivanova@lenobl.example\n";
  EXPECT_EQ(ok("ОТВЕТ\n" + std::string(kAnswer) + sig).text, kAnswer);
  EXPECT_EQ(ok("ОТВЕТ\n" + std::string(kAnswer) + sig + "\n" + std::string(kQuotedAlert)).text,
            kAnswer);
  EXPECT_EQ(ok("ОТВЕТ\n" + std::string(kAnswer) + "\nС уважением, Иванова М. П.").text, kAnswer);
  EXPECT_EQ(ok("ОТВЕТ\n" + std::string(kAnswer) + "\n\nС уважением Иванова М.П.").text, kAnswer);
  EXPECT_EQ(ok("ОТВЕТ\n" + std::string(kAnswer) + "\n\nС уважением.").text, kAnswer);
  EXPECT_EQ(ok("ОТВЕТ\n" + std::string(kAnswer) + "\n\nBest regards,\nMaria Ivanova").text,
            kAnswer);
  EXPECT_EQ(ok("ОТВЕТ\n" + std::string(kAnswer) + "\n\nВсего доброго!\nМ. Иванова").text, kAnswer);
}

TEST(OfficerCommandSignature, ClosingWordsThatAreNotASignatureStay) {
  // "С уважением к …" is a sentence.
  const std::string a = "Да, можно.\nС уважением к вашему времени, отвечаем коротко.";
  EXPECT_EQ(ok("ОТВЕТ\n" + a).text, a);
  // A closing line followed by a long paragraph is not a trailing signature.
  const std::string b =
      "С уважением,\n"
      "сообщаем, что подарок стоимостью до трёх тысяч рублей можно оставить себе и никуда не "
      "сдавать, а более дорогой подарок нужно сдать по акту.";
  EXPECT_EQ(ok("ОТВЕТ\n" + b).text, b);
  // Too many lines after it.
  const std::string c = "Вступление.\nС уважением,\n1\n2\n3\n4\n5\n6\n7";
  EXPECT_EQ(ok("ОТВЕТ\n" + c).text, c);
}

TEST(OfficerCommandSignature, MobileFooters) {
  EXPECT_EQ(ok("ОТВЕТ\nДа.\n\nОтправлено с iPhone\n\n" + std::string(kQuotedAlert)).text, "Да.");
  EXPECT_EQ(ok("ОТВЕТ\nДа.\n\nSent from my iPhone").text, "Да.");
  EXPECT_EQ(ok("ОТВЕТ\nДа.\n\nОтправлено из приложения Яндекс Почта").text, "Да.");
  EXPECT_EQ(ok("ОТВЕТ\nДа.\n\nПолучить Outlook для Android").text, "Да.");
  // Not a footer.
  EXPECT_EQ(ok("ОТВЕТ\nОтправлено с курьером 10 марта.").text, "Отправлено с курьером 10 марта.");
}

// ---------------------------------------------------------------------------------------
// Layout of the text

TEST(OfficerCommandLayout, ParagraphsAndLineBreaksStay) {
  const std::string text =
      "Первый абзац, строка один.\n"
      "Первый абзац, строка два.\n"
      "\n"
      "Второй абзац.\n"
      "\n"
      "  - пункт с отступом;\n"
      "  - ещё пункт.";
  EXPECT_EQ(ok("ОТВЕТ\n\n\n" + text + "\n\n\n").text, text);
  // Runs of blank lines become one; trailing spaces go.
  EXPECT_EQ(ok("ОТВЕТ\nОдин.   \n\n\n\nДва.\xC2\xA0").text, "Один.\n\nДва.");
}

TEST(OfficerCommandLayout, CrLfAndCrInput) {
  auto c =
      ok("ОТВЕТ\r\n\r\nПервый абзац.\r\nВторая строка.\r\n\r\nВторой абзац.\r\n\r\n-- \r\n"
         "Иванова\r\n\r\n> старое\r\n");
  EXPECT_EQ(c.text, "Первый абзац.\nВторая строка.\n\nВторой абзац.");
  EXPECT_EQ(ok("ОТВЕТ\rОдин.\rДва.").text, "Один.\nДва.");
  auto r = ok("ОТКАЗ\r\nНет.\r\n\r\nПричина: срок прошёл.\r\nПродлить нельзя.\r\n");
  EXPECT_EQ(r.grounds, "срок прошёл.\nПродлить нельзя.");
}

TEST(OfficerCommandLayout, StripQuotesAndSignatureAlone) {
  EXPECT_EQ(strip_quotes_and_signature("Да.\r\n\r\n> старое"), "Да.");
  EXPECT_EQ(strip_quotes_and_signature(""), "");
  EXPECT_EQ(strip_quotes_and_signature("> всё цитата\n> и это"), "");
}

TEST(OfficerCommandNames, IdsAndCommandWords) {
  using mailgate::cases::action_command;
  using mailgate::cases::action_id;
  EXPECT_EQ(action_id(Action::answer), "answer");
  EXPECT_EQ(action_id(Action::refuse), "refuse");
  EXPECT_EQ(action_id(Action::forward), "forward");
  EXPECT_EQ(action_id(Action::transfer), "transfer");
  EXPECT_EQ(action_id(Action::clarify), "clarify");
  EXPECT_EQ(action_id(Action::extend), "extend");
  EXPECT_EQ(action_id(Action::close), "close");
  EXPECT_EQ(action_command(Action::close), "БЕЗ ОТВЕТА");
  EXPECT_EQ(action_command(Action::forward), "ПЕРЕАДРЕСАЦИЯ");
}
