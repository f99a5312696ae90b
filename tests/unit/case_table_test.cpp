#include <gtest/gtest.h>

#include "cases/case_table.hpp"

using mailgate::cases::case_table;
using mailgate::cases::display_width;

TEST(CaseTable, AlignsCyrillicByCharactersNotBytes) {
  mailgate::storage::CaseSummary a;
  a.regno = "УПК-2026-000001";
  a.received_at = "2026-03-25T17:19:02+03:00";
  a.from_name = "Гарипова Эльвира";
  a.from_address = "eg@x.example";
  a.subject = "Подарок";
  a.status = "registered";
  a.urgency = "urgent";
  a.deadline = "2026-03-27T17:00:00+03:00";
  auto b = a;
  b.regno = "УПК-2026-000002";
  b.from_name = "";
  b.subject = std::string(100, 'x');
  b.status = "unparsed";
  auto text = case_table({a, b});
  std::vector<std::string> lines;
  for (std::size_t p = 0, q; (q = text.find('\n', p)) != std::string::npos; p = q + 1) {
    lines.push_back(text.substr(p, q - p));
  }
  ASSERT_EQ(lines.size(), 5u);
  // The subject column starts at the same display column on every row.
  auto col = [&](const std::string& line, const std::string& needle) {
    return display_width(line.substr(0, line.find(needle)));
  };
  EXPECT_EQ(col(lines[2], "Подарок"), col(lines[3], "[unparsed]"));
  EXPECT_NE(lines[3].find("…"), std::string::npos) << "long subjects are cut";
  EXPECT_EQ(lines[4], "Всего: 2");
  EXPECT_NE(lines[2].find("срочно"), std::string::npos) << lines[2];
  EXPECT_NE(lines[2].find("2026-03-27 17:00"), std::string::npos) << lines[2];
}
