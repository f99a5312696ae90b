#include "rules/rule.hpp"

#include <map>

#include "rules/regex_bank.hpp"

namespace mailgate::rules {

RuleSet::RuleSet() : regexes_(std::make_shared<RegexBank>()) {}
RuleSet::RuleSet(std::vector<Rule> rules, std::shared_ptr<const RegexBank> regexes)
    : rules_(std::move(rules)), regexes_(std::move(regexes)) {}
RuleSet::RuleSet(RuleSet&&) noexcept = default;
RuleSet& RuleSet::operator=(RuleSet&&) noexcept = default;
RuleSet::~RuleSet() = default;

std::string topic_name(const std::string& topic) {
  static const std::map<std::string, std::string> names = {
      {"law", "применение антикоррупционного законодательства"},
      {"declarations", "сведения о доходах, расходах, об имуществе"},
      {"conflict_of_interest", "конфликт интересов"},
      {"sites", "сведения об адресах сайтов"},
      {"restrictions", "запреты, ограничения и обязанности"},
      {"other", "другое"},
      {"out_of_remit", "вне компетенции отдела"},
  };
  auto it = names.find(topic);
  return it == names.end() ? topic : it->second;
}

}  // namespace mailgate::rules
