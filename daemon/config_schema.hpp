#pragma once
/// The configuration file as data, the way userver's static config schema reads: each section
/// is a table of keys declared once, a key being one line that gives its name, the field it
/// fills, its type, its check and its default. daemon/config.cpp holds the tables; this file
/// holds the kinds of key and how a section, an array of tables and the whole file are read.
///
/// Keys are read in the order they are declared and sections in the order of the file's
/// steps: the first problem found is the one reported, so the order is part of the behaviour.

#include <toml++/toml.h>

#include <concepts>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "daemon/config.hpp"
#include "daemon/config_reader.hpp"

namespace mailgate::daemon::config_schema {

// --- fields ------------------------------------------------------------------------------------

/// A member of a member (Config::imap's host), for a section that fills more than one struct.
template <class T, class S, class M>
struct Nested {
  S T::*outer;
  M S::*inner;
};

template <class T, class S, class M>
Nested<T, S, M> in(S T::*outer, M S::*inner) {
  return {outer, inner};
}

/// What a field is: the struct it belongs to (Target) and its type (Type).
template <class F>
struct FieldTraits;

template <class T, class M>
struct FieldTraits<M T::*> {
  using Target = T;
  using Type = M;
  static M& get(M T::*field, T& target) { return target.*field; }
};

template <class T, class S, class M>
struct FieldTraits<Nested<T, S, M>> {
  using Target = T;
  using Type = M;
  static M& get(const Nested<T, S, M>& field, T& target) {
    return (target.*field.outer).*field.inner;
  }
};

template <class F>
using TargetOf = typename FieldTraits<F>::Target;
template <class F>
using TypeOf = typename FieldTraits<F>::Type;

// --- keys --------------------------------------------------------------------------------------

/// One key of a section: reads its value, or takes its default, into the struct being filled.
template <class T>
struct Key {
  std::function<void(TableReader&, T&)> read;
};

/// A key left out keeps the default its struct declares.
struct Keep {};
inline constexpr Keep keep{};

/// A value for the field, given in the table (30, "INBOX").
template <class U, class T, class V>
concept ValueOf = std::convertible_to<U, V> && !std::invocable<U, const T&>;
/// A function computing it from the keys read before (imap.port follows imap.security).
template <class Fn, class T, class V>
concept ComputedFrom = std::is_invocable_r_v<V, const Fn&, const T&>;

/// The value a key takes when the file leaves it out: a constant, one computed from the keys
/// read before it, or `keep`. Implicit, so that a table cell says just that.
template <class T, class V>
class Fallback {
 public:
  Fallback(Keep /*unused*/) {}
  template <ValueOf<T, V> U>
  Fallback(U value) : get_([v = V(std::move(value))](const T& /*unused*/) { return v; }) {}
  template <ComputedFrom<T, V> Fn>
  Fallback(Fn fn) : get_(std::move(fn)) {}

  /// Nothing for `keep`.
  std::optional<V> operator()(const T& target) const {
    if (!get_) return std::nullopt;
    return get_(target);
  }

