// Loading rule files: what `mailgate check-config` reports, each problem at its exact
// file:line:column, all problems of all files at once.
#include <gtest/gtest.h>

#include "rules/rule_load.hpp"

namespace {

using namespace mailgate::rules;

const Vocabulary kKnown{{"prevention"}, {"smirnova"}};

std::vector<std::string> problems(const std::string& toml, const std::string& name = "r.toml") {
  return check_rule_files({{name, toml}}, kKnown);
}

/// The only problem of the file.
std::string problem(const std::string& toml) {
  auto all = problems(toml);
  EXPECT_EQ(all.size(), 1u) << ::testing::PrintToString(all);
  return all.empty() ? "" : all.front();
}

// A valid rule to build broken ones from; line 1 is [[rule]].
const std::string kHead = "[[rule]]\nid = \"r\"\ndescription = \"Правило\"\n";

TEST(RulesLoad, ValidFileLoads) {
  RuleSet rs = load_rule_set(
      {{"a.toml", kHead + "when = { words = [\"справка\"] }\nthen = { score = 1 }\n"}}, kKnown);
  ASSERT_EQ(rs.rules().size(), 1u);
  EXPECT_EQ(rs.rules()[0].id, "r");
  EXPECT_EQ(rs.rules()[0].source, "a.toml:1");
  EXPECT_EQ(rs.rules()[0].when->phrases.at(0).stems, (std::vector<std::string>{"справк"}));
}

TEST(RulesLoad, UnknownKeys) {
  EXPECT_EQ(problem("colour = 1\n"),
            "r.toml:1:1: unknown key \"colour\" (a rule file holds [[rule]] tables)");
  EXPECT_EQ(problem(kHead + "priority = 1\nthen = { score = 1 }\n"),
            "r.toml:4:1: unknown key \"priority\" in a rule (allowed: id, description, enabled, "
            "when, then)");
  EXPECT_EQ(problem(kHead + "then = { score = 1, colour = \"red\" }\n"),
            "r.toml:4:21: unknown key \"colour\" in the actions ([rule.then]) (allowed: urgency, "
            "score, topic, unit, officer, term, notify, kb, tags, stop)");
  EXPECT_EQ(problem(kHead + "when = { words = [\"а\"], inn = \"body\" }\nthen = { score = 1 }\n"),
            "r.toml:4:25: unknown key \"inn\" in a words condition (allowed: words, in)");
  EXPECT_EQ(problem(kHead + "when = { wrods = [\"а\"] }\nthen = { score = 1 }\n"),
            "r.toml:4:10: unknown key \"wrods\" in a condition (a condition is one of: addressee, "
            "all, any, arrival, attachments, dates, history, mailbox, near_date, not, profile, "
            "regex, sender, sender_domain, words)");
  // Inside [[rule.when.all]] tables, nested a level down.
  EXPECT_EQ(
      problem(kHead +
              "[[rule.when.all]]\nwords = [\"а\"]\n[[rule.when.all]]\ndates = \"02-10..04-30\"\n"
              "override = {}\n[rule.then]\nscore = 1\n"),
      "r.toml:8:1: unknown key \"override\" in a dates condition (allowed: dates, overrides)");
}

TEST(RulesLoad, OneKindPerCondition) {
  EXPECT_EQ(problem(kHead +
                    "when = { words = [\"а\"], dates = \"02-10..04-30\" }\nthen = { score = 1 }\n"),
            "r.toml:4:25: one condition per table: combine \"words\" and \"dates\" with all = "
            "[{...}, {...}]");
}

TEST(RulesLoad, BadRegularExpression) {
  EXPECT_EQ(problem(kHead + "when = { regex = 'справк(а' }\nthen = { score = 1 }\n"),
            "r.toml:4:18: bad regular expression \"справк(а\": missing ): справк(а");
}

TEST(RulesLoad, UnknownTopicUnitOfficer) {
  EXPECT_EQ(
      problem(kHead + "then = { topic = \"gifts\" }\n"),
      "r.toml:4:18: unknown topic \"gifts\" (allowed: law, declarations, conflict_of_interest, "
      "sites, restrictions, other, out_of_remit)");
  EXPECT_EQ(problem(kHead + "then = { unit = \"kadry\" }\n"),
            "r.toml:4:17: unknown unit \"kadry\" (the configuration defines: prevention)");
  EXPECT_EQ(problem(kHead + "then = { officer = \"ivanov\" }\n"),
            "r.toml:4:20: unknown officer \"ivanov\" (the configuration defines: smirnova)");
  EXPECT_EQ(
      problem(kHead + "then = { notify = [\"boss\"] }\n"),
      "r.toml:4:19: notify: \"boss\" is neither \"officer\", \"unit_head\" nor a known officer id");
  EXPECT_EQ(problem(kHead + "then = { urgency = \"high\" }\n"),
            "r.toml:4:20: unknown urgency \"high\" (allowed: urgent, normal)");
}

TEST(RulesLoad, UnreadableTerm) {
  EXPECT_EQ(
      problem(kHead + "then = { term = \"2 недели\" }\n"),
      "r.toml:4:17: term: \"2 недели\" is not a deadline term (unknown unit \"недели\"): write "
      "\"N days\", \"N working days\" or \"N working hours\", or in Russian \"N дней\", \"N "
      "рабочих дней\", \"N рабочих часов\", with N from 1 to 10000");
}

TEST(RulesLoad, ValuesOfConditions) {
  EXPECT_EQ(problem(kHead + "when = { dates = \"02-30..04-30\" }\nthen = { score = 1 }\n"),
            "r.toml:4:18: dates: \"02-30..04-30\" is not a window like \"02-10..04-30\"");
  EXPECT_EQ(
      problem(kHead + "when = { dates = \"02-10..04-30\", overrides = { 20 = \"02-10..08-01\" } }\n"
                      "then = { score = 1 }\n"),
      "r.toml:4:48: overrides: \"20\" is not a year");
  EXPECT_EQ(problem(kHead + "when = { history = \"messages\", days = 7 }\nthen = { score = 1 }\n"),
            "r.toml:4:8: history = \"messages\" needs days = N and at_least = N");
  EXPECT_EQ(
      problem(kHead + "when = { history = \"similar\", threshold = 1.5 }\nthen = { score = 1 }\n"),
      "r.toml:4:43: threshold must be a number above 0 and at most 1, e.g. 0.6");
  EXPECT_EQ(problem(kHead + "when = { attachments = \"size\" }\nthen = { score = 1 }\n"),
            "r.toml:4:24: unknown attachments \"size\" (allowed: count, type, name)");
  EXPECT_EQ(
      problem(kHead + "when = { attachments = \"type\", is = \"pdf\" }\nthen = { score = 1 }\n"),
      "r.toml:4:37: is: \"pdf\" is not a content type like \"application/pdf\"");
  EXPECT_EQ(problem(kHead + "when = { arrival = \"night\" }\nthen = { score = 1 }\n"),
            "r.toml:4:20: unknown arrival \"night\" (allowed: office_hours, outside_office_hours, "
            "day_off)");
  EXPECT_EQ(problem(kHead + "when = { sender = \"lenobl.example\" }\nthen = { score = 1 }\n"),
            "r.toml:4:19: sender: \"lenobl.example\" is not an address (for a whole domain use "
            "sender_domain)");
  EXPECT_EQ(problem(kHead + "when = { words = [\"«»\"] }\nthen = { score = 1 }\n"),
            "r.toml:4:18: words: \"«»\" has no letters or digits");
  EXPECT_EQ(
      problem(kHead +
              "when = { words = [\"а б в г д е ж з и к л м н о п р с\"] }\nthen = { score = 1 }\n"),
      "r.toml:4:18: words: \"а б в г д е ж з и к л м н о п р с\" is longer than 16 words");
  EXPECT_EQ(problem(kHead + "when = { profile = \"position\" }\nthen = { score = 1 }\n"),
            "r.toml:4:8: profile = \"position\" needs either is = [...] (exact values) or words = "
            "[...] (words)");
  EXPECT_EQ(problem(kHead + "when = { near_date = 40 }\nthen = { score = 1 }\n"),
            "r.toml:4:22: near_date must be from 0 to 31");
  EXPECT_EQ(problem(kHead + "when = { all = [] }\nthen = { score = 1 }\n"),
            "r.toml:4:16: all must be a non-empty list of conditions: [{...}, {...}]");
  EXPECT_EQ(problem(kHead + "then = { score = \"5\" }\n"),
            "r.toml:4:18: score must be a whole number");
}

TEST(RulesLoad, RuleShape) {
  EXPECT_EQ(problem("[[rule]]\ndescription = \"Правило\"\nthen = { score = 1 }\n"),
            "r.toml:1:1: the rule has no id");
  EXPECT_EQ(problem("[[rule]]\nid = \"r\"\nthen = { score = 1 }\n"),
            "r.toml:1:1: the rule has no description (a sentence in Russian for the officer)");
  EXPECT_EQ(problem(kHead), "r.toml:1:1: the rule has no actions ([rule.then])");
  EXPECT_EQ(problem("[[rule]]\nid = \"Правило 1\"\ndescription = \"П\"\nthen = { score = 1 }\n"),
            "r.toml:2:6: id \"Правило 1\" may hold only lower-case Latin letters, digits, '-', '_' "
            "and '.'");
  EXPECT_EQ(problem("rule = 5\n"), "r.toml:1:8: \"rule\" must be written as [[rule]] tables");
}

TEST(RulesLoad, TomlSyntaxError) {
  auto all = problems(kHead + "then = { score = }\n");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].rfind("r.toml:4:", 0), 0u) << all[0];
}

