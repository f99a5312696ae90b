// Reading and checking rule files. Administrators edit them by hand, so every problem is
// reported at the exact key or value as "file:line:column: reason", and all problems of all
// files are collected in one pass instead of stopping at the first.
#include "rules/rule_load.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <map>

#include "rules/regex_bank.hpp"

namespace mailgate::rules {

namespace {

/// Deeper nesting of all/any/not than this is surely a mistake (and would recurse without
/// bound on a hostile file).
constexpr int kMaxDepth = 32;

const std::map<std::string_view, std::vector<std::string_view>>& condition_keys() {
  // Each condition kind and the keys that may accompany it.
  static const std::map<std::string_view, std::vector<std::string_view>> keys = {
      {"all", {}},
      {"any", {}},
      {"not", {}},
      {"words", {"in"}},
      {"regex", {"in", "case_sensitive"}},
      {"sender", {}},
      {"sender_domain", {}},
      {"profile", {"is", "words"}},
      {"history", {"days", "at_least", "threshold"}},
      {"attachments", {"at_least", "at_most", "is", "glob"}},
      {"dates", {"overrides"}},
      {"arrival", {}},
      {"mailbox", {}},
      {"addressee", {}},
      {"near_date", {}},
  };
  return keys;
}

std::string join(const std::vector<std::string_view>& items) {
  std::string out;
  for (auto item : items) out += (out.empty() ? "" : ", ") + std::string(item);
  return out;
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string lower_ascii(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return s;
}

class Loader {
 public:
  explicit Loader(const Vocabulary& known) : known_(known), bank_(std::make_shared<RegexBank>()) {}

  void load(const SourceFile& file) {
    file_ = file.name;
    toml::table root;
    try {
      root = toml::parse(std::string_view(file.contents), std::string_view(file.name));
    } catch (const toml::parse_error& e) {
      error(e.source(), std::string(e.description()));
      return;
    }
    for (const auto& [key, value] : root) {
      if (key.str() != "rule") {
        error(key.source(),
              "unknown key " + quoted(key.str()) + " (a rule file holds [[rule]] tables)");
        continue;
      }
      const toml::array* list = value.as_array();
      if (list == nullptr || !list->is_array_of_tables()) {
        error(value.source(), "\"rule\" must be written as [[rule]] tables");
        continue;
      }
      for (const toml::node& item : *list) read_rule(*item.as_table());
    }
  }

  std::vector<std::string> errors() const { return errors_; }

  RuleSet result() {
    bank_->finish();
    return RuleSet(std::move(rules_), bank_);
  }

 private:
  void error(const toml::source_region& at, const std::string& reason) {
    // A missing key has no position of its own; the caller passes its table's.
    auto line = at.begin.line == 0 ? 1u : at.begin.line;
    auto column = at.begin.column == 0 ? 1u : at.begin.column;
    errors_.push_back(file_ + ':' + std::to_string(line) + ':' + std::to_string(column) + ": " +
                      reason);
  }

  void check_keys(const toml::table& table, const std::vector<std::string_view>& allowed,
                  const std::string& where) {
    for (const auto& [key, value] : table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
        error(key.source(), "unknown key " + quoted(key.str()) + " " + where +
                                " (allowed: " + join(allowed) + ")");
      }
    }
  }

  std::optional<std::string> string(const toml::node& n, std::string_view key,
                                    bool non_empty = true) {
    if (!n.is_string()) {
      error(n.source(), std::string(key) + " must be a string in quotes");
      return std::nullopt;
    }
    std::string s = n.as_string()->get();
    if (non_empty && s.find_first_not_of(" \t") == std::string::npos) {
      error(n.source(), std::string(key) + " must not be empty");
      return std::nullopt;
    }
    return s;
  }

  /// A string or a list of strings, at least one.
  std::optional<std::vector<std::string>> strings(const toml::node& n, std::string_view key) {
    std::vector<std::string> out;
    if (n.is_string()) {
      auto s = string(n, key);
      if (!s) return std::nullopt;
      out.push_back(*s);
      return out;
    }
    const toml::array* list = n.as_array();
    if (list == nullptr || list->empty()) {
      error(n.source(), std::string(key) + " must be a string or a non-empty list of strings");
      return std::nullopt;
    }
    bool ok = true;
    for (const toml::node& item : *list) {
      auto s = string(item, key);
      if (s) out.push_back(*s);
      ok = ok && s.has_value();
    }
    if (!ok) return std::nullopt;
    return out;
  }

  std::optional<int> integer(const toml::node& n, std::string_view key, int min, int max) {
    if (!n.is_integer()) {
      error(n.source(), std::string(key) + " must be a whole number");
      return std::nullopt;
    }
    int64_t v = n.as_integer()->get();
    if (v < min || v > max) {
      error(n.source(), std::string(key) + " must be from " + std::to_string(min) + " to " +
                            std::to_string(max));
      return std::nullopt;
    }
    return int(v);
  }

  std::optional<bool> boolean(const toml::node& n, std::string_view key) {
    if (!n.is_boolean()) {
      error(n.source(), std::string(key) + " must be true or false");
      return std::nullopt;
    }
    return n.as_boolean()->get();
  }

  std::optional<std::string> choice(const toml::node& n, std::string_view key,
                                    const std::vector<std::string_view>& allowed) {
    auto s = string(n, key);
    if (!s) return std::nullopt;
    if (std::find(allowed.begin(), allowed.end(), *s) == allowed.end()) {
      error(n.source(),
            "unknown " + std::string(key) + " " + quoted(*s) + " (allowed: " + join(allowed) + ")");
      return std::nullopt;
    }
    return s;
  }

  // --- rules ------------------------------------------------------------------------------

  void read_rule(const toml::table& t) {
    check_keys(t, {"id", "description", "enabled", "when", "then"}, "in a rule");
    Rule rule;
    bool ok = true;
    rule.source = file_ + ':' + std::to_string(t.source().begin.line);
    if (const toml::node* n = t.get("id")) {
      auto id = string(*n, "id");
      if (id &&
          id->find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_.") != std::string::npos) {
        error(n->source(), "id " + quoted(*id) +
                               " may hold only lower-case Latin letters, digits, '-', '_' and '.'");
        id.reset();
      }
      if (id) {
        auto [it, fresh] = ids_.emplace(*id, file_ + ':' + std::to_string(n->source().begin.line));
        if (!fresh) {
          error(n->source(),
                "rule id " + quoted(*id) + " is used twice (also at " + it->second + ")");
        }
        rule.id = *id;
      }
      ok = ok && id.has_value();
    } else {
      error(t.source(), "the rule has no id");
      ok = false;
    }
    if (const toml::node* n = t.get("description")) {
      auto d = string(*n, "description");
      if (d) rule.description = *d;
    } else {
      error(t.source(), "the rule has no description (a sentence in Russian for the officer)");
    }
    bool enabled = true;
    if (const toml::node* n = t.get("enabled")) enabled = boolean(*n, "enabled").value_or(true);
    if (const toml::node* n = t.get("when")) {
      rule.when = condition(*n, 0);
      ok = ok && rule.when.has_value();
    }
    if (const toml::node* n = t.get("then")) {
      if (const toml::table* then = n->as_table()) {
        rule.then = actions(*then);
      } else {
        error(n->source(), "then must be a table: [rule.then]");
      }
    } else {
      error(t.source(), "the rule has no actions ([rule.then])");
    }
    if (ok && enabled) rules_.push_back(std::move(rule));
  }

  // --- conditions ---------------------------------------------------------------------------

  std::optional<Condition> condition(const toml::node& n, int depth) {
    const toml::table* t = n.as_table();
    if (t == nullptr) {
      error(n.source(), "a condition must be a table, e.g. { words = [\"...\"] }");
      return std::nullopt;
    }
    if (depth > kMaxDepth) {
      error(n.source(), "conditions nest deeper than " + std::to_string(kMaxDepth) + " levels");
      return std::nullopt;
    }
    const auto& kinds = condition_keys();
    std::string_view kind;
    // "words" is a kind of its own and also a key of profile conditions: a key that
    // accompanies another kind present in the table is that kind's key.
    auto accompanies = [&](std::string_view key) {
      for (const auto& [other, value] : *t) {
        auto it = kinds.find(other.str());
        if (it != kinds.end() &&
            std::find(it->second.begin(), it->second.end(), key) != it->second.end()) {
          return true;
        }
      }
      return false;
    };
    // The table iterates in key order; report the kinds in the order they are written.
    std::vector<const toml::key*> found;
    for (const auto& [key, value] : *t) {
      if (kinds.count(key.str()) != 0 && !accompanies(key.str())) found.push_back(&key);
    }
    std::sort(found.begin(), found.end(), [](const toml::key* a, const toml::key* b) {
      return std::pair(a->source().begin.line, a->source().begin.column) <
             std::pair(b->source().begin.line, b->source().begin.column);
    });
    if (found.size() > 1) {
      error(found[1]->source(), "one condition per table: combine " + quoted(found[0]->str()) +
                                    " and " + quoted(found[1]->str()) +
                                    " with all = [{...}, {...}]");
      return std::nullopt;
    }
    if (!found.empty()) kind = found[0]->str();
    if (kind.empty()) {
      std::vector<std::string_view> names;
      names.reserve(kinds.size());
      for (const auto& [name, mods] : kinds) names.push_back(name);
      // An unknown key is the likely mistake: point at it.
      for (const auto& [key, value] : *t) {
        error(key.source(), "unknown key " + quoted(key.str()) +
                                " in a condition (a condition is one of: " + join(names) + ")");
        return std::nullopt;
      }
      error(n.source(), "an empty condition (a condition is one of: " + join(names) + ")");
      return std::nullopt;
    }
    std::vector<std::string_view> allowed = kinds.at(kind);
    allowed.insert(allowed.begin(), kind);
    std::size_t before = errors_.size();
    check_keys(*t, allowed, "in a " + std::string(kind) + " condition");
    auto c = typed_condition(kind, *t->get(kind), *t, depth);
    if (errors_.size() != before) return std::nullopt;
    return c;
  }

  std::optional<Condition> typed_condition(std::string_view kind, const toml::node& v,
                                           const toml::table& t, int depth) {
    Condition c;
    if (kind == "all" || kind == "any") {
      c.kind = kind == "all" ? ConditionKind::all : ConditionKind::any;
      const toml::array* list = v.as_array();
      if (list == nullptr || list->empty()) {
        error(v.source(),
              std::string(kind) + " must be a non-empty list of conditions: [{...}, {...}]");
        return std::nullopt;
      }
      for (const toml::node& item : *list) {
        if (auto child = condition(item, depth + 1)) c.children.push_back(std::move(*child));
      }
      return c;
    }
    if (kind == "not") {
      c.kind = ConditionKind::not_;
      auto child = condition(v, depth + 1);
      if (!child) return std::nullopt;
      c.children.push_back(std::move(*child));
      return c;
    }
    if (kind == "words") {
      c.kind = ConditionKind::words;
      c.field = text_field(t);
      c.phrases = phrases(v, "words");
      return c;
    }
    if (kind == "regex") return regex(v, t);
    if (kind == "sender" || kind == "sender_domain" || kind == "mailbox" || kind == "addressee") {
      c.kind = kind == "sender"          ? ConditionKind::sender
               : kind == "sender_domain" ? ConditionKind::sender_domain
               : kind == "mailbox"       ? ConditionKind::mailbox
                                         : ConditionKind::addressee;
      auto values = strings(v, kind);
      if (!values) return std::nullopt;
      for (auto& value : *values) {
        // Mailbox names are case-sensitive in IMAP (except INBOX); addresses and domains are
        // compared in lower case.
        if (c.kind != ConditionKind::mailbox) value = lower_ascii(fold_case(value));
        if (c.kind == ConditionKind::sender_domain && !value.empty() && value[0] == '@') {
          value.erase(0, 1);
        }
        bool has_at = value.find('@') != std::string::npos;
        if ((c.kind == ConditionKind::sender || c.kind == ConditionKind::addressee) && !has_at) {
          error(v.source(), std::string(kind) + ": " + quoted(value) +
                                " is not an address (for a whole domain use sender_domain)");
        }
        if (c.kind == ConditionKind::sender_domain && has_at) {
          error(v.source(), "sender_domain: " + quoted(value) + " is not a domain");
        }
      }
      c.values = std::move(*values);
      return c;
    }
    if (kind == "profile") return profile(v, t);
    if (kind == "history") return history(v, t);
    if (kind == "attachments") return attachments(v, t);
    if (kind == "dates") return dates(v, t);
    if (kind == "arrival") {
      c.kind = ConditionKind::arrival;
      auto a = choice(v, "arrival", {"office_hours", "outside_office_hours", "day_off"});
      if (!a) return std::nullopt;
      c.arrival = *a == "office_hours"           ? Arrival::office_hours
                  : *a == "outside_office_hours" ? Arrival::outside_office_hours
                                                 : Arrival::day_off;
      return c;
    }
    // near_date
    c.kind = ConditionKind::near_date;
    auto d = integer(v, "near_date", 0, 31);
    if (!d) return std::nullopt;
    c.days = *d;
    return c;
  }

  TextField text_field(const toml::table& t) {
    const toml::node* n = t.get("in");
    if (n == nullptr) return TextField::text;
    auto f = choice(*n, "in", {"text", "subject", "body"});
    if (!f || *f == "text") return TextField::text;
    return *f == "subject" ? TextField::subject : TextField::body;
  }

  std::vector<Phrase> phrases(const toml::node& v, std::string_view key) {
    std::vector<Phrase> out;
    auto values = strings(v, key);
    if (!values) return out;
    for (const auto& written : *values) {
      Phrase p{written, stem_phrase(written)};
      if (p.stems.empty()) {
        error(v.source(), std::string(key) + ": " + quoted(written) + " has no letters or digits");
        continue;
      }
      if (p.stems.size() > kMaxPhraseWords) {
        error(v.source(), std::string(key) + ": " + quoted(written) + " is longer than " +
                              std::to_string(kMaxPhraseWords) + " words");
        continue;
      }
      out.push_back(std::move(p));
    }
    return out;
  }

  std::optional<Condition> regex(const toml::node& v, const toml::table& t) {
    Condition c;
    c.kind = ConditionKind::regex;
    c.field = text_field(t);
    bool case_sensitive = false;
    if (const toml::node* n = t.get("case_sensitive")) {
      case_sensitive = boolean(*n, "case_sensitive").value_or(false);
    }
    auto pattern = string(v, "regex", false);
    if (!pattern) return std::nullopt;
    std::string why;
    auto index = bank_->add(*pattern, case_sensitive, c.field, why);
    if (!index) {
      error(v.source(), "bad regular expression " + quoted(*pattern) + ": " + why);
      return std::nullopt;
    }
    c.regex = *index;
    c.pattern = *pattern;
    return c;
  }

  std::optional<Condition> profile(const toml::node& v, const toml::table& t) {
    Condition c;
    auto field =
        choice(v, "profile",
               {"known", "full_name", "position", "position_category", "organisation", "unit"});
    if (!field) return std::nullopt;
    const toml::node* is = t.get("is");
    const toml::node* words = t.get("words");
    if (*field == "known") {
      c.kind = ConditionKind::profile_known;
      if (is != nullptr || words != nullptr) {
        error((is != nullptr ? is : words)->source(), "profile = \"known\" takes no is or words");
      }
      return c;
    }
    c.profile = *field == "full_name"           ? ProfileField::full_name
                : *field == "position"          ? ProfileField::position
                : *field == "position_category" ? ProfileField::position_category
                : *field == "organisation"      ? ProfileField::organisation
                                                : ProfileField::unit;
    if ((is == nullptr) == (words == nullptr)) {
      error(t.source(), "profile = " + quoted(*field) +
                            " needs either is = [...] (exact values) or words = [...] (words)");
      return std::nullopt;
    }
    if (is != nullptr) {
      c.kind = ConditionKind::profile_is;
      auto values = strings(*is, "is");
      if (!values) return std::nullopt;
      for (auto& value : *values) value = fold_case(value);
      c.values = std::move(*values);
    } else {
      c.kind = ConditionKind::profile_words;
      c.phrases = phrases(*words, "words");
    }
    return c;
  }

  std::optional<Condition> history(const toml::node& v, const toml::table& t) {
    Condition c;
    auto what = choice(v, "history", {"messages", "open_cases", "similar"});
    if (!what) return std::nullopt;
    const toml::node* days = t.get("days");
    const toml::node* at_least = t.get("at_least");
    const toml::node* threshold = t.get("threshold");
    auto refuse = [&](const toml::node* n, std::string_view key) {
      if (n != nullptr) {
        error(n->source(), std::string(key) + " does not apply to history = " + quoted(*what));
      }
    };
    if (*what == "messages") {
      c.kind = ConditionKind::history_messages;
      refuse(threshold, "threshold");
      if (days == nullptr || at_least == nullptr) {
        error(t.source(), "history = \"messages\" needs days = N and at_least = N");
        return std::nullopt;
      }
      c.days = integer(*days, "days", 1, 3660).value_or(1);
      c.at_least = integer(*at_least, "at_least", 1, 100000).value_or(1);
    } else if (*what == "open_cases") {
      c.kind = ConditionKind::history_open;
      refuse(threshold, "threshold");
      refuse(days, "days");
      c.at_least = at_least != nullptr ? integer(*at_least, "at_least", 1, 100000).value_or(1) : 1;
    } else {
      c.kind = ConditionKind::history_similar;
      refuse(at_least, "at_least");
      c.days = days != nullptr ? integer(*days, "days", 1, 36600).value_or(1) : 0;
      c.threshold = 0.5;
      if (threshold != nullptr) {
        if (!threshold->is_number() || threshold->value<double>().value_or(0) <= 0 ||
            threshold->value<double>().value_or(0) > 1) {
          error(threshold->source(), "threshold must be a number above 0 and at most 1, e.g. 0.6");
        } else {
          c.threshold = threshold->value<double>().value_or(0.5);
        }
      }
    }
    return c;
  }

  std::optional<Condition> attachments(const toml::node& v, const toml::table& t) {
    Condition c;
    auto what = choice(v, "attachments", {"count", "type", "name"});
    if (!what) return std::nullopt;
    const toml::node* at_least = t.get("at_least");
    const toml::node* at_most = t.get("at_most");
    const toml::node* is = t.get("is");
    const toml::node* glob = t.get("glob");
    auto refuse = [&](const toml::node* n, std::string_view key) {
      if (n != nullptr) {
        error(n->source(), std::string(key) + " does not apply to attachments = " + quoted(*what));
      }
    };
    if (*what == "count") {
      c.kind = ConditionKind::attachment_count;
      refuse(is, "is");
      refuse(glob, "glob");
      c.at_least = at_least != nullptr ? integer(*at_least, "at_least", 0, 100000).value_or(1) : 1;
      if (at_most != nullptr) c.at_most = integer(*at_most, "at_most", 0, 100000).value_or(-1);
      if (c.at_most >= 0 && c.at_most < c.at_least) {
        error(at_most->source(), "at_most is below at_least");
      }
      return c;
    }
    refuse(at_least, "at_least");
    refuse(at_most, "at_most");
    if (*what == "type") {
      c.kind = ConditionKind::attachment_type;
      refuse(glob, "glob");
      if (is == nullptr) {
        error(t.source(),
              "attachments = \"type\" needs is = [\"application/pdf\", \"image/*\", ...]");
        return std::nullopt;
      }
      auto values = strings(*is, "is");
      if (!values) return std::nullopt;
      for (auto& value : *values) {
        value = lower_ascii(value);
        if (value.find('/') == std::string::npos) {
          error(is->source(),
                "is: " + quoted(value) + " is not a content type like \"application/pdf\"");
        }
      }
      c.values = std::move(*values);
      return c;
    }
    c.kind = ConditionKind::attachment_name;
    refuse(is, "is");
    if (glob == nullptr) {
      error(t.source(), "attachments = \"name\" needs glob = [\"*.pdf\", ...]");
      return std::nullopt;
    }
    auto values = strings(*glob, "glob");
    if (!values) return std::nullopt;
    for (auto& value : *values) value = fold_case(value);
    c.values = std::move(*values);
    return c;
  }

  std::optional<Condition> dates(const toml::node& v, const toml::table& t) {
    Condition c;
    c.kind = ConditionKind::dates;
    auto window = [&](const toml::node& n, std::string_view key) -> std::optional<YearWindow> {
      auto s = string(n, key);
      if (!s) return std::nullopt;
      auto w = parse_year_window(*s);
      if (!w) {
        error(n.source(),
              std::string(key) + ": " + quoted(*s) + " is not a window like \"02-10..04-30\"");
      }
      return w;
    };
    auto usual = window(v, "dates");
    if (!usual) return std::nullopt;
    c.window.usual = *usual;
    if (const toml::node* n = t.get("overrides")) {
      const toml::table* years = n->as_table();
      if (years == nullptr) {
        error(n->source(), "overrides must be a table: { 2020 = \"02-10..08-01\" }");
        return std::nullopt;
      }
      for (const auto& [key, value] : *years) {
        int y = 0;
        std::string_view k = key.str();
        bool digits = k.size() == 4 && k.find_first_not_of("0123456789") == std::string_view::npos;
        if (digits) y = std::stoi(std::string(k));
        if (!digits || y < 1900 || y > 2999) {
          error(key.source(), "overrides: " + quoted(k) + " is not a year");
          continue;
        }
        if (auto w = window(value, "overrides")) c.window.overrides[y] = *w;
      }
    }
    return c;
  }

  // --- actions ------------------------------------------------------------------------------

  Actions actions(const toml::table& t) {
    check_keys(
        t, {"urgency", "score", "topic", "unit", "officer", "term", "notify", "kb", "tags", "stop"},
        "in the actions ([rule.then])");
    Actions a;
    if (t.empty()) error(t.source(), "the rule has no actions");
    if (const toml::node* n = t.get("urgency")) {
      a.urgency = choice(*n, "urgency", {"urgent", "normal"});
    }
    if (const toml::node* n = t.get("score")) {
      a.score = integer(*n, "score", -1000, 1000).value_or(0);
    }
    if (const toml::node* n = t.get("topic")) {
      std::vector<std::string_view> topics(known_topics().begin(), known_topics().end());
      a.topic = choice(*n, "topic", topics);
    }
    if (const toml::node* n = t.get("unit")) a.unit = known_id(*n, "unit", known_.units);
    if (const toml::node* n = t.get("officer")) {
      a.officer = known_id(*n, "officer", known_.officers);
    }
    if (const toml::node* n = t.get("term")) {
      if (auto s = string(*n, "term")) {
        try {
          a.term = parse_term(*s);
        } catch (const TermError& e) {
          error(n->source(), std::string("term: ") + e.what());
        }
      }
    }
    if (const toml::node* n = t.get("notify")) {
      for (auto& who : strings(*n, "notify").value_or(std::vector<std::string>{})) {
        if (who != "officer" && who != "unit_head" && known_.officers.count(who) == 0) {
          error(n->source(), "notify: " + quoted(who) +
                                 " is neither \"officer\", \"unit_head\" nor a known officer id");
          continue;
        }
        a.notify.push_back(who);
      }
    }
    if (const toml::node* n = t.get("kb")) {
      a.kb = strings(*n, "kb").value_or(std::vector<std::string>{});
    }
    if (const toml::node* n = t.get("tags")) {
      a.tags = strings(*n, "tags").value_or(std::vector<std::string>{});
    }
    if (const toml::node* n = t.get("stop")) a.stop = boolean(*n, "stop").value_or(false);
    return a;
  }

  std::optional<std::string> known_id(const toml::node& n, std::string_view key,
                                      const std::set<std::string>& known) {
    auto s = string(n, key);
    if (!s) return std::nullopt;
    if (known.count(*s) == 0) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      error(n.source(), "unknown " + std::string(key) + " " + quoted(*s) +
                            " (the configuration defines: " + (list.empty() ? "none" : list) + ")");
      return std::nullopt;
    }
    return s;
  }

