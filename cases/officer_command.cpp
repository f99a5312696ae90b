#include "cases/officer_command.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/text.hpp"
#include "base/utf8.hpp"

namespace mailgate::cases {
namespace {

using namespace std::string_view_literals;

// ---------------------------------------------------------------------------------------
// Text helpers

using base::fold_phrase;
using base::is_blank;
using base::letter_at;
using base::ltrim;
using base::rtrim;
using base::space_at;
using base::split_lines;
using base::starts_upper;
using base::trim;
using base::utf8::length;

// std::string_view::contains is C++23.
bool contains(std::string_view s, std::string_view p) { return s.find(p) != s.npos; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A time of day "9:05" / "10:15" somewhere in `s`.
bool has_time(std::string_view s) {
  for (std::size_t i = 0; i + 2 < s.size(); ++i) {
    if (s[i] == ':' && i > 0 && is_digit(s[i - 1]) && is_digit(s[i + 1]) && is_digit(s[i + 2])) {
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// Quoted text, reply headers, signatures

// "> text", ">>", and The Bat!'s initials "AB> text" (one to three letters).
bool is_quoted(std::string_view line) {
  std::string_view t = ltrim(line);
  if (t.empty()) return false;
  if (t[0] == '>') return true;
  std::size_t i = 0;
  int letters = 0;
  while (i < t.size() && letters < 4) {
    std::size_t n = letter_at(t, i);
    if (n == 0) break;
    i += n;
    ++letters;
  }
  if (letters == 0 || letters > 3 || i >= t.size() || t[i] != '>') return false;
  return i + 1 == t.size() || t[i + 1] == ' ' || t[i + 1] == '>';
}

// RFC 3676 "-- " (clients often drop the space).
bool is_signature_delimiter(std::string_view line) { return trim(line) == "--"; }

// A line of only -, _, =, *, ~ (Outlook's "______", decorative rules).
bool is_rule_line(std::string_view line) {
  std::string_view t = trim(line);
  return !t.empty() && t.find_first_not_of("-_=*~") == t.npos;
}

// "-----Original Message-----", "-------- Исходное сообщение --------", The Bat!'s
// "===8<===== Original message text =====", forwarded-message markers: the phrase and
// nothing but decoration around it.
bool is_message_marker(std::string_view line) {
  static constexpr std::array phrases{
      "original message"sv,           "исходное сообщение"sv,          "исходного сообщения"sv,
      "forwarded message"sv,          "пересылаемое сообщение"sv,      "пересланное сообщение"sv,
      "переадресованное сообщение"sv, "переадресованного сообщения"sv,
  };
  std::string f = fold_phrase(line);
  if (f.empty() || length(f) > 100) return false;
  for (std::string_view p : phrases) {
    std::size_t at = f.find(p);
    if (at == f.npos) continue;
    std::string rest = f.substr(0, at) + " " + f.substr(at + p.size());
    for (std::string_view w : {"begin"sv, "начало"sv, "text"sv, "текст"sv}) {
      if (std::size_t k = rest.find(w); k != rest.npos) rest.erase(k, w.size());
    }
    if (rest.find_first_not_of("-_=<>8: *") == rest.npos) return true;
  }
  return false;
}

// Outlook's header block: "From:/От:" followed by Sent/Date/To/Subject (in Russian:
// Отправлено/Дата/Кому/Копия/Тема) on the next lines, or all of them on one line.
bool is_header_block(const std::vector<std::string>& lines, std::size_t i) {
  static constexpr std::array keys{"sent:"sv,       "date:"sv, "to:"sv,   "cc:"sv,    "subject:"sv,
                                   "отправлено:"sv, "дата:"sv, "кому:"sv, "копия:"sv, "тема:"sv};
  std::string f = fold_phrase(lines[i]);
  while (!f.empty() && f[0] == '*') f.erase(0, 1);
  if (!f.starts_with("from:") && !f.starts_with("от:")) return false;
  int found = 0;
  for (std::string_view k : keys) {
    if (contains(f, " " + std::string(k)) || contains(f, "*" + std::string(k))) ++found;
  }
  int seen = 0;
  for (std::size_t j = i + 1; j < lines.size() && j <= i + 12 && seen < 6; ++j) {
    std::string g = fold_phrase(lines[j]);
    if (g.empty()) continue;
    ++seen;
    while (!g.empty() && g[0] == '*') g.erase(0, 1);
    for (std::string_view k : keys) {
      if (g.starts_with(k)) {
        ++found;
        break;
      }
    }
  }
  return found >= 2;
}

bool ends_with_wrote(std::string_view f) {
  static constexpr std::array phrases{
      "wrote:"sv,    "writes:"sv, "пишет:"sv,  "написал:"sv,  "написала:"sv, "написал(а):"sv,
      "написали:"sv, "писал:"sv,  "писала:"sv, "писал(а):"sv, "писали:"sv,
  };
  return std::any_of(phrases.begin(), phrases.end(),
                     [&](std::string_view p) { return f.ends_with(p); });
}

// An attribution line by itself: "On … wrote:" (Gmail, Thunderbird, Apple Mail), "… пишет:",
// "… написал(а):", The Bat!'s "Вы писали 13 марта 2026 г., 10:15:", and the Russian
// web-mail forms that end in the address: Gmail "пт, 13 мар. 2026 г. в 10:15, Имя <a@b>:",
// Яндекс "13.03.2026, 10:15, "Имя" <a@b>:", Mail.ru "…, 10:15 +03:00 от Имя <a@b>:".
bool strong_attribution(std::string_view f) {
  if (f.empty() || f.back() != ':' || length(f) > 250) return false;
  bool time = has_time(f.substr(0, f.size() - 1));
  bool address = contains(f, "@");
  if (ends_with_wrote(f) && (time || address)) return true;
  if ((f.starts_with("вы писали") || f.starts_with("you wrote")) && time) return true;
  return address && time;
}

bool is_attribution(const std::vector<std::string>& lines, std::size_t i) {
  std::string f = fold_phrase(lines[i]);
  if (f.empty()) return false;
  if (strong_attribution(f)) return true;
  std::size_t next = i + 1;
  while (next < lines.size() && next <= i + 12 && is_blank(lines[next])) ++next;
  // "Иван Петров пишет:" without a date counts when quoted text follows.
  if (ends_with_wrote(f) && length(f) <= 120 && next < lines.size() && is_quoted(lines[next])) {
    return true;
  }
  // Gmail wraps a long attribution: "On Fri, 13 Mar 2026 at 10:15, Mailgate <" /
  // "office@lenobl.example> wrote:".
  if (i + 1 < lines.size() && !is_blank(lines[i + 1]) && has_time(f) && f.back() != '.' &&
      f.back() != '!' && f.back() != '?') {
    std::string joined = f + " " + fold_phrase(lines[i + 1]);
    if (contains(joined, "@") && strong_attribution(joined)) return true;
  }
  return false;
}

// "Отправлено с iPhone", "Sent from my Galaxy", "Отправлено из мобильной Почты Mail.ru",
// "Получить Outlook для Android".
bool is_mobile_footer(std::string_view line) {
  static constexpr std::array starts{"отправлено с "sv, "отправлено со "sv, "отправлено из "sv,
                                     "sent from "sv,    "sent with "sv,     "получить outlook"sv,
                                     "get outlook"sv};
  static constexpr std::array devices{
      "iphone"sv, "ipad"sv,     "android"sv,   "samsung"sv,  "galaxy"sv,  "huawei"sv,  "xiaomi"sv,
      "honor"sv,  "mail.ru"sv,  "яндекс"sv,    "yandex"sv,   "outlook"sv, "мобильн"sv, "mobile"sv,
      "ios"sv,    "телефона"sv, "смартфона"sv, "планшета"sv, "my phone"sv};
  std::string f = fold_phrase(line);
  if (f.empty() || length(f) > 80) return false;
  bool start = std::any_of(starts.begin(), starts.end(),
                           [&](std::string_view p) { return f.starts_with(p); });
  return start && std::any_of(devices.begin(), devices.end(),
                              [&](std::string_view d) { return contains(f, d); });
}

// "С уважением," / "С уважением, Иванова М. П." / "Best regards" — a closing line.
bool is_closing(std::string_view line) {
  static constexpr std::array phrases{"с уважением"sv,    "с наилучшими пожеланиями"sv,
                                      "с пожеланиями"sv,  "с благодарностью"sv,
                                      "всего доброго"sv,  "всего хорошего"sv,
                                      "искренне ваш"sv,   "best regards"sv,
                                      "kind regards"sv,   "warm regards"sv,
                                      "regards"sv,        "sincerely"sv,
                                      "yours sincerely"sv};
  std::string_view t = trim(line);
  std::string f = fold_phrase(t);
  if (length(f) > 80) return false;
  for (std::string_view p : phrases) {
    if (!f.starts_with(p)) continue;
    std::string_view rest = std::string_view(f).substr(p.size());
    if (rest.empty() || rest[0] == ',' || rest[0] == '.' || rest[0] == '!') return true;
    if (rest[0] != ' ') continue;
    // "С уважением Иванова М.П.": a name follows — every word starts with a capital.
    std::string_view name = t;
    for (std::size_t w = 0, n = std::count(p.begin(), p.end(), ' ') + 1; w < n; ++w) {
      name = ltrim(name);
      std::size_t end = 0;
      while (end < name.size() && space_at(name, end) == 0) ++end;
      name = name.substr(end);
    }
    name = trim(name);
    int words = 0;
    bool names = true;
    while (!name.empty()) {
      std::size_t end = 0;
      while (end < name.size() && space_at(name, end) == 0) ++end;
      if (!starts_upper(name.substr(0, end))) names = false;
      ++words;
      name = ltrim(name.substr(end));
    }
    if (names && words >= 1 && words <= 4) return true;
  }
  return false;
}

// The closing block at the end: a closing line followed by at most six short lines.
std::size_t closing_block_start(const std::vector<std::string>& lines) {
  std::size_t last = lines.size();
  while (last > 0 && is_blank(lines[last - 1])) --last;
  if (last == 0) return lines.size();
  std::size_t from = last > 8 ? last - 8 : 0;
  for (std::size_t i = from; i < last; ++i) {
    if (!is_closing(lines[i])) continue;
    int after = 0;
    bool short_lines = true;
    for (std::size_t j = i + 1; j < last; ++j) {
      if (is_blank(lines[j])) continue;
      ++after;
      if (length(trim(lines[j])) > 80) short_lines = false;
    }
    if (short_lines && after <= 6) return i;
  }
  return lines.size();
}

std::string join_clean(std::vector<std::string> lines) {
  for (auto& l : lines) l = std::string(rtrim(l));
  std::string out;
  bool pending_blank = false;
  for (const auto& l : lines) {
    if (l.empty()) {
      pending_blank = !out.empty();
      continue;
    }
    if (!out.empty()) out += pending_blank ? "\n\n" : "\n";
    pending_blank = false;
    out += l;
  }
  return out;
}

std::string strip_lines(std::vector<std::string> lines) {
  std::size_t cut = lines.size();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (is_signature_delimiter(lines[i]) || is_message_marker(lines[i]) ||
        is_header_block(lines, i) || is_attribution(lines, i) || is_mobile_footer(lines[i])) {
      cut = i;
      break;
    }
  }
  lines.resize(cut);
  std::erase_if(lines, [](const std::string& l) { return is_quoted(l); });
  while (!lines.empty() && (is_blank(lines.back()) || is_rule_line(lines.back()))) {
    lines.pop_back();
  }
  lines.resize(closing_block_start(lines));
  while (!lines.empty() && (is_blank(lines.back()) || is_rule_line(lines.back()))) {
    lines.pop_back();
  }
  return join_clean(std::move(lines));
}

// ---------------------------------------------------------------------------------------
// The command line

constexpr std::string_view kCommands =
    "ОТВЕТ, ОТКАЗ, УТОЧНЕНИЕ, ПЕРЕАДРЕСАЦИЯ код органа, ПЕРЕДАТЬ код сотрудника, "
    "ПРОДЛЕНИЕ число дней, БЕЗ ОТВЕТА причина";

constexpr std::string_view kReasons =
    "аноним — нет имени или адреса для ответа; оскорбления — в письме мат, оскорбления или "
    "угрозы; нечитаемое — текст нельзя прочитать; повтор — клиент снова задаёт вопрос, на "
    "который уже получил ответ, и не пишет ничего нового";

// Punctuation that separates words on the command line (the period is handled apart: it
// may end a word, "ОТВЕТ.", or belong to it, "mvd.spb").
bool is_separator(std::string_view s, std::size_t i) {
  if (std::string_view(":;,!?\"*").find(s[i]) != std::string_view::npos) return true;
  return s.compare(i, 2, "«") == 0 || s.compare(i, 2, "»") == 0 || s.compare(i, 3, "—") == 0 ||
         s.compare(i, 3, "–") == 0;
}

std::size_t separator_size(std::string_view s, std::size_t i) {
  if (!is_separator(s, i)) return 0;
  auto c = static_cast<unsigned char>(s[i]);
  return c < 0x80 ? 1 : (c == 0xC2 ? 2 : 3);
}

class LineScanner {
 public:
  explicit LineScanner(std::string_view line) : s_(line) {}

  // The next word, folded ("" at the end); separators, a lone "-" or "." are skipped.
  std::string next() {
    for (;;) {
      skip_spaces_and_separators();
      if (pos_ >= s_.size()) return {};
      std::size_t begin = pos_;
      while (pos_ < s_.size() && space_at(s_, pos_) == 0 && separator_size(s_, pos_) == 0) {
        ++pos_;
      }
      std::size_t end = pos_;
      while (end > begin && s_[end - 1] == '.') --end;
      pos_ = end == begin ? pos_ : end;  // "ОТВЕТ." leaves the period for rest()
      std::string_view w = s_.substr(begin, end - begin);
      if (w.empty() || w.find_first_not_of('-') == w.npos) {
        if (pos_ == begin) ++pos_;
        continue;
      }
      return fold_phrase(w);
    }
  }

  // Peeks at the next word without consuming it.
  std::string peek() {
    std::size_t saved = pos_;
    std::string w = next();
    pos_ = saved;
    return w;
  }

  // What follows the words read so far. `inline_text` is set when it starts with a
  // separator (":", ".", "—", "-") and has text after it — the first line of the text;
  // otherwise a non-empty rest means unexpected words.
  struct Rest {
    bool empty = true;
    std::string inline_text;
  };
  Rest rest() const {
    std::string_view r = ltrim(s_.substr(pos_));
    Rest out;
    if (r.empty()) return out;
    bool separated = false;
    for (;;) {
      std::size_t n = separator_size(r, 0);
      if (n == 0 && !r.empty() && (r[0] == '.' || r[0] == '-')) n = 1;
      if (n == 0) break;
      separated = true;
      r = ltrim(r.substr(n));
      if (r.empty()) return out;
    }
    out.empty = false;
    if (separated) out.inline_text = std::string(rtrim(r));
    return out;
  }

 private:
  void skip_spaces_and_separators() {
    while (pos_ < s_.size()) {
      if (std::size_t n = space_at(s_, pos_); n != 0) {
        pos_ += n;
      } else if (std::size_t m = separator_size(s_, pos_); m != 0) {
        pos_ += m;
      } else {
        break;
      }
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

template <std::size_t N>
bool one_of(const std::string& w, const std::array<std::string_view, N>& list) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

// The line cut to a length an error message can quote.
std::string quote_line(std::string_view line) {
  std::string_view t = trim(line);
  std::string out;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if ((static_cast<unsigned char>(t[i]) & 0xC0) != 0x80 && ++chars > 60) {
      return std::string(rtrim(out)) + "…";
    }
    out += t[i];
  }
  return out;
}

CommandError unknown_command(std::string_view line) {
  return {"Не понял команду «" + quote_line(line) +
          "». Первая строка письма должна быть командой: " + std::string(kCommands) +
          ". Текст для клиента пишите со второй строки."};
}

CommandError extra_words(std::string_view line, std::string_view command) {
  return {"Не понял первую строку «" + quote_line(line) + "». В ней должна быть только команда " +
          std::string(command) + ". Текст для клиента начните со второй строки."};
}

std::optional<std::string> close_reason(const std::string& w) {
  auto has = [&](std::string_view p) { return w.starts_with(p); };
  if (w == "anonymous" || has("аноним")) return "anonymous";
  if (w == "obscene" || has("оскорбл") || has("нецензурн") || has("угроз")) return "obscene";
  if (w == "unreadable" || has("нечитаем") || has("неразборчив") || has("нечитабельн")) {
    return "unreadable";
  }
  if (w == "repeat" || has("повтор")) return "repeat";
  return std::nullopt;
}

// "Причина:", "Причины:", "Причина отказа:" at the start of a paragraph: the bytes after
// the colon, else nullopt.
std::optional<std::string_view> after_reason_word(std::string_view paragraph) {
  std::string_view t = ltrim(paragraph);
  while (!t.empty() && (t[0] == '*' || t[0] == '_')) t.remove_prefix(1);
  std::size_t colon = t.find(':');
  if (colon == t.npos || colon > 60) return std::nullopt;
  std::string head = fold_phrase(t.substr(0, colon));
  while (!head.empty() && (head.back() == '*' || head.back() == '_')) head.pop_back();
  head = fold_phrase(head);
  static constexpr std::array words{"причина"sv, "причины"sv, "причина отказа"sv,
                                    "причины отказа"sv};
  if (!one_of(head, words)) return std::nullopt;
  std::string_view rest = t.substr(colon + 1);
  while (!rest.empty() && (rest[0] == '*' || rest[0] == '_')) rest.remove_prefix(1);
  return rest;
}

std::string refusal_grounds(const std::string& text) {
  std::vector<std::string> paragraphs;
  std::string cur;
  for (const auto& line : split_lines(text)) {
    if (is_blank(line)) {
      if (!cur.empty()) paragraphs.push_back(std::move(cur));
      cur.clear();
      continue;
    }
    if (!cur.empty()) cur += '\n';
    cur += line;
  }
  if (!cur.empty()) paragraphs.push_back(std::move(cur));
  std::string grounds;
  for (std::size_t i = 0; i < paragraphs.size(); ++i) {
    auto rest = after_reason_word(paragraphs[i]);
    if (!rest) continue;
    std::string part(trim(*rest));
    // "Причина:" alone: the explanation is the next paragraph.
    if (part.empty() && i + 1 < paragraphs.size() && !after_reason_word(paragraphs[i + 1])) {
      part = std::string(trim(paragraphs[++i]));
    }
    if (part.empty()) continue;
    if (!grounds.empty()) grounds += "\n\n";
    grounds += part;
  }
  return grounds;
}

bool has_reason_paragraph(const std::string& text) {
  bool start = true;
  for (const auto& line : split_lines(text)) {
    if (is_blank(line)) {
      start = true;
      continue;
    }
    if (start && after_reason_word(line)) return true;
    start = false;
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// The command, step by step

// The first non-blank line is the command; nullopt when the letter has none.
std::optional<std::size_t> command_line_index(const std::vector<std::string>& lines) {
  std::size_t first = 0;
  while (first < lines.size() && is_blank(lines[first])) ++first;
  if (first == lines.size()) return std::nullopt;
  return first;
}

CommandError empty_letter() {
  return {"Письмо пустое. В первой строке напишите команду: " + std::string(kCommands) +
          ". Ниже напишите текст для клиента."};
}

// The action word or one of its synonyms; "без ответа" and "оставить без ответа" take more
// than one word. nullopt when the line starts with anything else.
std::optional<Action> read_action(LineScanner& scan) {
  static constexpr std::array answer{"ответ"sv, "ответить"sv};
  static constexpr std::array refuse{"отказ"sv, "отказать"sv};
  static constexpr std::array clarify{"уточнение"sv, "уточнить"sv, "вопрос"sv};
  static constexpr std::array forward{"переадресация"sv, "переадресовать"sv, "переслать"sv};
  static constexpr std::array transfer{"передать"sv, "передача"sv};
  static constexpr std::array extend{"продление"sv, "продлить"sv};
  std::string word = scan.next();
  if (one_of(word, answer)) return Action::answer;
  if (one_of(word, refuse)) return Action::refuse;
  if (one_of(word, clarify)) return Action::clarify;
  if (one_of(word, forward)) return Action::forward;
  if (one_of(word, transfer)) return Action::transfer;
  if (one_of(word, extend)) return Action::extend;
  if (word == "без" || word == "оставить") {
    if (word == "оставить" && scan.next() != "без") return std::nullopt;
    if (scan.next() != "ответа") return std::nullopt;
    return Action::close;
  }
  return std::nullopt;
}

// ПЕРЕАДРЕСАЦИЯ <body id> / ПЕРЕДАТЬ <officer id>: the first word that is not a filler
// ("ПЕРЕАДРЕСАЦИЯ в орган mvd", "ПЕРЕДАТЬ дело коллеге ivanova").
std::optional<CommandError> read_addressee(LineScanner& scan, OfficerCommand& cmd) {
  static constexpr std::array forward_fillers{"в"sv,      "во"sv,         "на"sv,        "орган"sv,
                                              "органу"sv, "письмо"sv,     "обращение"sv, "дело"sv,
                                              "по"sv,     "компетенции"sv};
  static constexpr std::array transfer_fillers{
      "дело"sv, "письмо"sv, "обращение"sv, "сотруднику"sv, "коллеге"sv, "на"sv, "к"sv};
  std::string w = scan.next();
  while (!w.empty() && (cmd.action == Action::forward ? one_of(w, forward_fillers)
                                                      : one_of(w, transfer_fillers))) {
    w = scan.next();
  }
  if (w.empty()) {
    if (cmd.action == Action::forward) {
      return CommandError{
          "После слова ПЕРЕАДРЕСАЦИЯ напишите код органа, куда переслать письмо, например: "
          "ПЕРЕАДРЕСАЦИЯ mvd. Коды органов знает администратор mailgate. Текст для клиента "
          "пишите со второй строки."};
    }
    return CommandError{
        "После слова ПЕРЕДАТЬ напишите код сотрудника, которому передаёте письмо, например: "
        "ПЕРЕДАТЬ ivanova. Код сотрудника знает администратор mailgate. Со второй строки "
        "можно написать записку коллеге."};
  }
  cmd.argument = w;
  return std::nullopt;
}

// ПРОДЛЕНИЕ <days>: digits, perhaps with a unit ("30", "30дн", "на 30 дней"), 1..365.
std::optional<CommandError> read_days(LineScanner& scan, OfficerCommand& cmd) {
  static constexpr std::array before{"срок"sv, "срока"sv, "ответа"sv, "на"sv};
  static constexpr std::array units{"дней"sv, "дня"sv,         "день"sv,
                                    "дн"sv,   "календарных"sv, "суток"sv};
  std::string w = scan.next();
  while (!w.empty() && one_of(w, before)) w = scan.next();
  std::size_t digits = 0;
  while (digits < w.size() && is_digit(w[digits])) ++digits;
  std::string suffix = w.substr(digits);
  if (digits == 0 || !(suffix.empty() || suffix == "д" || one_of(suffix, units))) {
    return CommandError{
        "Напишите цифрами, на сколько дней продлить срок, например: ПРОДЛЕНИЕ 30. Со второй "
        "строки напишите для клиента, почему нужно больше времени."};
  }
  std::string number = w.substr(0, digits);
  while (number.size() > 1 && number[0] == '0') number.erase(0, 1);
  int days = number.size() > 6 ? 1000000 : std::stoi(number);
  if (days < 1 || days > 365) {
    return CommandError{"Нельзя продлить срок на " + number +
                        " дн. Напишите число дней от 1 до 365, например: ПРОДЛЕНИЕ 30. По "
                        "закону срок ответа продлевают один раз и не больше чем на 30 дней."};
  }
  while (one_of(scan.peek(), units)) scan.next();
  cmd.days = days;
  cmd.argument = number;
  return std::nullopt;
}

// БЕЗ ОТВЕТА <reason>: one of the reasons of 59-FZ art. 11, in English or Russian.
std::optional<CommandError> read_close_reason(LineScanner& scan, OfficerCommand& cmd) {
  std::string w = scan.next();
  while (w == "причина" || w == "по" || w == "причине") w = scan.next();
  if (w.empty()) {
    return CommandError{
        "После слов БЕЗ ОТВЕТА напишите причину, например: БЕЗ ОТВЕТА "
        "аноним. Причины: " +
        std::string(kReasons) + "."};
  }
  auto reason = close_reason(w);
  if (!reason) {
    return CommandError{
        "Не понял причину «" + w +
        "». После слов БЕЗ ОТВЕТА напишите одну из причин: " + std::string(kReasons) + "."};
  }
  static constexpr std::array nouns{"обращение"sv, "письмо"sv, "сообщение"sv,
                                    "текст"sv,     "вопрос"sv, "брань"sv,
                                    "лексика"sv,   "слова"sv,  "выражения"sv};
  while (one_of(scan.peek(), nouns)) scan.next();
  cmd.argument = *reason;
  return std::nullopt;
}

// What follows the action word on the command line: its argument, if the action has one.
std::optional<CommandError> read_argument(LineScanner& scan, OfficerCommand& cmd) {
  switch (cmd.action) {
    case Action::answer:
    case Action::refuse:
    case Action::clarify:
      if (scan.peek() == "клиенту") scan.next();
      return std::nullopt;
    case Action::forward:
    case Action::transfer:
      return read_addressee(scan, cmd);
    case Action::extend:
      return read_days(scan, cmd);
    case Action::close:
      return read_close_reason(scan, cmd);
  }
  return std::nullopt;
}

// The text: what the command line has after a separator ("ОТВЕТ: Да.") and the lines below
// it, without quotes and signature. Other words after the command are an error.
std::optional<CommandError> read_text(const LineScanner& scan, std::string_view command_line,
                                      const std::vector<std::string>& lines, std::size_t first,
                                      OfficerCommand& cmd) {
  LineScanner::Rest rest = scan.rest();
  if (!rest.empty && rest.inline_text.empty()) {
    return extra_words(command_line, action_command(cmd.action));
  }
  std::vector<std::string> body;
  if (!rest.inline_text.empty()) body.push_back(rest.inline_text);
  body.insert(body.end(), lines.begin() + static_cast<std::ptrdiff_t>(first) + 1, lines.end());
  cmd.text = strip_lines(std::move(body));
  return std::nullopt;
}

// The error for an action whose text is required, when the text is empty; nullopt for the
// actions that may go without one.
std::optional<CommandError> missing_text(Action action) {
  const char* const kStripped =
      " Цитату старого письма и вашу подпись клиент не получит, поэтому пишите текст над ними.";
  switch (action) {
    case Action::answer:
      return CommandError{std::string("Под командой ОТВЕТ нет текста для клиента. Напишите "
                                      "ответ со второй строки письма.") +
                          kStripped};
    case Action::clarify:
      return CommandError{std::string("Под командой УТОЧНЕНИЕ нет вопроса для клиента. "
                                      "Напишите со второй строки, что нужно уточнить.") +
                          kStripped};
    case Action::refuse:
      return CommandError{
          std::string("Под командой ОТКАЗ нет текста для клиента. Напишите со второй строки, "
                      "в чём вы отказываете, и добавьте абзац «Причина: …» с объяснением "
                      "простыми словами.") +
          kStripped};
    case Action::extend:
      return CommandError{std::string("Под командой ПРОДЛЕНИЕ нет причины. Клиент получит "
                                      "письмо о новом сроке, и в нём нужно объяснить, почему "
                                      "нужно больше времени. Напишите причину со второй "
                                      "строки.") +
                          kStripped};
    case Action::forward:
    case Action::transfer:
    case Action::close:
      return std::nullopt;
  }
  return std::nullopt;
}

// R11: a refusal explains itself in a paragraph "Причина: …"; its text becomes cmd.grounds.
std::optional<CommandError> read_refusal_grounds(OfficerCommand& cmd) {
  cmd.grounds = refusal_grounds(cmd.text);
  if (!cmd.grounds.empty()) return std::nullopt;
  if (has_reason_paragraph(cmd.text)) {
    return CommandError{
        "Абзац «Причина:» пустой. Напишите после двоеточия простыми словами, почему вы "
        "отказываете."};
  }
  return CommandError{
      "В отказе нет абзаца «Причина:». Клиент должен понять, почему ему отказали, не "
      "открывая законов. Начните отдельный абзац словом «Причина:» и объясните причину "
      "простыми словами. Ссылку на закон можно добавить к объяснению, но не вместо "
      "него."};
}

// The parts an action cannot go without: its text, and for a refusal the grounds.
std::optional<CommandError> check_required_parts(OfficerCommand& cmd) {
  if (cmd.text.empty()) {
    if (auto error = missing_text(cmd.action)) return error;
  }
  if (cmd.action == Action::refuse) return read_refusal_grounds(cmd);
  return std::nullopt;
}

}  // namespace

std::string strip_quotes_and_signature(std::string_view text) {
  return strip_lines(split_lines(text));
}

std::string_view action_id(Action action) {
  switch (action) {
    case Action::answer:
      return "answer";
    case Action::refuse:
      return "refuse";
    case Action::forward:
      return "forward";
    case Action::transfer:
      return "transfer";
    case Action::clarify:
      return "clarify";
    case Action::extend:
      return "extend";
    case Action::close:
      return "close";
  }
  return "answer";
}

std::string_view action_command(Action action) {
  switch (action) {
    case Action::answer:
      return "ОТВЕТ";
    case Action::refuse:
      return "ОТКАЗ";
    case Action::forward:
      return "ПЕРЕАДРЕСАЦИЯ";
    case Action::transfer:
      return "ПЕРЕДАТЬ";
    case Action::clarify:
      return "УТОЧНЕНИЕ";
    case Action::extend:
      return "ПРОДЛЕНИЕ";
    case Action::close:
      return "БЕЗ ОТВЕТА";
  }
  return "ОТВЕТ";
}

std::variant<OfficerCommand, CommandError> parse_officer_command(std::string_view input) {
  std::vector<std::string> lines = split_lines(input);
  std::optional<std::size_t> first = command_line_index(lines);
  if (!first) return empty_letter();
  const std::string command_line(trim(lines[*first]));

  LineScanner scan(command_line);
  std::optional<Action> action = read_action(scan);
  if (!action) return unknown_command(command_line);
  OfficerCommand cmd;
  cmd.action = *action;
  if (auto error = read_argument(scan, cmd)) return std::move(*error);
  if (auto error = read_text(scan, command_line, lines, *first, cmd)) return std::move(*error);
  if (auto error = check_required_parts(cmd)) return std::move(*error);
  return cmd;
}

}  // namespace mailgate::cases
