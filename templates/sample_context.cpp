#include "templates/sample_context.hpp"

#include "templates/command_help.hpp"

#include <stdexcept>

#include "templates/schema.hpp"

namespace mailgate::templates {
namespace {

using json = nlohmann::json;

json common() {
  return {
      {"office",
       {{"name", "Управление профилактики коррупционных правонарушений"},
        {"address", "Санкт-Петербург, Суворовский проспект, дом 67"},
        {"hours",
         "понедельник — четверг с 9:00 до 18:00, пятница с 9:00 до 17:00, перерыв с 12:00 до "
         "12:48"},
        {"phone", "+7 (812) 000-00-00"},
        {"email", "anticor@example.org"}}},
      {"case",
       {{"regno", "УПК-2026-000123"},
        {"registered_on", "27 ноября 2026 г."},
        {"subject", "Справка о доходах: как указать вклад"},
        {"summary", "как указать в справке о доходах вклад, открытый в этом году"},
        {"deadline_on", "28 декабря 2026 г."},
        {"term", "30 дней"},
        {"urgency", "обычное"}}},
      {"client", {{"name", "Мария Сергеевна Иванова"}, {"address", "m.ivanova@example.org"}}},
      {"channels", json::array({{{"address", "m.ivanova@example.org"}},
                                {{"address", "maria.ivanova@example.net"}}})},
  };
}

void add_alert(json& c) {
  c["officer"] = {{"name", "Ольга Петровна Смирнова"}, {"email", "o.smirnova@example.org"}};
  c["unit"] = {{"name", "Отдел консультаций"}};
  c["head"] = {{"name", "Андрей Викторович Козлов"}};
  c["suspected_spoofing"] = false;
  c["case"]["subject"] = "Подарок от коллег";
  c["case"]["summary"] = "коллеги подарили часы на юбилей, что делать с подарком";
  c["case"]["urgency"] = "срочное";
  c["case"]["term"] = "3 рабочих дня";
  c["case"]["deadline_on"] = "2 декабря 2026 г.";
  c["explanation"] =
      json::array({{{"why", "письмо о подарке: сообщить о нём нужно за 3 рабочих дня"}},
                   {{"why", "клиент уже писал нам в этом месяце"}}});
  c["excerpt"] =
      "Добрый день! На юбилее коллеги подарили мне часы. Я не знаю, сколько они стоят. Нужно "
      "ли о них сообщать? И если нужно, то как?";
  c["command_help"] = officer_command_help();
}

}  // namespace

json sample_context(const std::string& name) {
  if (!find_schema(name)) throw std::invalid_argument("unknown template \"" + name + "\"");
  json c = common();
  if (name == "acknowledgement") {
    c["refused_channels"] = json::array({{{"address", "m..ivanova@example.org"}}});
    c["kb_links"] = json::array(
        {{{"title", "Как заполнить справку о доходах"}, {"url", "https://example.org/kb/spravka"}},
         {{"title", "Вклады и счета в справке"}, {"url", "https://example.org/kb/vklady"}}});
  } else if (name == "forwarding_notice") {
    c["case"]["subject"] = "Закупка в районной больнице";
    c["case"]["summary"] = "сомнения в честности закупки в районной больнице";
    c["body"] = {{"name", "Прокуратура Ленинградской области"},
                 {"address", "Санкт-Петербург, улица Примерная, дом 1"},
                 {"phone", "+7 (812) 000-00-01"},
                 {"email", "priemnaya@example.org"}};
    c["text"] =
        "Проверять закупки больниц может прокуратура. Там разберутся и ответят вам по существу.";
  } else if (name == "answer") {
    c["text"] =
        "Вклад нужно указать в разделе 4 справки. Впишите название банка, дату, когда открыли "
        "вклад, и остаток на 31 декабря.\n\nЕсли вклад закрыли до конца года, его тоже нужно "
        "указать. Тогда остаток будет 0 рублей.";
  } else if (name == "refusal") {
    c["case"]["subject"] = "Копия справки коллеги";
    c["case"]["summary"] = "просьба прислать копию справки о доходах коллеги";
    c["text"] =
        "Мы не можем прислать копию чужой справки о доходах. В ней есть личные сведения другого "
        "человека, и закон запрещает передавать их без его согласия (статья 7 Федерального "
        "закона № 152-ФЗ «О персональных данных»).\n\nКоллега может сам дать вам копию своей "
        "справки, если захочет.";
  } else if (name == "clarification_request") {
    c["text"] =
        "Чей это вклад: ваш или вашего мужа? От этого зависит, в какую справку его вписать. "
        "И ещё: вклад открыт в российском банке?";
  } else if (name == "extension_notice") {
    c["text"] =
        "Чтобы ответить точно, нам нужны сведения из банка. Банк пришлёт их не раньше 20 "
        "декабря.";
    c["new_deadline_on"] = "11 января 2027 г.";
    c["extension_days"] = "14 дней";
  } else if (name == "notice_anonymous") {
    c["client"] = {{"name", ""}, {"address", ""}};
    c["text"] = "";
  } else if (name == "notice_obscene") {
    c["text"] = "";
  } else if (name == "notice_unreadable") {
    c["text"] = "В письме был только файл, и он не открывается.";
  } else if (name == "officer_alert" || name == "head_alert") {
    add_alert(c);
  } else if (name == "delivery_failure_alert") {
    c["officer"] = {{"name", "Ольга Петровна Смирнова"}};
    c["failed"] = {{"address", "m.ivanova@example.org"},
                   {"reason", "почтовый ящик получателя переполнен"},
                   {"subject", "[УПК-2026-000123] Ответ на ваше письмо"}};
  } else if (name == "follow_up_alert") {
    c["officer"] = {{"name", "Ольга Петровна Смирнова"}};
    c["excerpt"] =
        "Добавлю к своему письму: вклад открыт на имя мужа, а деньги на нём мои. Как быть?";
  } else if (name == "forwarding_cover") {
    c["case"]["subject"] = "Закупка в районной больнице";
    c["case"]["summary"] = "сомнения в честности закупки в районной больнице";
    c["case"]["registered_on"] = "2 декабря 2026 г.";
    c["case"]["deadline_on"] = "9 января 2027 г.";
    c["body"] = {{"name", "Прокуратура Ленинградской области"},
                 {"address", "Санкт-Петербург, улица Примерная, дом 1"},
                 {"email", "priemnaya@example.org"}};
    c["text"] =
        "Автор пишет, что районная больница купила аппарат УЗИ втрое дороже обычной цены. "
        "Договор подписан в октябре 2026 г. Просим проверить эту закупку.";
    c["officer"] = {{"name", "Ольга Петровна Смирнова"}, {"email", "o.smirnova@example.org"}};
  } else if (name == "notice_repeat") {
    c["case"]["subject"] = "Снова о доходах главы посёлка";
    c["case"]["summary"] = "просьба ещё раз проверить доходы главы посёлка";
    c["text"] =
        "Мы отвечали вам на этот вопрос три раза: 12 марта, 20 мая и 9 сентября 2026 г. "
        "Номера тех писем: УПК-2026-000045, УПК-2026-000078 и УПК-2026-000101. Мы проверили "
        "сведения о доходах главы посёлка и нарушений не нашли. В новом письме нет фактов, "
        "которые мы бы не проверили.";
  } else if (name == "channel_confirmation") {
    c["address"] = "ma***@example.net";
    c["code"] = "40417265";
    c["days"] = 7;
  } else if (name == "channel_notice") {
    c["address"] = "ma***@example.net";
    c["added"] = false;
    c["confirmed"] = true;
    c["removed"] = false;
    c["refused"] = false;
    c["max_additional"] = 2;
  } else if (name == "command_confirmation") {
    c["officer"] = {{"name", "Ольга Петровна Смирнова"}};
    c["action"] = "ответ";
    c["outcome"] = "Дело закрыто: дан ответ.";
    c["recipients"] =
        json::array({{{"address", "m.ivanova@example.org"}, {"channel", "основной"}},
                     {{"address", "maria.ivanova@example.net"}, {"channel", "дополнительный"}}});
    c["warnings"] = json::array(
        {{{"text",
           "строка 3: длинное предложение (29 слов, не больше 25): «Если вклад закрыли до "
           "конца года…» — разделите его на два-три коротких"}}});
  } else if (name == "plan_failure_alert") {
    c["failure"] = {{"reason", "[json.exception.type_error.316] invalid UTF-8 byte at index 79"}};
    c["excerpt"] = "Прошу проверить, почему в нашей школе собирают деньги на ремонт.";
  } else if (name == "command_error") {
    c["officer"] = {{"name", "Ольга Петровна Смирнова"}};
    c["case"]["subject"] = "Копия справки коллеги";
    c["case"]["summary"] = "просьба прислать копию справки о доходах коллеги";
    c["problem"] =
        "В отказе нет объяснения: в абзаце «Причина:» только ссылка на закон. Клиент должен "
        "понять причину, не открывая закон. Напишите своими словами, почему вы отказываете. "
        "Ссылку можно оставить рядом, в скобках.";
    c["findings"] = json::array(
        {{{"text",
           "строка 3: ссылка на закон без объяснения: «Причина: ст. 7 Федерального закона "
           "№ 152-ФЗ.» — объясните простыми словами, что это значит для человека"}}});
    c["command_help"] = officer_command_help();
  }
  return c;
}

}  // namespace mailgate::templates