  const Vocabulary& known_;
  std::shared_ptr<RegexBank> bank_;
  std::vector<Rule> rules_;
  std::vector<std::string> errors_;
  std::map<std::string, std::string> ids_;  ///< rule id -> "file:line" of its first use
  std::string file_;
};

std::vector<std::string> run(Loader& loader, std::vector<SourceFile>& files) {
  std::sort(files.begin(), files.end(),
            [](const SourceFile& a, const SourceFile& b) { return a.name < b.name; });
  for (const SourceFile& f : files) loader.load(f);
  return loader.errors();
}

std::string lines(const std::vector<std::string>& errors) {
  std::string out;
  for (const auto& e : errors) out += (out.empty() ? "" : "\n") + e;
  return out;
}

}  // namespace

RuleError::RuleError(std::vector<std::string> errors)
    : std::runtime_error(lines(errors)), errors_(std::move(errors)) {}

RuleSet load_rule_set(std::vector<SourceFile> files, const Vocabulary& known) {
  Loader loader(known);
  auto errors = run(loader, files);
  if (!errors.empty()) throw RuleError(std::move(errors));
  return loader.result();
}

std::vector<std::string> check_rule_files(std::vector<SourceFile> files, const Vocabulary& known) {
  Loader loader(known);
  return run(loader, files);
}

}  // namespace mailgate::rules
