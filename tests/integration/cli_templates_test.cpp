// The template and plain-language commands, as an administrator runs them.
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>

#include "harness.hpp"

using mailgate::test::run;
namespace fs = std::filesystem;

namespace {
std::string bin() { return mailgate::test::mailgate_binary().string(); }
}  // namespace

TEST(CliTemplates, PreviewRendersEveryTemplate) {
  for (const char* name :
       {"acknowledgement", "forwarding_notice", "answer", "refusal", "clarification_request",
        "extension_notice", "notice_anonymous", "notice_obscene", "notice_unreadable",
        "officer_alert", "head_alert", "delivery_failure_alert", "follow_up_alert"}) {
    auto r = run({bin(), "--config", "/nonexistent/none.toml", "template", "preview", name});
    // An explicit --config that does not exist is a configuration error...
    EXPECT_EQ(r.exit_code, 2) << name;
    // ...without one, the shipped templates and default thresholds are used.
    r = run({bin(), "template", "preview", name}, {{"MAILGATE_CONFIG", ""}});
    ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
    EXPECT_EQ(r.out.rfind("Subject: [УПК-", 0), 0u) << r.out.substr(0, 200);
  }
  auto bad = run({bin(), "template", "preview", "no_such"}, {{"MAILGATE_CONFIG", ""}});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("acknowledgement"), std::string::npos);
}

TEST(CliTemplates, LintTextPassesPlainTextAndFailsBureaucratese) {
  fs::path dir = fs::temp_directory_path() / ("mg-lint-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "plain.txt") << "Мы получили ваше письмо. Ответим до 28 декабря.\n";
  std::ofstream(dir / "bad.txt") << "В соответствии с п. 3 ст. 11 Федерального закона № 59-ФЗ.\n"
                                    "Данный вопрос осуществляется в рамках компетенции.\n";
  auto ok = run({bin(), "lint-text", (dir / "plain.txt").string()}, {{"MAILGATE_CONFIG", ""}});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  auto bad = run({bin(), "lint-text", (dir / "bad.txt").string()}, {{"MAILGATE_CONFIG", ""}});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find("bad.txt:1: ссылка на закон без объяснения"), std::string::npos)
      << bad.out;
  EXPECT_NE(bad.out.find("bad.txt:2: канцеляризм «Данный»"), std::string::npos) << bad.out;
  fs::remove_all(dir);
}

TEST(CliTemplates, CheckConfigNamesFileAndLineOfAnUnknownVariable) {
  mailgate::test::Sandbox sb;
  fs::path dir = sb.dir() / "templates";
  fs::copy(mailgate::test::source_dir() / "templates" / "mail", dir);
  {
    std::ifstream in(dir / "answer.txt");
    std::string text((std::istreambuf_iterator<char>(in)), {});
    std::size_t at = text.find("{{text}}");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 8, "{{txet}}");
    std::ofstream(dir / "answer.txt") << text;
  }
  std::ofstream(sb.config(), std::ios::app)
      << "\n[templates]\ndirectory = \"" << dir.string() << "\"\n";
  auto r = sb.mailgate({"check-config"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find((dir / "answer.txt").string() + ":"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("txet"), std::string::npos) << r.err;
  // The daemon refuses to start with it, too.
  auto run_r = sb.mailgate({"run", "--once"});
  EXPECT_EQ(run_r.exit_code, 2);
}
