#include "templates/sentences.hpp"

#include <array>

#include "base/utf8.hpp"

namespace mailgate::templates {

namespace utf8 = base::utf8;
namespace {

bool is_space(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\v' || cp == '\f' || cp == 0xA0 || cp == 0x2007 ||
         cp == 0x2009 || cp == 0x200A || cp == 0x202F || cp == 0x3000 || cp == 0x200B;
}
bool is_opener(char32_t cp) {
  return cp == U'«' || cp == '"' || cp == '(' || cp == '[' || cp == U'„' || cp == U'“' ||
         cp == '\'' || cp == U'‘';
}
bool is_closer(char32_t cp) {
  return cp == U'»' || cp == '"' || cp == ')' || cp == ']' || cp == U'”' || cp == U'’' ||
         cp == '\'' || cp == U'“';
}
bool is_trail(char32_t cp) {
  return is_closer(cp) || cp == '.' || cp == ',' || cp == ';' || cp == ':' || cp == '!' ||
         cp == '?' || cp == U'…';
}

/// Code points of a string with their byte offsets.
struct Cp {
  char32_t cp;
  std::size_t begin;
  std::size_t end;
};
std::vector<Cp> decode(std::string_view s) {
  std::vector<Cp> out;
  for (std::size_t pos = 0; pos < s.size();) {
    std::size_t begin = pos;
    char32_t cp = utf8::next(s, pos);
    out.push_back({cp, begin, pos});
  }
  return out;
}

enum class Next { none, lower, upper, digit, other };

struct Chunk {
  std::string text;
  std::size_t line = 0;  // index into lines
  std::vector<TextWord> words;
  std::vector<char32_t> trail;
  bool link = false;
  bool list_marker = false;
  Next kind = Next::other;  // how it starts, for the chunk before it
};

struct Line {
  std::vector<std::string> chunks;
  bool list = false;
};

bool is_list_marker(const std::string& chunk) {
  static const std::array<std::string_view, 9> kMarkers = {"-", "–", "—", "*", "•",
                                                           "·", "▪", "‣", "○"};
  for (auto m : kMarkers) {
    if (chunk == m) return true;
  }
  // "1." "12)" "а)" "b)"
  auto cps = decode(chunk);
  if (cps.size() < 2 || cps.size() > 4) return false;
  char32_t last = cps.back().cp;
  if (last != '.' && last != ')') return false;
  bool digits = true;
  for (std::size_t i = 0; i + 1 < cps.size(); ++i) digits = digits && utf8::is_digit(cps[i].cp);
  if (digits) return true;
  return cps.size() == 2 && last == ')' && utf8::is_letter(cps[0].cp);
}

bool looks_like_link(std::string_view core) {
  std::string f = utf8::fold(core);
  if (f.find("://") != std::string::npos) return true;
  if (f.rfind("www.", 0) == 0 || f.rfind("mailto:", 0) == 0) return true;
  auto at = f.find('@');
  if (at != std::string::npos && at > 0) {
    auto dot = f.find('.', at + 1);
    return dot != std::string::npos && dot > at + 1 && dot + 1 < f.size();
  }
  return false;
}

class Tokenizer {
 public:
  void reset_quotes() { quote_depth_ = 0; }

  void tokenize(Chunk& c) {
    auto cps = decode(c.text);
    std::size_t lead = 0;
    while (lead < cps.size() && is_opener(cps[lead].cp)) ++lead;
    std::size_t trail = cps.size();
    while (trail > lead && is_trail(cps[trail - 1].cp)) --trail;
    for (std::size_t i = trail; i < cps.size(); ++i) c.trail.push_back(cps[i].cp);

    for (std::size_t i = 0; i < lead; ++i) quote(cps[i].cp, true);
    std::size_t core_begin = lead < cps.size() ? cps[lead].begin : c.text.size();
    std::size_t core_end = trail < cps.size() ? cps[trail].begin : c.text.size();
    std::string_view core = std::string_view(c.text).substr(core_begin, core_end - core_begin);
    if (!core.empty() && looks_like_link(core)) {
      c.link = true;
      TextWord w;
      w.text = std::string(core);
      w.folded = utf8::fold(core);
      w.line = c.line + 1;
      w.syllables = 1;
      w.link = true;
      w.quoted = quote_depth_ > 0;
      w.after_number_sign = number_sign_;
      number_sign_ = false;
      c.words.push_back(std::move(w));
    } else {
      scan_core(c, cps, lead, trail);
    }
    for (std::size_t i = trail; i < cps.size(); ++i) quote(cps[i].cp, false);

    // How the chunk starts, as seen from the chunk before it.
    c.kind = Next::other;
    if (!c.link) {
      for (const Cp& x : cps) {
        if (is_opener(x.cp)) continue;
        if (utf8::is_digit(x.cp)) {
          c.kind = Next::digit;
        } else if (utf8::is_letter(x.cp)) {
          c.kind = utf8::is_upper(x.cp) ? Next::upper : Next::lower;
        }
        break;
      }
    }
  }