 private:
  std::function<V(const T&)> get_;
};

/// Inclusive bounds of a number.
struct Range {
  std::int64_t min;
  std::int64_t max;
};

/// A check of a string value: what is wrong with it, or nothing.
using Check = std::function<std::optional<std::string>(const std::string&)>;

/// A string in quotes; `check` says what is wrong with a given one.
template <class F>
Key<TargetOf<F>> text(const std::string& key, F field, const Check& check,
                      Fallback<TargetOf<F>, std::string> fallback) {
  return {[=](TableReader& r, TargetOf<F>& target) {
    auto v = r.string(key);
    if (v && check) {
      if (auto problem = check(*v)) r.fail_at(key, *problem);
    }
    if (!v) v = fallback(target);
    if (v) FieldTraits<F>::get(field, target) = *v;
  }};
}

/// Any string in quotes.
template <class F>
Key<TargetOf<F>> text(const std::string& key, F field,
                      Fallback<TargetOf<F>, std::string> fallback) {
  return text(key, field, Check{}, std::move(fallback));
}

/// A string that must be given and not be empty.
template <class F>
Key<TargetOf<F>> required(const std::string& key, F field) {
  return {[=](TableReader& r, TargetOf<F>& target) {
    FieldTraits<F>::get(field, target) = r.required(key);
  }};
}

/// One of a few strings.
template <class F>
Key<TargetOf<F>> choice(const std::string& key, F field, const std::set<std::string>& allowed,
                        Fallback<TargetOf<F>, std::string> fallback) {
  return {[=](TableReader& r, TargetOf<F>& target) {
    auto v = r.choice(key, allowed);
    if (!v) v = fallback(target);
    if (v) FieldTraits<F>::get(field, target) = *v;
  }};
}

/// One of a few names, each standing for a value of the field's enum.
template <class F>
Key<TargetOf<F>> choice(const std::string& key, F field, std::map<std::string, TypeOf<F>> names,
                        Fallback<TargetOf<F>, TypeOf<F>> fallback) {
  std::set<std::string> allowed;
  for (const auto& [name, value] : names) allowed.insert(name);
  return {[=](TableReader& r, TargetOf<F>& target) {
    auto v = r.choice(key, allowed);
    auto value = v ? std::optional(names.at(*v)) : fallback(target);
    if (value) FieldTraits<F>::get(field, target) = *value;
  }};
}

/// A whole number within `range`, stored as the field's type (int, size_t, seconds).
template <class F>
Key<TargetOf<F>> whole(const std::string& key, F field, Range range,
                       Fallback<TargetOf<F>, std::int64_t> fallback) {
  return {[=](TableReader& r, TargetOf<F>& target) {
    auto v = r.integer(key, range.min, range.max);
    if (!v) v = fallback(target);
    if (v) FieldTraits<F>::get(field, target) = static_cast<TypeOf<F>>(*v);
  }};
}

/// Any number within `range`; the type error shows the default as the example.
template <class F>
Key<TargetOf<F>> real(const std::string& key, F field, Range range, double fallback) {
  std::ostringstream like;
  like << fallback;
  return {[=, like = like.str()](TableReader& r, TargetOf<F>& target) {
    FieldTraits<F>::get(field, target) =
        r.number(key, range.min, range.max, like).value_or(fallback);
  }};
}

/// true or false.
template <class F>
Key<TargetOf<F>> flag(const std::string& key, F field, Fallback<TargetOf<F>, bool> fallback) {
  return {[=](TableReader& r, TargetOf<F>& target) {
    auto v = r.boolean(key);
    if (!v) v = fallback(target);
    if (v) FieldTraits<F>::get(field, target) = *v;
  }};
}

/// A list of strings; left out, the empty list.
template <class F>
Key<TargetOf<F>> list(const std::string& key, F field) {
  return {[=](TableReader& r, TargetOf<F>& target) {
    FieldTraits<F>::get(field, target) = r.strings(key);
  }};
}

/// A secret: `key` inline or `key_file` naming the file it is the first line of; left out,
/// empty.
template <class F>
Key<TargetOf<F>> secret(const std::string& key, F field) {
  return {[=](TableReader& r, TargetOf<F>& target) {
    FieldTraits<F>::get(field, target) = r.secret(key).value_or("");
  }};
}

/// A path, a relative one resolved against the file's directory. The fallback is used as it
/// is: it is absolute (the installed data) or built from a path already resolved (the
/// calendar beside the rules), and resolving it again would prefix the directory twice.
template <class F>
Key<TargetOf<F>> path(const std::string& key, F field,
                      Fallback<TargetOf<F>, std::string> fallback) {
  return {[=](TableReader& r, TargetOf<F>& target) {
    if (auto v = r.string(key)) {
      FieldTraits<F>::get(field, target) = r.resolve(*v);
    } else if (auto d = fallback(target)) {
      FieldTraits<F>::get(field, target) = *d;
    }
  }};
}

// --- sections ----------------------------------------------------------------------------------

/// A top-level table ([intake]) filling one struct.
template <class T>
struct Section {
  std::string name;
  std::vector<Key<T>> keys;
  /// Runs after the keys and before unknown keys are rejected: what spans several keys.
  std::function<void(TableReader&, T&)> finish = {};
  /// A missing table is an error (not just a table of defaults).
  bool required = false;
};

template <class T>
void read_section(const std::filesystem::path& file, const toml::table& root,
                  const Section<T>& section, T& target) {
  TableReader r(file, root, section.name);
  if (section.required && !r.present()) {
    throw ConfigError(file.string() + ":1: " + section.name + ": section [" + section.name +
                      "] is missing");
  }
  for (const auto& key : section.keys) key.read(r, target);
  if (section.finish) section.finish(r, target);
  r.reject_unknown();
}

/// An array of tables ([[units]]), each item one struct with an id unique among them.
template <class T>
struct Array {
  std::string name;
  std::string T::*id;
  std::vector<Key<T>> keys;
};

/// The array `name` of the file, or nullptr when absent; anything else is an error.
const toml::array* array_of_tables(const std::filesystem::path& file, const toml::table& root,
                                   const std::string& name);
/// Item `i` of that array, which must be a table.
const toml::table* item_table(const std::filesystem::path& file, const toml::node& item,
                              const std::string& label);

template <class T>
void read_array(const std::filesystem::path& file, const toml::table& root, const Array<T>& array,
                std::vector<T>& out) {
  const toml::array* items = array_of_tables(file, root, array.name);
  if (items == nullptr) return;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const toml::node& node = *items->get(i);
    std::string label = array.name + "[" + std::to_string(i) + "]";
    TableReader r(file, item_table(file, node, label), label, node.source());
    T item;
    for (const auto& key : array.keys) key.read(r, item);
    const std::string& id = item.*array.id;
    if (!ids.insert(id).second) r.fail(node.source(), "id", "\"" + id + "\" is used twice");
    r.reject_unknown();
    out.push_back(std::move(item));
  }
}

// --- the file ----------------------------------------------------------------------------------

/// One step of reading the file: a section, an array of tables, or a check across sections.
struct Step {
  std::string section;  ///< the top-level name it reads; empty for a check
  std::function<void(const std::filesystem::path&, const toml::table&, Config&)> run;
};

template <class T>
Step section(Section<T> s, T Config::*part) {
  std::string name = s.name;
  return {name, [s = std::move(s), part](const std::filesystem::path& file, const toml::table& root,
                                         Config& c) { read_section(file, root, s, c.*part); }};
}

/// A section filling Config's own fields.
Step section(Section<Config> s);

template <class T>
Step array(Array<T> a, std::vector<T> Config::*list) {
  std::string name = a.name;
  return {name, [a = std::move(a), list](const std::filesystem::path& file, const toml::table& root,
                                         Config& c) { read_array(file, root, a, c.*list); }};
}

/// A check across sections; it reports at line 1 of `file`.
Step check(std::function<void(const std::filesystem::path& file, const Config&)> fn);

/// Rejects a top-level name no step reads, then runs the steps in order.
Config read_config(const std::vector<Step>& steps, const std::filesystem::path& file,
                   const toml::table& root);

}  // namespace mailgate::daemon::config_schema