TEST(RulesLoad, DuplicateIdAcrossFilesInNameOrder) {
  std::string rule = kHead + "then = { score = 1 }\n";
  // Given out of order: files load in name order, so the later name is the duplicate.
  auto all = check_rule_files({{"20-b.toml", "\n" + rule}, {"10-a.toml", rule}}, kKnown);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0], "20-b.toml:3:6: rule id \"r\" is used twice (also at 10-a.toml:2)");
}

TEST(RulesLoad, AllProblemsOfAllFilesAtOnce) {
  std::vector<SourceFile> files = {
      {"a.toml", kHead + "when = { regex = '(' }\nthen = { topic = \"x\", term = \"soon\" }\n"},
      {"b.toml", "junk = 1\n"},
  };
  auto all = check_rule_files(files, kKnown);
  ASSERT_EQ(all.size(), 4u) << ::testing::PrintToString(all);
  EXPECT_EQ(all[0].rfind("a.toml:4:18: bad regular expression", 0), 0u);
  EXPECT_EQ(all[1].rfind("a.toml:5:18: unknown topic \"x\"", 0), 0u);
  EXPECT_EQ(all[2].rfind("a.toml:5:30: term: \"soon\"", 0), 0u);
  EXPECT_EQ(all[3].rfind("b.toml:1:1: unknown key \"junk\"", 0), 0u);
  try {
    load_rule_set(files, kKnown);
    FAIL() << "expected RuleError";
  } catch (const RuleError& e) {
    EXPECT_EQ(e.errors(), all);
    EXPECT_EQ(std::string(e.what()).find('\n') != std::string::npos, true);
  }
}

TEST(RulesLoad, DeepNestingIsRefused) {
  std::string when = "{ words = [\"а\"] }";
  for (int i = 0; i < 40; ++i) when = "{ not = " + when + " }";
  auto all = problems(kHead + "when = " + when + "\nthen = { score = 1 }\n");
  ASSERT_FALSE(all.empty());
  EXPECT_NE(all[0].find("conditions nest deeper than 32 levels"), std::string::npos) << all[0];
}

TEST(RulesLoad, NoFilesNoRules) { EXPECT_TRUE(load_rule_set({}, kKnown).rules().empty()); }

}  // namespace
