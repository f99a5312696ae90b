#include "templates/legal_citation.hpp"

#include <initializer_list>
#include <string>

namespace mailgate::templates {
namespace {

bool in(std::string_view w, std::initializer_list<std::string_view> list) {
  for (auto x : list) {
    if (w == x) return true;
  }
  return false;
}

bool starts(std::string_view w, std::initializer_list<std::string_view> prefixes) {
  for (auto p : prefixes) {
    if (w.starts_with(p)) return true;
  }
  return false;
}

/// Words that point at a numbered unit of an act when a number follows: "ст. 11",
/// "части 3", "пункта 4", "подп. 2".
bool unit_word(std::string_view w) {
  return in(w,
            {"ст", "п", "пп", "ч", "подп", "абз", "статья", "статьи", "статье", "статью", "статьей",
             "статей", "статьям", "статьях", "часть", "части", "частью", "частей", "частях"}) ||
         starts(w, {"пункт", "подпункт", "абзац"});
}

/// Words that name an act by themselves.
bool act_word(std::string_view w) {
  return in(w, {"закон",   "закона",   "закону",   "законом", "законе", "законы", "законов",
                "законам", "законами", "законах",  "указ",    "указа",  "указом", "указу",
                "приказ",  "приказа",  "приказом", "приказу", "фз",     "гк",     "тк",
                "ук",      "нк",       "жк",       "коап",    "упк",    "гпк",    "апк"}) ||
         starts(w, {"законодательств", "кодекс", "конституци", "постановлени", "распоряжени",
                    "регламент"}) ||
         w.ends_with("-фз") || w.starts_with("фз-");
}

/// Words that belong to a citation but do not name an act: "в соответствии с", "согласно",
/// act titles' usual words, "Российской Федерации".
bool citation_word(std::string_view w) {
  return unit_word(w) || act_word(w) ||
         in(w,
            {"соответствии",   "согласно", "основании", "основание",  "основанием", "основания",
             "руководствуясь", "силу",     "рф",        "российской", "российская", "российского",
             "федерации",      "от",       "г",         "гг",         "года",       "ред",
             "редакции",       "порядке",  "порядка",   "граждан",    "обращений",  "см"}) ||
         starts(w,
                {"федеральн", "предусмотрен", "установлен", "требовани", "норм", "положени",
                 "действующ", "изменени", "определен", "правительств", "президент", "министерств"});
}

/// Function words and words that only name the outcome: they explain nothing.
bool empty_word(std::string_view w) {
  return in(w, {"в",         "во",        "на",         "с",           "со",      "к",
                "ко",        "по",        "о",          "об",          "обо",     "до",
                "из",        "за",        "для",        "без",         "при",     "про",
                "через",     "над",       "под",        "и",           "а",       "но",
                "или",       "либо",      "не",         "ни",          "что",     "чтобы",
                "как",       "так",       "это",        "этот",        "эта",     "эти",
                "этого",     "этой",      "этом",       "том",         "тот",     "та",
                "те",        "того",      "той",        "то",          "же",      "ли",
                "бы",        "уже",       "все",        "весь",        "вся",     "всех",
                "его",       "ее",        "их",         "ему",         "ей",      "им",
                "ими",       "ним",       "ней",        "них",         "он",      "она",
                "оно",       "они",       "вы",         "вас",         "вам",     "вами",
                "ваш",       "ваша",      "ваше",       "ваши",        "вашего",  "вашей",
                "вашему",    "вашим",     "вашем",      "вашу",        "мы",      "нас",
                "нам",       "нами",      "наш",        "наша",        "наше",    "наши",
                "я",         "меня",      "мне",        "который",     "которая", "которое",
                "которые",   "является",  "являются",   "был",         "была",    "было",
                "были",      "быть",      "есть",       "будет",       "будут",   "также",
                "именно",    "дан",       "дана",       "дано",        "даны",    "дается",
                "даются",    "сообщаем",  "уведомляем", "информируем", "связи",   "целях",
                "рамках",    "настоящим", "поэтому",    "таким",       "образом", "случае",
                "указанным", "вопросу",   "вопросам"}) ||
         starts(w, {"обращени",   "ответ",    "отказ",     "оставлен", "оставить",
                    "оставля",    "рассмотр", "направлен", "направля", "удовлетвор",
                    "прекращ",    "переписк", "заявлени",  "жалоб",    "вопрос",
                    "решени",     "принят",   "данн",      "указанн",  "вышеизложен",
                    "вышеуказан", "настоящ",  "подлеж",    "существ",  "поставленн",
                    "изложенн",   "возможн",  "невозможн", "сообщени", "рассматрива"});
}

}  // namespace

CitationFacts analyse_citation(const Sentence& s) {
  CitationFacts facts;
  const auto& words = s.words;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const TextWord& w = words[i];
    const bool number_follows = i + 1 < words.size() && words[i + 1].number;
    if (act_word(w.folded) || (unit_word(w.folded) && number_follows) ||
        (w.after_number_sign && !w.link)) {
      facts.cites = true;
    }
  }
  for (const TextWord& w : words) {
    if (w.number || w.link || w.after_number_sign) continue;
    if (facts.cites && w.quoted) continue;  // an act's title
    if (citation_word(w.folded) || empty_word(w.folded)) continue;
    ++facts.explanation_words;
  }
  return facts;
}

bool is_bare_citation(const Sentence& sentence, std::size_t min_explanation_words) {
  CitationFacts f = analyse_citation(sentence);
  return f.cites && f.explanation_words < min_explanation_words;
}

bool only_legal_citations(std::string_view grounds, std::size_t min_explanation_words) {
  bool cites = false;
  for (const Sentence& s : split_sentences(grounds)) {
    CitationFacts f = analyse_citation(s);
    cites = cites || f.cites;
    if (f.explanation_words >= min_explanation_words) return false;
  }
  return cites;
}

}  // namespace mailgate::templates
