// The officers' actions from the console follow the same rules as by mail.
#include <gtest/gtest.h>

#include <fstream>

#include "harness.hpp"
#include "sink.hpp"

using mailgate::test::Sandbox;
using mailgate::test::sent_to;
using mailgate::test::sink;

TEST(CaseCli, ShowListAndActionsWithTheSameGate) {
  Sandbox sb;
  mailgate::test::deliver_texts(
      // The client's domain vouches for the letter, so its second channel counts at once.
      sb, {mailgate::test::mta_pass(sb, "example.org") +
           "From: Иван Петров <ivan@example.org>\r\nTo: work@sandbox.test\r\n"
           "Subject: Вопрос\r\nMessage-ID: <cli1@example.org>\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\nМожно ли принять подарок?\r\n"
           "Дополнительный канал: second@example.org\r\n"});
  auto r = sb.mailgate({"run", "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string regno = sb.sql("SELECT regno FROM cases")[0][0];

  r = sb.mailgate({"case", "show", regno});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Дело " + regno), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Статус: зарегистрировано, ответа ещё нет (registered)"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("зарегистрировано [registered]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("письмо отправлено [mail_sent]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("second@example.org"), std::string::npos);

  auto dir = sb.dir();
  std::ofstream(dir / "bare.txt") << "Причина: в соответствии с п. 3 ст. 11 Федерального закона "
                                     "№ 59-ФЗ.\n";
  r = sb.mailgate(
      {"case", "refuse", regno, "--file", (dir / "bare.txt").string(), "--as", "officer"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("только ссылкой на закон"), std::string::npos) << r.err;
  EXPECT_EQ(sb.sql("SELECT status FROM cases")[0][0], "registered");

  std::ofstream(dir / "answer.txt") << "Подарок стоимостью до трёх тысяч рублей можно оставить. "
                                       "Памятка приложена.\n";
  std::ofstream(dir / "памятка.pdf", std::ios::binary) << "%PDF-1.4 test\n";
  r = sb.mailgate({"case", "answer", regno, "--file", (dir / "answer.txt").string(), "--attach",
                   (dir / "памятка.pdf").string(), "--as", "officer@sandbox.test"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(sb.sql("SELECT status, outcome FROM cases")[0],
            (std::vector<std::string>{"answered", "answered"}));
  EXPECT_EQ(sb.sql("SELECT detail->>'via' FROM case_events WHERE kind = 'answer'")[0][0],
            "console");
  r = sb.mailgate({"run", "--once"});  // the daemon sends what the console queued
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* to : {"ivan@example.org", "second@example.org"}) {
    auto mine = sent_to(sink(sb), to);
    ASSERT_EQ(mine.size(), 2u) << to;
    ASSERT_EQ(mine[1].mail.attachments.size(), 1u);
    EXPECT_EQ(mine[1].mail.attachments[0].filename, "памятка.pdf");
    EXPECT_NE(mine[1].mail.text.find("Памятка приложена"), std::string::npos);
  }

  r = sb.mailgate({"case", "list", "--status", "answered", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(regno), std::string::npos);
  r = sb.mailgate({"case", "list", "--overdue", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");

  r = sb.mailgate(
      {"case", "answer", regno, "--file", (dir / "answer.txt").string(), "--as", "officer"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("уже закрыто"), std::string::npos) << r.err;
  r = sb.mailgate(
      {"case", "answer", regno, "--file", (dir / "answer.txt").string(), "--as", "nobody"});
  EXPECT_EQ(r.exit_code, 2);
}
