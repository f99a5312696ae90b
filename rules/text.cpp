// Word splitting, case folding and stemming. Everything here is on the hot path of
// evaluate(): a 100 KB message has some 15,000 words, so the splitter works on bytes with no
// allocation per word and stems are memoised (Snowball costs about a microsecond per word).
#include "rules/text.hpp"

#include <libstemmer.h>

#include <atomic>
#include <stdexcept>

namespace mailgate::rules {
namespace {

/// Decodes the code point at text[i]; returns its length in bytes, or 0 for a byte that does
/// not start a valid UTF-8 sequence (treated as a separator).
std::size_t decode(std::string_view text, std::size_t i, char32_t& cp) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b = byte(i);
  if (b < 0x80) {
    cp = b;
    return 1;
  }
  std::size_t n = b >= 0xF0 && b < 0xF5 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  cp = b & (0xFF >> (n + 1));
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  return n;
}

void encode(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

/// Lower case for Latin, Latin-1 and Cyrillic; ё (either case) becomes е, because Russian
/// writers use the two letters interchangeably.
inline char32_t fold(char32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;
  if (cp == 0x401 || cp == 0x451) return 0x435;
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;
  return cp;
}

inline bool is_word_char(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  }
  if (cp >= 0xC0 && cp <= 0xFF) return cp != 0xD7 && cp != 0xF7;
  return cp >= 0x400 && cp <= 0x52F && !(cp >= 0x482 && cp <= 0x489);
}

/// Marks that may sit inside a word without ending it: combining grave and acute (stress
/// marks in teaching texts), combining breve and diaeresis (a decomposed й or ё), soft hyphen.
bool is_invisible_in_word(char32_t cp) {
  return cp == 0x300 || cp == 0x301 || cp == 0x306 || cp == 0x308 || cp == 0xAD;
}

/// The two Snowball stemmers of this thread (they keep state between calls, so they are not
/// shared) and the memo of stems already computed.
class ThreadStemmer {
 public:
  ThreadStemmer()
      : russian_(sb_stemmer_new("russian", "UTF_8")), english_(sb_stemmer_new("english", "UTF_8")) {
    if (russian_ == nullptr || english_ == nullptr) {
      throw std::runtime_error("libstemmer has no Russian or English stemmer");
    }
  }
  ~ThreadStemmer() {
    sb_stemmer_delete(russian_);
    sb_stemmer_delete(english_);
  }
  ThreadStemmer(const ThreadStemmer&) = delete;
  ThreadStemmer& operator=(const ThreadStemmer&) = delete;

  const std::string& stem(std::string_view folded) { return entry(folded).stem; }

  /// The id of the word's stem in `table`: one hash lookup per word in the common case,
  /// because the memo also keeps the id the stem got in the table last asked about.
  std::uint32_t stem_id(std::string_view folded, StemTable& table) {
    Entry& e = entry(folded);
    if (e.generation != table.generation()) {
      e.id = table.intern(e.stem);
      e.generation = table.generation();
    }
    return e.id;
  }

  void clear() { memo_.clear(); }

 private:
  static constexpr std::size_t kMaxMemo = 200000;
  // Longer "words" are codes or junk; stemming them only costs time.
  static constexpr std::size_t kMaxStemmedBytes = 80;

  std::string compute(std::string_view w) {
    if (w.size() > kMaxStemmedBytes) return std::string(w);
    bool cyrillic = false, latin = false;
    for (unsigned char c : w) {
      if (c >= 0xD0 && c <= 0xD4) cyrillic = true;
      if (c >= 'a' && c <= 'z') latin = true;
    }
    sb_stemmer* s = cyrillic ? russian_ : latin ? english_ : nullptr;
    if (s == nullptr) return std::string(w);
    const sb_symbol* out =
        sb_stemmer_stem(s, reinterpret_cast<const sb_symbol*>(w.data()), int(w.size()));
    if (out == nullptr) return std::string(w);  // out of memory inside libstemmer
    return std::string(reinterpret_cast<const char*>(out), std::size_t(sb_stemmer_length(s)));
  }

  struct Entry {
    std::string stem;
    std::uint64_t generation = 0;  ///< of the StemTable `id` belongs to; 0: none
    std::uint32_t id = 0;
  };

  Entry& entry(std::string_view folded) {
    auto it = memo_.find(folded);
    if (it != memo_.end()) return it->second;
    // The memo only grows with new word forms; a cap keeps a flood of junk words (base64
    // pasted as text, say) from holding memory for the life of the process.
    if (memo_.size() >= kMaxMemo) memo_.clear();
    return memo_.emplace(std::string(folded), Entry{compute(folded)}).first->second;
  }