 private:
  void quote(char32_t cp, bool opening_position) {
    if (cp == U'«' || cp == U'„') {
      ++quote_depth_;
    } else if (cp == U'»' || cp == U'”') {
      if (quote_depth_ > 0) --quote_depth_;
    } else if (cp == U'“' || cp == '"') {
      if (opening_position) {
        ++quote_depth_;
      } else if (quote_depth_ > 0) {
        --quote_depth_;
      }
    }
  }

  void scan_core(Chunk& c, const std::vector<Cp>& cps, std::size_t from, std::size_t to) {
    std::string word;
    char32_t last = 0;
    std::size_t syllables = 0;
    bool digit_start = false;
    auto flush = [&] {
      if (word.empty()) return;
      TextWord w;
      w.folded = utf8::fold(word);
      w.text = std::move(word);
      w.line = c.line + 1;
      w.number = digit_start;
      w.syllables = syllables == 0 && digit_start ? 1 : syllables;
      w.after_number_sign = number_sign_;
      w.quoted = quote_depth_ > 0;
      number_sign_ = false;
      c.words.push_back(std::move(w));
      word.clear();
      syllables = 0;
      last = 0;
    };
    for (std::size_t i = from; i < to; ++i) {
      const char32_t cp = cps[i].cp;
      const char32_t next = i + 1 < to ? cps[i + 1].cp : 0;
      const bool word_char = utf8::is_letter(cp) || utf8::is_digit(cp);
      if (word_char) {
        if (word.empty()) digit_start = utf8::is_digit(cp);
        utf8::append(word, cp);
        if (utf8::is_vowel(cp)) ++syllables;
        last = cp;
        continue;
      }
      if (!word.empty()) {
        if (cp == 0xAD || cp == 0x301) continue;  // soft hyphen, stress mark
        const bool next_word_char = utf8::is_letter(next) || utf8::is_digit(next);
        if ((cp == '-' || cp == 0x2011) && next_word_char) {
          utf8::append(word, cp);
          continue;
        }
        if ((cp == '.' || cp == ',' || cp == ':' || cp == '/') && utf8::is_digit(last) &&
            utf8::is_digit(next)) {
          utf8::append(word, cp);
          continue;
        }
      }
      flush();
      if (cp == U'№') number_sign_ = true;
      quote(cp, utf8::is_letter(next) || utf8::is_digit(next));
    }
    flush();
  }

