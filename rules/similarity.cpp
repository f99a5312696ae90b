#include "rules/similarity.hpp"

#include <memory>
#include <mutex>
#include <unordered_map>

namespace mailgate::rules {

namespace {

/// Stems of prepositions, conjunctions, particles and pronouns: in every letter, so they
/// would make any two letters look alike. Stems of three letters and more that are this
/// common are listed; shorter stems are dropped anyway.
bool is_filler(std::string_view stem) {
  static const std::unordered_set<std::string_view> filler = {
      "для", "что", "как",  "или", "это", "при", "так", "все",  "его",  "она",  "они",   "мне",
      "вас", "нас", "ваш",  "наш", "мо",  "кто", "где", "если", "чтоб", "такж", "тольк", "уже",
      "был", "быт", "есть", "ест", "нет", "над", "под", "без",  "межд", "посл", "через"};
  return filler.count(stem) != 0;
}

/// Fewer than three letters (Cyrillic letters take two bytes), or only digits.
bool is_content(std::string_view stem) {
  std::size_t letters = 0;
  bool digits_only = true;
  for (unsigned char c : stem) {
    if ((c & 0xC0) != 0x80) ++letters;
    if (c < '0' || c > '9') digits_only = false;
  }
  return letters >= 3 && !digits_only && !is_filler(stem);
}

void add(StemSet& set, const PreparedField& field, const StemTable& stems) {
  for (const Word& w : field.words) {
    std::string_view s = stems.stem(w.stem);
    if (is_content(s)) set.emplace(s);
  }
}

}  // namespace

StemSet stem_set(const PreparedAppeal& appeal) {
  StemSet set;
  add(set, appeal.subject, appeal.stems);
  add(set, appeal.body, appeal.stems);
  return set;
}

namespace {

StemSet compute_stem_set(std::string_view text) {
  StemTable stems;
  PreparedField field;
  field.text = text;
  field.words = stem_text(text, stems);
  StemSet set;
  add(set, field, stems);
  return set;
}

/// A frequent client's earlier cases come back with every new message: their stem sets are
/// kept so each text is stemmed once, not once per later message. Bounded; cleared whole
/// when full (cheap, and the next batch refills what it needs).
class StemSetCache {
 public:
  std::shared_ptr<const StemSet> get(std::string_view text) {
    {
      std::lock_guard lock(mutex_);
      if (auto it = sets_.find(std::string(text)); it != sets_.end()) return it->second;
    }
    auto set = std::make_shared<const StemSet>(compute_stem_set(text));
    std::lock_guard lock(mutex_);
    if (sets_.size() >= kMaxEntries) sets_.clear();
    sets_.emplace(std::string(text), set);
    return set;
  }

 private:
  static constexpr std::size_t kMaxEntries = 2048;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const StemSet>> sets_;
};

}  // namespace

StemSet stem_set(std::string_view text) {
  static StemSetCache cache;
  return *cache.get(text);
}

double jaccard(const StemSet& a, const StemSet& b) {
  const StemSet& small = a.size() <= b.size() ? a : b;
  const StemSet& large = a.size() <= b.size() ? b : a;
  std::size_t common = 0;
  for (const auto& s : small) common += large.count(s);
  std::size_t all = a.size() + b.size() - common;
  return all == 0 ? 0.0 : double(common) / double(all);
}

}  // namespace mailgate::rules
