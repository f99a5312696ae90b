// The client directory file as administrators keep it (cases/clients_csv): header names in
// English or Russian, Excel's BOM and ';', quoted fields, and every bad row reported by line
// while the good ones are kept.
#include <gtest/gtest.h>

#include <stdexcept>

#include "cases/clients_csv.hpp"

using mailgate::cases::parse_clients_csv;

TEST(ClientsCsv, RussianHeaderSemicolonsBomAndQuotes) {
  auto csv = parse_clients_csv("c.csv",
                               "\xEF\xBB\xBF"
                               "Адрес;ФИО;Должность;Доп_каналы\r\n"
                               "Ivan@Org.Example;\"Иванов; Иван\";главный специалист;"
                               "ivan@home.example alt@home.example\r\n");
  ASSERT_TRUE(csv.problems.empty()) << csv.problems.front();
  ASSERT_EQ(csv.rows.size(), 1u);
  EXPECT_EQ(csv.rows[0].email, "ivan@org.example");
  EXPECT_EQ(csv.rows[0].full_name, "Иванов; Иван");
  EXPECT_EQ(csv.rows[0].position, "главный специалист");
  ASSERT_EQ(csv.rows[0].additional_channels.size(), 2u);
  EXPECT_EQ(csv.rows[0].additional_channels[1], "alt@home.example");
}

TEST(ClientsCsv, BadRowsAreReportedByLineAndSkipped) {
  auto csv = parse_clients_csv("c.csv",
                               "email,full_name,additional_channels\n"
                               "a@x.example,A,\n"
                               "not-an-address,B,\n"
                               "c@x.example,C\n"
                               "\n"
                               "a@x.example,A again,\n"
                               "d@x.example,D,\"x..y@\"\n"
                               "e@x.example,E,\n");
  ASSERT_EQ(csv.rows.size(), 2u);
  EXPECT_EQ(csv.rows[0].email, "a@x.example");
  EXPECT_EQ(csv.rows[1].email, "e@x.example");
  ASSERT_EQ(csv.problems.size(), 4u);
  EXPECT_EQ(csv.problems[0], "c.csv:3: not an e-mail address: \"not-an-address\"");
  EXPECT_EQ(csv.problems[1], "c.csv:4: expected 3 fields, found 2");
  EXPECT_EQ(csv.problems[2], "c.csv:6: a@x.example is already on line 2");
  EXPECT_EQ(csv.problems[3], "c.csv:7: additional_channels: not e-mail addresses: \"x..y@\"");
}

TEST(ClientsCsv, UnusableHeaderIsAnError) {
  EXPECT_THROW(parse_clients_csv("c.csv", ""), std::runtime_error);
  EXPECT_THROW(parse_clients_csv("c.csv", "full_name\nA\n"), std::runtime_error);
  try {
    parse_clients_csv("c.csv", "email,shoe_size\n");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("c.csv:1: unknown column \"shoe_size\"", 0), 0u)
        << e.what();
  }
}