  int quote_depth_ = 0;
  bool number_sign_ = false;
};

bool contains(const std::vector<char32_t>& v, char32_t cp) {
  for (char32_t x : v) {
    if (x == cp) return true;
  }
  return false;
}

bool in(std::string_view word, std::initializer_list<std::string_view> list) {
  for (auto w : list) {
    if (word == w) return true;
  }
  return false;
}

/// Whether the dot after `word` (the chunk's last word) belongs to an abbreviation that does not
/// end the sentence. `prev` is the word before it in the sentence, if any.
bool abbreviation_holds(const TextWord* word, const TextWord* prev, Next next) {
  if (!word || word->link) return false;
  const TextWord& w = *word;
  const std::string& f = w.folded;
  // Abbreviations that always have something after them.
  if (in(f, {"ст",  "ст-я",  "п",    "пп",  "ч",   "подп", "абз",  "им",  "см",  "напр", "тел",
             "ул",  "просп", "пр-т", "пер", "наб", "пл",   "каб",  "обл", "р-н", "рис",  "стр",
             "гл",  "разд",  "прим", "ср",  "св",  "кв",   "корп", "эт",  "оф",  "вх",   "исх",
             "рег", "утв",   "ред",  "изм", "доп", "мкр",  "пос",  "дер", "т",   "тт",   "гр",
             "г-н", "г-жа",  "ок",   "зам", "нач", "зав",  "пом",  "руч", "тов", "e",    "i"})) {
    // "т. д." and "т. п." can end a sentence; "п." and "д." alone (пункт, дом) cannot.
    if ((f == "п") && prev && prev->folded == "т") return false;
    return true;
  }
  if (f == "д") return !(prev && prev->folded == "т");
  if ((f == "е" || f == "к") && prev && prev->folded == "т") return true;
  // "г." after a year ("2026 г. Мы ...") may end a sentence; "г. Санкт-Петербург" does not.
  if (f == "г" || f == "гг") return !(prev && prev->number);
  // Initials: "И. И. Иванов", "А.С. Пушкин".
  if (utf8::length(w.text) == 1 && w.text.size() <= 2) {
    std::size_t pos = 0;
    char32_t cp = utf8::next(w.text, pos);
    if (utf8::is_upper(cp) && next == Next::upper) return true;
  }
  return false;
}

}  // namespace

std::vector<Sentence> split_sentences(std::string_view text) {
  // Lines and their chunks (runs of non-space).
  std::vector<Line> lines;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t nl = text.find('\n', start);
    std::string_view raw =
        text.substr(start, nl == std::string_view::npos ? text.npos : nl - start);
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    Line line;
    std::string chunk;
    for (std::size_t pos = 0; pos < raw.size();) {
      std::size_t begin = pos;
      char32_t cp = utf8::next(raw, pos);
      if (is_space(cp) || cp == '\r' || cp < 0x20) {
        if (!chunk.empty()) line.chunks.push_back(std::move(chunk));
        chunk.clear();
      } else {
        chunk.append(raw.substr(begin, pos - begin));
      }
    }
    if (!chunk.empty()) line.chunks.push_back(std::move(chunk));
    line.list = line.chunks.size() > 1 && is_list_marker(line.chunks[0]);
    lines.push_back(std::move(line));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }

  std::vector<Chunk> chunks;
  Tokenizer tokenizer;
  for (std::size_t l = 0; l < lines.size(); ++l) {
    if (lines[l].chunks.empty()) tokenizer.reset_quotes();  // a paragraph ends open quotes
    for (std::size_t i = 0; i < lines[l].chunks.size(); ++i) {
      Chunk c;
      c.text = lines[l].chunks[i];
      c.line = l;
      c.list_marker = i == 0 && lines[l].list;
      tokenizer.tokenize(c);
      if (c.list_marker) c.words.clear();
      chunks.push_back(std::move(c));
    }
  }

  std::vector<Sentence> out;
  Sentence current;
  bool open = false;
  auto flush = [&] {
    if (open && !current.words.empty()) out.push_back(std::move(current));
    current = Sentence{};
    open = false;
  };
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    Chunk& c = chunks[i];
    const Chunk* next = i + 1 < chunks.size() ? &chunks[i + 1] : nullptr;
    const bool last_in_line = !next || next->line != c.line;
    const std::size_t before = current.words.size();
    if (!c.list_marker) {
      if (!open) {
        current.line = c.line + 1;
        open = true;
      }
      if (!current.text.empty()) current.text += ' ';
      current.text += c.text;
      for (TextWord& w : c.words) current.words.push_back(std::move(w));
    }
    const std::size_t after = current.words.size();
    const TextWord* last_word = after > before ? &current.words.back() : nullptr;
    const TextWord* prev = after > before && after >= 2 ? &current.words[after - 2] : nullptr;

    bool end = false;
    if (last_in_line) {
      const bool hard =
          !next || next->line != c.line + 1 || lines[c.line].list || lines[next->line].list;
      if (hard) {
        flush();
        continue;
      }
    }
    const Next nk = next ? next->kind : Next::none;
    if (c.list_marker) {
      end = false;
    } else if (contains(c.trail, '!') || contains(c.trail, '?') || contains(c.trail, U'…')) {
      end = nk != Next::lower;
    } else if (contains(c.trail, '.')) {
      end = nk != Next::lower && !abbreviation_holds(last_word, prev, nk);
    } else if (last_in_line) {
      // A line without a final stop: a heading or a label ends here when the next line
      // starts with a capital letter; a line broken mid-sentence goes on.
      const std::string_view t = c.text;
      const bool continues =
          contains(c.trail, ',') || t.ends_with("-") || t.ends_with("—") || t.ends_with("–");
      end = !continues && (nk == Next::upper || contains(c.trail, ':') || contains(c.trail, ';'));
    }
    if (end) flush();
  }
  flush();
  return out;
}

}  // namespace mailgate::templates
