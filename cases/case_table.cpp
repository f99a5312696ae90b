#include "cases/case_table.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

#include "base/terminal_text.hpp"
#include "cases/case_words.hpp"

namespace mailgate::cases {
namespace {

/// Cuts UTF-8 text to at most `width` code points, marking the cut with "…".
std::string fit(const std::string& s, std::size_t width) {
  if (display_width(s) <= width) return s;
  std::string out;
  std::size_t cols = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0xf0) {
      len = 4;
    } else if (c >= 0xe0) {
      len = 3;
    } else if (c >= 0xc0) {
      len = 2;
    }
    if (cols + 1 >= width) break;
    out.append(s, i, len);
    i += len;
    ++cols;
  }
  return out + "…";
}

std::string pad(const std::string& s, std::size_t width) {
  std::size_t w = display_width(s);
  return s + std::string(w < width ? width - w : 0, ' ');
}

// Text from a letter: on one line, and nothing in it may drive the terminal.
std::string one_line(const std::string& s) { return base::visible_line(s); }

}  // namespace

std::string flag_text(const std::vector<std::string>& flags) {
  static const std::map<std::string, std::string> words = {
      {"auto_reply", "автоответ"},
      {"bounce", "отказ доставки"},
      {"mailing_list", "рассылка"},
      {"no_reply", "адрес без ответа"},
      {"own_mail", "наше письмо"},
      {"ack_rate_limited", "без подтверждения: лимит"},
      {"ack_suppressed", "без подтверждения: адрес недоступен"},
      {"no_address", "нет адреса"},
      {"plan_failed", "не разобрано, сообщено дежурному"},
      {"from_office", "с адреса управления"},
      {"alert_rate_limited", "без оповещения: лимит"},
      {"ack_suppressed_by_sender", "без подтверждения: просил отправитель"},
      {"suspected_spoofing", "возможна подделка"},
  };
  std::string out;
  for (const auto& f : flags) {
    std::string word;
    if (auto it = words.find(f); it != words.end()) {
      word = it->second;
    } else if (f.rfind("linked:", 0) == 0) {
      word = "ссылается на " + f.substr(7);
    } else {
      word = f;
    }
    out += (out.empty() ? "" : ", ") + word;
  }
  return out;
}

std::size_t display_width(const std::string& utf8) {
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  }));
}

std::string case_table(const std::vector<storage::CaseSummary>& cases) {
  const std::vector<std::string> head = {"Рег. номер", "Получено",    "Отправитель", "Тема",
                                         "Срочность",  "Ответить до", "Вложений",    "Отметки"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : cases) {
    std::string from =
        c.from_name.empty() ? c.from_address : c.from_name + " <" + c.from_address + ">";
    std::string when = c.received_at.substr(0, 16);
    std::replace(when.begin(), when.end(), 'T', ' ');
    std::string subject =
        c.status == "registered" ? c.subject : "[" + status_word(c.status) + "] " + c.subject;
    std::string urgency = c.urgency == "urgent" ? "срочно" : c.urgency == "normal" ? "обычно" : "—";
    std::string due = c.deadline.empty() ? "—" : c.deadline.substr(0, 16);
    std::replace(due.begin(), due.end(), 'T', ' ');
    rows.push_back({one_line(c.regno), when, fit(one_line(from), 40), fit(one_line(subject), 50),
                    urgency, due, std::to_string(c.attachments), one_line(flag_text(c.flags))});
  }
  std::vector<std::size_t> width(head.size());
  for (std::size_t i = 0; i < head.size(); ++i) width[i] = display_width(head[i]);
  for (const auto& r : rows) {
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], display_width(r[i]));
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      out += i + 1 < cells.size() ? pad(cells[i], width[i]) + "  " : cells[i];
    }
    out += "\n";
  };
  line(head);
  std::vector<std::string> rule;
  rule.reserve(width.size());
  for (auto w : width) rule.emplace_back(w, '-');
  line(rule);
  for (const auto& r : rows) line(r);
  out += "Всего: " + std::to_string(cases.size()) + "\n";
  return out;
}

std::string case_json(const storage::CaseSummary& c) {
  nlohmann::json j = {
      {"regno", c.regno},
      {"received_at", c.received_at},
      {"from", {{"name", c.from_name}, {"address", c.from_address}}},
      {"subject", c.subject},
      {"status", c.status},
      {"sha256", c.sha256},
      {"message_id", c.message_id},
      {"attachments", c.attachments},
      {"urgency", c.urgency.empty() ? nlohmann::json() : nlohmann::json(c.urgency)},
      {"topic", c.topic.empty() ? nlohmann::json() : nlohmann::json(c.topic)},
      {"deadline", c.deadline.empty() ? nlohmann::json() : nlohmann::json(c.deadline)},
      {"flags", c.flags}};
  return j.dump();
}

}  // namespace mailgate::cases