  sb_stemmer* russian_;
  sb_stemmer* english_;
  std::unordered_map<std::string, Entry, StringHash, StringEq> memo_;
};

ThreadStemmer& thread_stemmer() {
  thread_local ThreadStemmer stemmer;
  return stemmer;
}

/// Appends a code point as UTF-8 to buf[len..cap); a character that does not fit is dropped
/// (only absurdly long "words" reach the cap).
inline void put(char32_t cp, char* buf, std::size_t& len, std::size_t cap) {
  if (len + 4 > cap) return;
  if (cp < 0x80) {
    buf[len++] = char(cp);
  } else if (cp < 0x800) {
    buf[len++] = char(0xC0 | (cp >> 6));
    buf[len++] = char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    buf[len++] = char(0xE0 | (cp >> 12));
    buf[len++] = char(0x80 | ((cp >> 6) & 0x3F));
    buf[len++] = char(0x80 | (cp & 0x3F));
  } else {
    buf[len++] = char(0xF0 | (cp >> 18));
    buf[len++] = char(0x80 | ((cp >> 12) & 0x3F));
    buf[len++] = char(0x80 | ((cp >> 6) & 0x3F));
    buf[len++] = char(0x80 | (cp & 0x3F));
  }
}

/// Calls on_word(begin, end, folded) for every word of `text`; `folded` is only valid during
/// the call. This loop sees every byte of every message, so ASCII and two-byte Cyrillic take
/// a short path and the folded word is built in a stack buffer.
template <typename OnWord>
void split_words(std::string_view text, OnWord&& on_word) {
  constexpr std::size_t kCap = 256;  // bytes of a folded word; longer words are cut
  char folded[kCap];
  std::size_t len = 0;
  std::size_t begin = 0;
  bool in_word = false;
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t cp = 0;
    std::size_t n = 0;
    unsigned char b = bytes[i];
    bool cyrillic =
        (b == 0xD0 || b == 0xD1) && i + 1 < text.size() && (bytes[i + 1] & 0xC0) == 0x80;
    // The two common cases inline: an ASCII letter or digit, a basic Cyrillic letter
    // (U+0400..U+047F, all letters).
    if ((b < 0x80 && is_word_char(b)) || cyrillic) {
      if (!in_word) {
        in_word = true;
        begin = i;
        len = 0;
      }
      if (len + 4 <= kCap) {
        if (b < 0x80) {
          folded[len++] = char(b >= 'A' && b <= 'Z' ? b + 32 : b);
        } else {
          char32_t c = fold((char32_t(b & 0x1F) << 6) | (bytes[i + 1] & 0x3F));
          folded[len++] = char(0xC0 | (c >> 6));
          folded[len++] = char(0x80 | (c & 0x3F));
        }
      }
      i += b < 0x80 ? 1 : 2;
      continue;
    }
    if (b < 0x80) {
      cp = b;
      n = 1;
    } else {
      n = decode(text, i, cp);
    }
    if (n != 0 && is_word_char(cp)) {
      if (!in_word) {
        in_word = true;
        begin = i;
        len = 0;
      }
      put(fold(cp), folded, len, kCap);
    } else if (n != 0 && in_word && is_invisible_in_word(cp)) {
      // A decomposed й is и + combining breve; keep the letter it was meant to be.
      if (cp == 0x306 && len >= 2 && folded[len - 2] == '\xD0' && folded[len - 1] == '\xB8') {
        folded[len - 1] = '\xB9';
      }
    } else if (in_word) {
      in_word = false;
      on_word(begin, i, std::string_view(folded, len));
    }
    i += n == 0 ? 1 : n;
  }
  if (in_word) on_word(begin, text.size(), std::string_view(folded, len));
}

}  // namespace

namespace {
std::uint64_t next_generation() {
  static std::atomic<std::uint64_t> counter{0};
  return ++counter;
}
}  // namespace

StemTable::StemTable() : generation_(next_generation()) {}

StemTable::StemTable(StemTable&& other) noexcept
    : ids_(std::move(other.ids_)), by_id_(std::move(other.by_id_)), generation_(other.generation_) {
  other.ids_.clear();
  other.by_id_.clear();
  other.generation_ = next_generation();
}

StemTable& StemTable::operator=(StemTable&& other) noexcept {
  ids_ = std::move(other.ids_);
  by_id_ = std::move(other.by_id_);
  generation_ = other.generation_;
  other.ids_.clear();
  other.by_id_.clear();
  other.generation_ = next_generation();
  return *this;
}

std::uint32_t StemTable::intern(std::string_view stem) {
  auto it = ids_.find(stem);
  if (it != ids_.end()) return it->second;
  auto id = std::uint32_t(by_id_.size());
  auto inserted = ids_.emplace(std::string(stem), id).first;
  by_id_.push_back(&inserted->first);
  return id;
}

std::uint32_t StemTable::find(std::string_view stem) const {
  auto it = ids_.find(stem);
  return it == ids_.end() ? npos : it->second;
}

std::string fold_case(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  std::size_t i = 0;
  while (i < utf8.size()) {
    char32_t cp = 0;
    std::size_t n = decode(utf8, i, cp);
    if (n == 0) {
      out += utf8[i++];
      continue;
    }
    encode(fold(cp), out);
    i += n;
  }
  return out;
}

std::string stem_word(std::string_view folded_word) { return thread_stemmer().stem(folded_word); }

std::vector<Word> stem_text(std::string_view text, StemTable& table) {
  ThreadStemmer& stemmer = thread_stemmer();
  std::vector<Word> words;
  words.reserve(text.size() / 8);
  split_words(text, [&](std::size_t begin, std::size_t end, std::string_view folded) {
    words.push_back(Word{std::uint32_t(begin), std::uint32_t(end), stemmer.stem_id(folded, table)});
  });
  return words;
}

std::vector<std::string> stem_phrase(std::string_view text) {
  ThreadStemmer& stemmer = thread_stemmer();
  std::vector<std::string> stems;
  split_words(text, [&](std::size_t, std::size_t, std::string_view folded) {
    stems.push_back(stemmer.stem(folded));
  });
  return stems;
}

void clear_stem_cache() { thread_stemmer().clear(); }

}  // namespace mailgate::rules
