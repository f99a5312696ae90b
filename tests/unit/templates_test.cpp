// Outbound templates: the shipped set loads, every tag is checked against the schema with
// file:line, and rendering never throws or re-expands mustache whatever the data.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "templates/cliches.hpp"
#include "templates/sample_context.hpp"
#include "templates/schema.hpp"
#include "templates/template_set.hpp"

namespace {

using namespace mailgate::templates;
using json = nlohmann::json;

const std::filesystem::path kMailDir =
    std::filesystem::path(MAILGATE_TEST_DATA) / ".." / ".." / "templates" / "mail";

std::vector<TemplateFile> shipped_files() {
  std::vector<TemplateFile> files;
  for (const auto& entry : std::filesystem::directory_iterator(kMailDir)) {
    const auto ext = entry.path().extension();
    if (ext != ".txt" && ext != ".html") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    files.push_back({entry.path().filename().string(), text.str()});
  }
  std::sort(files.begin(), files.end(),
            [](const TemplateFile& a, const TemplateFile& b) { return a.name < b.name; });
  return files;
}

/// The shipped files with one file replaced (or added).
std::vector<TemplateFile> with(const std::string& name, const std::string& text) {
  auto files = shipped_files();
  bool replaced = false;
  for (auto& f : files) {
    if (f.name == name) {
      f.text = text;
      replaced = true;
    }
  }
  if (!replaced) files.push_back({name, text});
  return files;
}

std::vector<TemplateFile> without(const std::string& name) {
  auto files = shipped_files();
  files.erase(std::remove_if(files.begin(), files.end(),
                             [&](const TemplateFile& f) { return f.name == name; }),
              files.end());
  return files;
}

/// The first error load() reports, or "" if it loads.
std::string load_error(const std::vector<TemplateFile>& files) {
  try {
    TemplateSet::load(files, LintSettings{});
  } catch (const TemplateError& e) {
    return e.what();
  }
  return "";
}

const TemplateSet& shipped_set() {
  static const TemplateSet set = TemplateSet::load(shipped_files(), LintSettings{});
  return set;
}

const std::string kBody = "Здравствуйте!\n\nТекст письма.\n";

TEST(Templates, NamesAreTheWholeSet) {
  EXPECT_EQ(template_names(), (std::vector<std::string>{"acknowledgement",
                                                        "forwarding_notice",
                                                        "answer",
                                                        "refusal",
                                                        "clarification_request",
                                                        "extension_notice",
                                                        "notice_anonymous",
                                                        "notice_obscene",
                                                        "notice_unreadable",
                                                        "officer_alert",
                                                        "head_alert",
                                                        "delivery_failure_alert",
                                                        "follow_up_alert",
                                                        "forwarding_cover",
                                                        "notice_repeat",
                                                        "channel_confirmation",
                                                        "channel_notice",
                                                        "command_confirmation",
                                                        "plan_failure_alert",
                                                        "command_error"}));
}

TEST(Templates, EveryShippedTemplateLoadsAndRenders) {
  const auto files = shipped_files();
  std::set<std::string> names;
  for (const auto& f : files) names.insert(f.name);
  for (const auto& n : template_names()) EXPECT_TRUE(names.count(n + ".txt")) << n;

  const TemplateSet& set = shipped_set();
  for (const auto& name : template_names()) {
    RenderedMail mail = set.render(name, sample_context(name));
    EXPECT_FALSE(mail.subject.empty()) << name;
    EXPECT_EQ(mail.subject.find('\n'), std::string::npos) << name;
    EXPECT_EQ(mail.subject.find("УПК-"), std::string::npos) << name << ": the daemon adds the tag";
    EXPECT_GT(mail.text.size(), 100u) << name;
    EXPECT_EQ(mail.text.find("{{"), std::string::npos) << name;
    EXPECT_EQ(mail.text.find("г.."), std::string::npos) << name << "\n" << mail.text;
    EXPECT_EQ(mail.text.find("\n\n\n"), std::string::npos) << name;
    EXPECT_TRUE(mail.text.ends_with("\n")) << name;
    EXPECT_EQ(mail.text.find('\r'), std::string::npos) << name;
  }
}

TEST(Templates, EveryShippedTemplatePassesThePlainLanguageCheck) {
  const auto cliches = parse_cliche_list(shipped_cliche_list());
  for (const auto& name : template_names()) {
    LintReport r = lint_template(shipped_set(), name, LintSettings{}, cliches);
    EXPECT_TRUE(r.passed) << format_report(r, name);
  }
}

TEST(Templates, SampleContextHasEveryVariable) {
  for (const TemplateSchema& s : template_schemas()) {
    const json c = sample_context(s.name);
    for (const std::string& path : s.variables) {
      if (path.starts_with("has_")) continue;  // computed by the renderer
      std::string pointer = "/" + path;
      std::replace(pointer.begin(), pointer.end(), '.', '/');
      EXPECT_TRUE(c.contains(json::json_pointer(pointer))) << s.name << ": " << path;
    }
    for (const ListSchema& l : s.lists) {
      ASSERT_TRUE(c.contains(l.name)) << s.name << ": " << l.name;
      EXPECT_TRUE(c[l.name].is_array());
      for (const auto& item : c[l.name]) {
        for (const auto& field : l.fields) EXPECT_TRUE(item.contains(field)) << l.name;
      }
    }
  }
  EXPECT_THROW(sample_context("nope"), std::invalid_argument);
}

TEST(Templates, AcknowledgementContents) {
  RenderedMail m = shipped_set().render("acknowledgement", sample_context("acknowledgement"));
  for (const char* part :
       {"УПК-2026-000123", "27 ноября 2026 г.", "до 28 декабря 2026 г.",
        "Дополнительный канал: адрес@почты", "Дополнительный канал: удалить адрес@почты",
        "Суворовский проспект, дом 67", "с 9:00 до 18:00", "+7 (812) 000-00-00",
        "https://example.org/kb/spravka", "Как заполнить справку о доходах",
        "maria.ivanova@example.net"}) {
    EXPECT_NE(m.text.find(part), std::string::npos) << part << "\n" << m.text;
  }
}

TEST(Templates, OptionalSectionsDisappear) {
  json c = sample_context("acknowledgement");
  c["kb_links"] = json::array();
  c.erase("channels");
  c["case"]["summary"] = "";
  RenderedMail m = shipped_set().render("acknowledgement", c);
  EXPECT_EQ(m.text.find("Это может пригодиться"), std::string::npos) << m.text;
  EXPECT_EQ(m.text.find("Куда придёт ответ"), std::string::npos) << m.text;
  EXPECT_EQ(m.text.find("О чём письмо"), std::string::npos) << m.text;
  EXPECT_EQ(m.text.find("\n\n\n"), std::string::npos) << m.text;
  EXPECT_NE(m.text.find("Как с нами связаться"), std::string::npos);
}

TEST(Templates, UnknownVariableGivesFileAndLine) {
  std::string text = "Subject: Тема\n\n";
  for (int line = 3; line < 12; ++line) text += "Строка.\n";
  text += "Ответим до {{case.deadlin}}.\n";  // line 12
  const std::string error = load_error(with("acknowledgement.txt", text));
  EXPECT_TRUE(error.starts_with(
      "acknowledgement.txt:12: unknown variable \"case.deadlin\" (known: office.name, "))
      << error;
  EXPECT_TRUE(error.ends_with(") — did you mean \"case.deadline_on\"?")) << error;
  EXPECT_NE(error.find("kb_links"), std::string::npos);
}

TEST(Templates, VariablesOfOtherTemplatesAreUnknown) {
  // body.* belongs to forwarding_notice only.
  EXPECT_TRUE(load_error(with("answer.txt", "Subject: {{body.name}}\n\n" + kBody))
                  .starts_with("answer.txt:1: unknown variable \"body.name\""));
}

TEST(Templates, MissingSubjectGivesFileAndLine) {
  EXPECT_EQ(load_error(with("answer.txt", kBody)),
            "answer.txt:1: the first line must be \"Subject: ...\" (the subject of the mail)");
  EXPECT_EQ(load_error(with("answer.txt", "Subject:   \n\n" + kBody)),
            "answer.txt:1: the subject is empty");
  EXPECT_EQ(load_error(with("answer.txt", "Subject: Тема\n" + kBody)),
            "answer.txt:2: the Subject line must be followed by an empty line");
  EXPECT_EQ(load_error(with("answer.txt", "Subject: Тема")),
            "answer.txt:1: no body: after the Subject line come an empty line and the text");
  EXPECT_EQ(load_error(with("answer.txt", "Subject: Тема\n\n\n  \n")),
            "answer.txt:3: the body is empty");
}

TEST(Templates, MalformedMustacheGivesFileAndLine) {
  const std::string head = "Subject: Тема\n\nСтрока 3.\n";
  EXPECT_EQ(load_error(with("answer.txt", head + "Строка {{text\n")),
            "answer.txt:4: unclosed tag: \"{{\" without \"}}\"");
  EXPECT_EQ(load_error(with("answer.txt", head + "{{#text}}\nТекст\n")),
            "answer.txt:4: section {{#text}} is not closed (no {{/text}})");
  EXPECT_EQ(load_error(with("answer.txt", head + "{{#text}}\n{{/case.regno}}\n")),
            "answer.txt:5: {{/case.regno}} does not match {{#text}} opened on line 4");
  EXPECT_EQ(load_error(with("answer.txt", head + "\n{{/text}}\n")),
            "answer.txt:5: {{/text}} closes a section that was not opened");
  EXPECT_EQ(load_error(with("answer.txt", head + "{{> footer}}\n")),
            "answer.txt:4: partials ({{>footer}}) are not supported");
  EXPECT_EQ(load_error(with("answer.txt", head + "{{=<% %>=}}\n")),
            "answer.txt:4: changing the tag delimiters ({{=...=}}) is not supported");
  EXPECT_EQ(load_error(with("answer.txt", head + "{{case regno}}\n")),
            "answer.txt:4: bad variable name \"case regno\" (letters, digits, _ and dots, e.g. "
            "case.regno)");
  EXPECT_EQ(load_error(with("answer.txt", head + "{{}}\n")), "answer.txt:4: empty tag");
  // A tag spread over lines is reported at its start; lines after it still count.
  EXPECT_EQ(load_error(with("answer.txt", head + "{{! a\ncomment }}\n{{nope}}\n")).substr(0, 40),
            "answer.txt:6: unknown variable \"nope\" (k");
  EXPECT_EQ(load_error(with("answer.txt", "Subject: {{text\n\n" + kBody)),
            "answer.txt:1: unclosed tag: \"{{\" without \"}}\"");
}

TEST(Templates, ListsAndSections) {
  const std::string head = "Subject: Тема\n\n";
  // A list is not a value.
  EXPECT_EQ(load_error(with("acknowledgement.txt", head + "{{kb_links}}\n")),
            "acknowledgement.txt:3: \"kb_links\" is a list: write {{#kb_links}}...{{/kb_links}}");
  // Item fields only inside their list.
  EXPECT_TRUE(load_error(with("acknowledgement.txt", head + "{{url}}\n"))
                  .starts_with("acknowledgement.txt:3: unknown variable \"url\""));
  EXPECT_TRUE(load_error(with("answer.txt", head + "{{#channels}}{{url}}{{/channels}}\n"))
                  .starts_with("answer.txt:3: unknown variable \"url\" (known: address, "));
  EXPECT_EQ(load_error(with("answer.txt", head + "{{.}}\n")),
            "answer.txt:3: {{.}} is only allowed inside a section");
  // Comments, {{.}} in a section, {{{x}}}, {{&x}} and inverted sections are fine.
  const std::string ok = head +
                         "{{! note }}Здравствуйте!\n{{#channels}}{{address}} {{.}}{{/channels}}\n"
                         "{{^has_channels}}Нет адресов.{{/has_channels}}\n{{{text}}} {{& text}}\n";
  EXPECT_EQ(load_error(with("answer.txt", ok)), "");
}

TEST(Templates, FileNamesAndTheSetAsAWhole) {
  EXPECT_EQ(load_error(with("thanks.txt", "Subject: Спасибо\n\n" + kBody)),
            "thanks.txt:1: unknown template \"thanks\" (known: acknowledgement, "
            "forwarding_notice, answer, refusal, clarification_request, extension_notice, "
            "notice_anonymous, notice_obscene, notice_unreadable, officer_alert, head_alert, "
            "delivery_failure_alert, follow_up_alert, forwarding_cover, notice_repeat, "
            "channel_confirmation, channel_notice, command_confirmation, plan_failure_alert, "
            "command_error)");
  EXPECT_EQ(load_error(with("answer.md", "x")),
            "answer.md:1: unknown file type: a template is NAME.txt with an optional NAME.html");
  EXPECT_EQ(load_error(without("refusal.txt")),
            "refusal.txt: missing (every template of the set is required, see "
            "docs/templates.md)");
  auto twice = shipped_files();
  twice.push_back(twice.front());
  EXPECT_EQ(load_error(twice), twice.front().name + ": given twice");
  // A path before the name is fine.
  auto pathed = shipped_files();
  for (auto& f : pathed) f.name = "/etc/mailgate/templates/" + f.name;
  EXPECT_EQ(load_error(pathed), "");
}

TEST(Templates, AllProblemsAtOnce) {
  auto files = with("answer.txt", "Subject: {{nope}}\n\n" + kBody);
  for (auto& f : files) {
    if (f.name == "refusal.txt") f.text = kBody;
  }
  auto errors =
      check_template_files(files, LintSettings{}, parse_cliche_list(shipped_cliche_list()));
  ASSERT_EQ(errors.size(), 2u) << ::testing::PrintToString(errors);
  EXPECT_TRUE(errors[0].starts_with("answer.txt:1: unknown variable \"nope\""));
  EXPECT_TRUE(errors[1].starts_with("refusal.txt:1: the first line must be"));
  try {
    TemplateSet::load(files, LintSettings{});
    FAIL();
  } catch (const TemplateError& e) {
    EXPECT_EQ(e.errors(), errors);
    EXPECT_EQ(std::string(e.what()), errors[0]);
  }
}

TEST(Templates, ShippedTemplateFailingThePlainLanguageCheck) {
  const std::string text =
      "Subject: Ответ на обращение\n\n"
      "В соответствии с п. 3 ст. 11 Федерального закона № 59-ФЗ.\n\n"
      "Доводим до вашего сведения, что в настоящее время осуществляется рассмотрение.\n\n"
      "{{text}}\n";
  const std::string error = load_error(with("answer.txt", text));
  EXPECT_TRUE(
      error.starts_with("answer.txt: fails the plain-language check (rendered with its "
                        "sample data; lines of the rendered mail): удобочитаемость "))
      << error;
  EXPECT_NE(error.find("строка 3: ссылка на закон без объяснения"), std::string::npos) << error;
  EXPECT_NE(error.find("строка 5: канцеляризм «Доводим до вашего сведения»"), std::string::npos)
      << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << "one line";
  // Looser thresholds let it through.
  LintSettings loose;
  loose.min_readability = -1000;
  loose.max_cliches = 10;
  loose.min_explanation_words = 0;
  EXPECT_NO_THROW(TemplateSet::load(with("answer.txt", text), loose));
}

TEST(Templates, CrLfAndBomAreAccepted) {
  std::string text = "\xEF\xBB\xBFSubject: Ответ\r\n\r\nЗдравствуйте!\r\n\r\n{{text}}\r\n";
  TemplateSet set = TemplateSet::load(with("answer.txt", text), LintSettings{});
  RenderedMail m = set.render("answer", {{"text", "Вот ответ."}});
  EXPECT_EQ(m.subject, "Ответ");
  EXPECT_EQ(m.text, "Здравствуйте!\n\nВот ответ.\n");
}

// --- rendering -----------------------------------------------------------------------------

const std::string kAnswerHtml =
    "<p>Здравствуйте, {{client.name}}!</p>\n<p>{{text}}</p>\n"
    "{{#channels}}<li>{{address}}</li>{{/channels}}\n";

TEST(Templates, TextKeepsValuesAsTheyAreHtmlEscapesThem) {
  TemplateSet set = TemplateSet::load(with("answer.html", kAnswerHtml), LintSettings{});
  EXPECT_TRUE(set.has_html("answer"));
  EXPECT_FALSE(set.has_html("refusal"));
  json c = sample_context("answer");
  c["client"]["name"] = "Иванов & сыновья <ООО \"Рога\">";
  c["text"] = "Первая строка & вторая <b>жирно</b>.\nВторая 'строка'.";
  c["channels"] = json::array({{{"address", "a&b@example.org"}}});
  RenderedMail m = set.render("answer", c);
  EXPECT_NE(m.text.find("Здравствуйте, Иванов & сыновья <ООО \"Рога\">!"), std::string::npos)
      << m.text;
  EXPECT_NE(m.text.find("Первая строка & вторая <b>жирно</b>.\nВторая 'строка'."),
            std::string::npos);
  EXPECT_EQ(m.html,
            "<p>Здравствуйте, Иванов &amp; сыновья &lt;ООО &quot;Рога&quot;&gt;!</p>\n"
            "<p>Первая строка &amp; вторая &lt;b&gt;жирно&lt;/b&gt;.<br>\nВторая "
            "&#39;строка&#39;.</p>\n<li>a&amp;b@example.org</li>\n");
  RenderedMail plain = shipped_set().render("answer", c);
  EXPECT_TRUE(plain.html.empty());
}

TEST(Templates, HtmlPartMustEscape) {
  EXPECT_EQ(load_error(with("answer.html", "<p>{{{text}}}</p>\n")),
            "answer.html:1: {{{text}}} and {{&text}} are not allowed in an .html part: values "
            "there are always escaped; write {{text}}");
  EXPECT_TRUE(load_error(with("answer.html", "<p>\n{{body.name}}</p>\n"))
                  .starts_with("answer.html:2: unknown variable \"body.name\""));
  EXPECT_EQ(load_error(with("answer.html", " \n")),
            "answer.html:1: the HTML part is empty (delete the file if not needed)");
}

TEST(Templates, HostileDataNeverThrowsNorExpands) {
  TemplateSet set = TemplateSet::load(with("answer.html", kAnswerHtml), LintSettings{});
  json c = sample_context("answer");
  c["case"]["subject"] = "Тема\r\nBcc: victim@example.org\r\n\tещё";
  c["client"]["name"] = "{{office.name}} {{#channels}}x{{/channels}} {{{text}}} }}{{";
  c["text"] = "<script>alert(1)</script>\r\nстрока\rещё\x01\x7f конец";
  RenderedMail m = set.render("answer", c);
  EXPECT_NE(m.text.find("{{office.name}} {{#channels}}x{{/channels}} {{{text}}} }}{{"),
            std::string::npos)
      << m.text;
  EXPECT_NE(m.text.find("<script>alert(1)</script>\nстрока\nещё конец"), std::string::npos)
      << m.text;
  EXPECT_EQ(m.text.find('\r'), std::string::npos);
  EXPECT_NE(m.html.find("&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(m.html.find("<script>"), std::string::npos);
  EXPECT_NE(m.html.find("{{office.name}}"), std::string::npos);

  // A subject stays one line, however the data looks.
  set = TemplateSet::load(with("answer.txt", "Subject: Ответ: {{case.subject}}\n\n{{text}}\n"),
                          LintSettings{});
  m = set.render("answer", c);
  EXPECT_EQ(m.subject, "Ответ: Тема Bcc: victim@example.org ещё");

  // Huge values: no throw, subject capped.
  c["case"]["subject"] = std::string(2'000'000, 'x');
  c["text"] = std::string(5'000'000, 'y');
  ASSERT_NO_THROW(m = set.render("answer", c));
  EXPECT_EQ(m.subject.size(), std::string("Ответ: ").size() + kMaxSubjectChars - 7 + 3);
  EXPECT_GT(m.text.size(), 5'000'000u);
}

TEST(Templates, OddContextShapesRenderEmpty) {
  const TemplateSet& set = shipped_set();
  for (const auto& name : template_names()) {
    for (const json& c :
         {json::object(), json(nullptr), json::array({1, 2}), json("строка"), json(42)}) {
      RenderedMail m;
      ASSERT_NO_THROW(m = set.render(name, c)) << name;
      EXPECT_EQ(m.text.find("{{"), std::string::npos);
    }
  }
  // Wrong types in the right places.
  json c = sample_context("acknowledgement");
  c["case"] = {{"regno", 123},    {"registered_on", nullptr}, {"deadline_on", 2.5},
               {"summary", true}, {"subject", json::array()}, {"term", json::object()}};
  c["kb_links"] = json::array({"строка", nullptr, 7, {{"title", json::array({1})}}});
  c["channels"] = "не список";
  json deep = "дно";
  for (int i = 0; i < 1000; ++i) {
    json outer = json::array();
    outer.push_back(std::move(deep));
    deep = std::move(outer);
  }
  c["client"]["name"] = std::move(deep);
  RenderedMail m;
  ASSERT_NO_THROW(m = set.render("acknowledgement", c));
  EXPECT_NE(m.text.find("Номер: 123"), std::string::npos) << m.text;
  EXPECT_NE(m.text.find("до 2.5."), std::string::npos) << m.text;
}

TEST(Templates, ValueEndingASentenceMeetsTheTemplatesDot) {
  TemplateSet set = TemplateSet::load(
      with("answer.txt", "Subject: Ответ\n\nДо {{case.deadline_on}}. Текст: {{text}}. Конец...\n"),
      LintSettings{});
  json c = {{"case", {{"deadline_on", "28 декабря 2026 г."}}}, {"text", "Как быть?"}};
  EXPECT_EQ(set.render("answer", c).text, "До 28 декабря 2026 г. Текст: Как быть? Конец...\n");
  c["text"] = "многоточие...";
  EXPECT_EQ(set.render("answer", c).text, "До 28 декабря 2026 г. Текст: многоточие.... Конец...\n");
  c["text"] = "без точки";
  EXPECT_EQ(set.render("answer", c).text, "До 28 декабря 2026 г. Текст: без точки. Конец...\n");
  // The private character that marks value ends never leaks out.
  c["text"] = "a\xEE\x80\x80.";
  EXPECT_EQ(set.render("answer", c).text, "До 28 декабря 2026 г. Текст: a. Конец...\n");
}

TEST(Templates, OfficerAndBodyLettersSayWhatHappened) {
  const TemplateSet& set = shipped_set();
  auto has = [](const RenderedMail& m, const std::string& what) {
    return m.text.find(what) != std::string::npos;
  };
  RenderedMail cover = set.render("forwarding_cover", sample_context("forwarding_cover"));
  EXPECT_TRUE(has(cover, "Письмо гражданина приложено")) << cover.text;
  EXPECT_TRUE(has(cover, "ответьте автору сами")) << cover.text;
  EXPECT_TRUE(has(cover, "Мы уже сообщили ему")) << cover.text;

  json c = sample_context("command_confirmation");
  RenderedMail done = set.render("command_confirmation", c);
  EXPECT_TRUE(has(done, "- maria.ivanova@example.net (дополнительный адрес)")) << done.text;
  EXPECT_TRUE(has(done, "Обратите внимание")) << done.text;
  c["recipients"] = json::array();
  c["warnings"] = json::array();
  done = set.render("command_confirmation", c);
  EXPECT_TRUE(has(done, "Клиенту письмо не отправлялось.")) << done.text;
  EXPECT_FALSE(has(done, "Обратите внимание")) << done.text;

  RenderedMail error = set.render("command_error", sample_context("command_error"));
  EXPECT_TRUE(has(error, "Клиенту ничего не отправлено. В деле ничего не изменилось."))
      << error.text;
  EXPECT_TRUE(has(error, "- строка 3: ссылка на закон без объяснения")) << error.text;

  RenderedMail repeat = set.render("notice_repeat", sample_context("notice_repeat"));
  EXPECT_TRUE(has(repeat, "Если у вас будет другой вопрос, пишите нам")) << repeat.text;

  // notice_anonymous is never sent (docs/templates.md): it does not address "your letter".
  RenderedMail anon = set.render("notice_anonymous", sample_context("notice_anonymous"));
  EXPECT_FALSE(has(anon, "ваше письмо")) << anon.text;
  EXPECT_EQ(anon.subject.find("ваше"), std::string::npos) << anon.subject;
}

TEST(Templates, UnknownNameOnRender) {
  EXPECT_THROW(shipped_set().render("nope", json::object()), TemplateError);
}

}  // namespace
