#include "mail/charset.hpp"

#include <iconv.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace mailgate::mail {
namespace {

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string upper_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

struct Alias {
  std::string_view label;
  std::string_view canonical;
};

// Labels seen in real mail that iconv does not know, or knows under a narrower charset than
// the sending software meant (gb2312 mail is really GBK, ks_c_5601 is really CP949, latin-1
// mail is really windows-1252).
constexpr std::array<Alias, 52> kAliases{{
    {"utf-8", "UTF-8"},
    {"utf8", "UTF-8"},
    {"unicode-1-1-utf-8", "UTF-8"},
    {"x-unicode20utf8", "UTF-8"},
    {"windows-1251", "WINDOWS-1251"},
    {"win-1251", "WINDOWS-1251"},
    {"windows1251", "WINDOWS-1251"},
    {"win1251", "WINDOWS-1251"},
    {"x-cp1251", "WINDOWS-1251"},
    {"cp1251", "WINDOWS-1251"},
    {"cp-1251", "WINDOWS-1251"},
    {"ms-cyrl", "WINDOWS-1251"},
    {"1251", "WINDOWS-1251"},
    {"koi8-r", "KOI8-R"},
    {"koi8r", "KOI8-R"},
    {"koi8", "KOI8-R"},
    {"cskoi8r", "KOI8-R"},
    {"koi8-u", "KOI8-U"},
    {"koi8u", "KOI8-U"},
    {"koi8-ru", "KOI8-RU"},
    {"iso-8859-5", "ISO-8859-5"},
    {"iso8859-5", "ISO-8859-5"},
    {"iso_8859-5", "ISO-8859-5"},
    {"cyrillic", "ISO-8859-5"},
    {"cp866", "CP866"},
    {"ibm866", "CP866"},
    {"866", "CP866"},
    {"x-cp866", "CP866"},
    {"csibm866", "CP866"},
    {"x-mac-cyrillic", "MAC-CYRILLIC"},
    {"x-mac-ukrainian", "MAC-UK"},
    {"us-ascii", "US-ASCII"},
    {"ascii", "US-ASCII"},
    {"us", "US-ASCII"},
    {"ansi_x3.4-1968", "US-ASCII"},
    {"iso-8859-1", "WINDOWS-1252"},
    {"iso8859-1", "WINDOWS-1252"},
    {"iso_8859-1", "WINDOWS-1252"},
    {"latin1", "WINDOWS-1252"},
    {"latin-1", "WINDOWS-1252"},
    {"l1", "WINDOWS-1252"},
    {"windows-1252", "WINDOWS-1252"},
    {"cp1252", "WINDOWS-1252"},
    {"x-cp1252", "WINDOWS-1252"},
    {"gb2312", "GBK"},
    {"x-gbk", "GBK"},
    {"ks_c_5601-1987", "CP949"},
    {"ks_c_5601", "CP949"},
    {"iso-8859-8-i", "ISO-8859-8"},
    {"unicode-1-1-utf-7", "UTF-7"},
    {"x-user-defined", "WINDOWS-1252"},
    {"tis-620", "TIS-620"},
}};

// iconv_open's failure value, (iconv_t)-1 by its API.
const iconv_t kIconvError = reinterpret_cast<iconv_t>(-1);  // NOLINT(performance-no-int-to-ptr)

bool iconv_knows(const std::string& name) {
  iconv_t cd = iconv_open("UTF-8", name.c_str());
  if (cd == kIconvError) return false;
  iconv_close(cd);
  return true;
}

// Letters of the Russian alphabet in order а..я, then ё (index 32).
constexpr std::array<double, 33> kLetterFreq{80.1, 15.9, 45.4, 17.0, 29.8, 84.5,  9.4,  16.5, 73.5,
                                             12.1, 34.9, 44.0, 32.1, 67.0, 109.7, 28.1, 47.3, 54.7,
                                             62.6, 26.2, 2.6,  9.7,  4.8,  14.4,  7.3,  3.6,  0.4,
                                             19.0, 17.4, 3.2,  6.4,  20.1, 1.0};

// KOI8-R lower-case letters at 0xC0..0xDF, as indexes into the alphabet above.
constexpr std::array<int, 32> kKoi8Order{30, 0,  1,  22, 4,  5,  20, 3,  21, 8,  9,
                                         10, 11, 12, 13, 14, 15, 31, 16, 17, 18, 19,
                                         6,  2,  28, 27, 7,  24, 29, 25, 23, 26};

struct LetterInfo {
  int letter = -1;  // alphabet index, -1 if not a Russian letter
  bool upper = false;
  bool graphic = false;  // box drawing and other symbols nobody types in mail
};

using ByteTable = std::array<LetterInfo, 256>;

ByteTable make_cp1251_table() {
  ByteTable t{};
  for (int b = 0xC0; b <= 0xDF; ++b) t[b] = {b - 0xC0, true, false};
  for (int b = 0xE0; b <= 0xFF; ++b) t[b] = {b - 0xE0, false, false};
  t[0xA8] = {32, true, false};
  t[0xB8] = {32, false, false};
  return t;
}

ByteTable make_koi8_table() {
  ByteTable t{};
  for (int i = 0; i < 32; ++i) {
    t[0xC0 + i] = {kKoi8Order[static_cast<std::size_t>(i)], false, false};
    t[0xE0 + i] = {kKoi8Order[static_cast<std::size_t>(i)], true, false};
  }
  t[0xA3] = {32, false, false};
  t[0xB3] = {32, true, false};
  for (int b = 0x80; b <= 0xBF; ++b) {
    if (b != 0xA3 && b != 0xB3) t[b].graphic = true;
  }
  return t;
}

const ByteTable& cp1251_table() {
  static const ByteTable t = make_cp1251_table();
  return t;
}

const ByteTable& koi8_table() {
  static const ByteTable t = make_koi8_table();
  return t;
}

// Frequent Russian letter pairs; short all-capital words ("СРОЧНО") need them, single-letter
// frequencies alone cannot tell them from their koi8/1251 mirror image.
constexpr std::string_view kBigrams =
    "ст но то на ен ов ни ра во ко ро по ал ли ан ер пр ре ол ет не он го ос ка ор от ом ат ва "
    "ла ел од ин ри ит де ле та ть ес ие ск ак ил ло ви ед ль ме ам ой ся ия ый ых ем ее ая ое ог "
    "ав ей ев их че ма ми мо да ди до ду ча чи нн тв св за зн об бо бы вы ты ны ры ци це ще щи уч "
    "ув ус ут уд ую ша ши же жи зо ик им из ис ир ег ек ез кт кр кл ки ку сл сп ср со си се тр ти "
    "те ту чт чн рн рт ру пе пи пл пу лу ля ну вн вл вс вт гл гр дн др дл жн зв зд бл бр бу бе би "
    "фо фи хо ха ща юч ят ях яв ок ук ум ун ак ар аз ас ае ай аю ую уж еж ел еш ищ ич ош оч оя ье "
    "ью ьн ьс ам ым ым ым ьк ьт";

int cyrillic_index(char32_t cp) {
  if (cp >= 0x430 && cp <= 0x44F) return static_cast<int>(cp - 0x430);
  if (cp == 0x451) return 32;
  return -1;
}

using BigramTable = std::array<std::array<bool, 33>, 33>;

BigramTable make_bigrams() {
  BigramTable t{};
  std::vector<int> letters;
  for (std::size_t i = 0; i + 1 < kBigrams.size();) {
    auto c0 = static_cast<unsigned char>(kBigrams[i]);
    if (c0 == ' ') {
      ++i;
      continue;
    }
    char32_t cp = ((c0 & 0x1F) << 6) | (static_cast<unsigned char>(kBigrams[i + 1]) & 0x3F);
    letters.push_back(cyrillic_index(cp));
    i += 2;
  }
  for (std::size_t i = 0; i + 1 < letters.size(); i += 2) {
    if (letters[i] >= 0 && letters[i + 1] >= 0) {
      t[static_cast<std::size_t>(letters[i])][static_cast<std::size_t>(letters[i + 1])] = true;
    }
  }
  return t;
}

const BigramTable& bigrams() {
  static const BigramTable t = make_bigrams();
  return t;
}

// Log-likelihood-like score of `bytes` read through `table`: frequent letters and letter pairs
// score high, upper case inside a word and pseudo-graphics score low.
double score(std::string_view bytes, const ByteTable& table) {
  const BigramTable& pairs = bigrams();
  double s = 0;
  bool prev_lower_letter = false;
  int prev_letter = -1;
  std::size_t seen = 0;
  for (unsigned char c : bytes) {
    if (c < 0x80) {
      bool ascii_lower = c >= 'a' && c <= 'z';
      prev_lower_letter = ascii_lower;
      prev_letter = -1;
      continue;
    }
    if (++seen > 65536) break;
    const LetterInfo& li = table[c];
    if (li.letter >= 0) {
      s += std::log(kLetterFreq[static_cast<std::size_t>(li.letter)]);
      if (li.upper) {
        s -= 0.5;
        if (prev_lower_letter) s -= 2.5;
      }
      if (prev_letter >= 0 &&
          pairs[static_cast<std::size_t>(prev_letter)][static_cast<std::size_t>(li.letter)]) {
        s += 1.5;
      }
      prev_lower_letter = !li.upper;
      prev_letter = li.letter;
    } else {
      if (li.graphic) s -= 3.0;
      prev_lower_letter = false;
      prev_letter = -1;
    }
  }
  return s;
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Length of the valid UTF-8 sequence at s[i], or 0 if invalid.
std::size_t utf8_seq_len(std::string_view s, std::size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size();
  unsigned char c = p[i];
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    return (i + 1 < n && (p[i + 1] & 0xC0) == 0x80) ? 2 : 0;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    if (i + 2 >= n) return 0;
    unsigned char c1 = p[i + 1];
    if ((c1 & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && c1 < 0xA0) return 0;   // overlong
    if (c == 0xED && c1 >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (i + 3 >= n) return 0;
    unsigned char c1 = p[i + 1];
    if ((c1 & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80 || (p[i + 3] & 0xC0) != 0x80) return 0;
    if (c == 0xF0 && c1 < 0x90) return 0;
    if (c == 0xF4 && c1 >= 0x90) return 0;
    return 4;
  }
  return 0;
}

bool ascii_compatible(std::string_view canonical) {
  auto starts = [&](std::string_view p) { return canonical.substr(0, p.size()) == p; };
  return !(starts("UTF-16") || starts("UTF-32") || starts("UCS") || starts("UTF-7") ||
           starts("ISO-2022") || starts("HZ") || starts("UNICODE"));
}

void add_defect(std::vector<std::string>* defects, std::string_view what, const std::string& text) {
  if (defects == nullptr) return;
  std::string d;
  if (!what.empty()) {
    d.append(what);
    d.append(": ");
  }
  d.append(text);
  defects->push_back(std::move(d));
}

}  // namespace

void append_utf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    out.append(kReplacement);
  } else if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string canonical_charset(std::string_view label) {
  // Trim white space and quotes; drop an RFC 2231 language suffix.
  std::size_t b = 0, e = label.size();
  auto junk = [](char c) {
    return c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '\r' || c == '\n';
  };
  while (b < e && junk(label[b])) ++b;
  while (e > b && junk(label[e - 1])) --e;
  std::string_view l = label.substr(b, e - b);
  if (auto star = l.find('*'); star != std::string_view::npos) l = l.substr(0, star);
  if (l.empty() || l.size() > 64) return {};
  std::string low = lower_ascii(l);
  for (const Alias& a : kAliases) {
    if (a.label == low) return std::string(a.canonical);
  }
  for (char c : low) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.' || c == ':';
    if (!ok) return {};
  }
  std::string up = upper_ascii(low);
  if (iconv_knows(up)) return up;
  // "windows-874", "cp-850": try without the dash after cp, and the common "x-" prefix.
  if (up.rfind("X-", 0) == 0 && iconv_knows(up.substr(2))) return up.substr(2);
  return {};
}

bool is_ascii(std::string_view bytes) {
  for (unsigned char c : bytes) {
    if (c >= 0x80) return false;
  }
  return true;
}

bool is_valid_utf8(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (static_cast<unsigned char>(bytes[i]) < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = utf8_seq_len(bytes, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string sanitize_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    std::size_t n = utf8_seq_len(bytes, i);
    if (n == 0) {
      out.append(kReplacement);
      ++i;
    } else {
      out.append(bytes.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string detect_charset(std::string_view bytes, std::string_view hint) {
  if (is_ascii(bytes)) return "US-ASCII";
  if (is_valid_utf8(bytes)) return "UTF-8";
  // A charset the message declares elsewhere (other than the two we can tell apart) is better
  // evidence than any guess: raw headers come from the program that wrote the body.
  if (!hint.empty() && hint != "WINDOWS-1251" && hint != "KOI8-R" && hint != "UTF-8" &&
      hint != "US-ASCII" && ascii_compatible(hint)) {
    return std::string(hint);
  }
  // 8-bit letters inside words that also have Latin letters ("J\xFCrgen", "Forma\xE7\xE3o")
  // are Western European: Russian words are runs of 8-bit bytes only.
  {
    std::size_t high = 0, in_latin_words = 0;
    auto latin = [](unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    std::size_t i = 0;
    const std::size_t n = std::min<std::size_t>(bytes.size(), 1 << 20);
    while (i < n) {
      auto c = static_cast<unsigned char>(bytes[i]);
      if (!latin(c) && c < 0x80) {
        ++i;
        continue;
      }
      std::size_t word_high = 0;
      bool has_latin = false;
      while (i < n) {
        c = static_cast<unsigned char>(bytes[i]);
        if (c >= 0x80) {
          ++word_high;
        } else if (latin(c)) {
          has_latin = true;
        } else {
          break;
        }
        ++i;
      }
      high += word_high;
      if (has_latin) in_latin_words += word_high;
    }
    if (in_latin_words * 2 > high) return "WINDOWS-1252";
  }
  double s1251 = score(bytes, cp1251_table()) + 1.0;  // windows-1251 is the likelier a priori
  double skoi8 = score(bytes, koi8_table());
  if (std::fabs(s1251 - skoi8) < 3.0) {
    if (hint == "KOI8-R" || hint == "KOI8-U") return "KOI8-R";
    if (hint == "WINDOWS-1251") return "WINDOWS-1251";
  }
  return skoi8 > s1251 ? "KOI8-R" : "WINDOWS-1251";
}

std::optional<std::string> convert_to_utf8(std::string_view bytes, std::string_view canonical) {
  if (canonical == "UTF-8") return sanitize_utf8(bytes);
  if (bytes.empty()) return std::string();
  std::string name(canonical);
  iconv_t cd = iconv_open("UTF-8", name.c_str());
  if (cd == kIconvError) return std::nullopt;
  std::string out;
  out.resize(bytes.size() * 2 + 16);
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  std::size_t used = 0;
  while (in_left > 0) {
    char* outp = out.data() + used;
    std::size_t out_left = out.size() - used;
    std::size_t r = iconv(cd, &in, &in_left, &outp, &out_left);
    used = out.size() - out_left;
    if (r != static_cast<std::size_t>(-1)) continue;
    int err = errno;
    if (err == E2BIG) {
      out.resize(out.size() * 2 + 16);
      continue;
    }
    // EILSEQ: a byte that is not valid here; EINVAL: a truncated sequence at the end.
    if (out.size() - used < kReplacement.size()) out.resize(out.size() * 2 + 16);
    std::memcpy(out.data() + used, kReplacement.data(), kReplacement.size());
    used += kReplacement.size();
    if (err == EINVAL) break;
    ++in;
    --in_left;
  }
  // Flush a stateful encoding's shift state.
  for (int tries = 0; tries < 4; ++tries) {
    if (out.size() - used < 16) out.resize(out.size() + 64);
    char* outp = out.data() + used;
    std::size_t out_left = out.size() - used;
    std::size_t r = iconv(cd, nullptr, nullptr, &outp, &out_left);
    used = out.size() - out_left;
    if (r != static_cast<std::size_t>(-1) || errno != E2BIG) break;
  }
  iconv_close(cd);
  out.resize(used);
  return out;
}

std::string to_utf8(std::string_view bytes, std::string_view declared_label,
                    std::vector<std::string>* defects, std::string_view what,
                    std::string_view hint) {
  std::string canonical = canonical_charset(declared_label);
  bool ascii = is_ascii(bytes);
  if (ascii && (canonical.empty() || ascii_compatible(canonical))) return std::string(bytes);

  std::string use = canonical;
  if (canonical.empty()) {
    std::string detected = detect_charset(bytes, hint);
    if (declared_label.find_first_not_of(" \t\"'") != std::string_view::npos) {
      add_defect(defects, what,
                 "unknown charset \"" + sanitize_utf8(declared_label.substr(0, 64)) +
                     "\", read as " + detected);
    } else if (detected != "UTF-8") {
      add_defect(defects, what, "undeclared charset, read as " + detected);
    }
    use = detected;
  } else if (canonical == "US-ASCII") {
    use = detect_charset(bytes, hint);
    add_defect(defects, what, "8-bit bytes in us-ascii text, read as " + use);
  } else if (canonical == "UTF-8" && !is_valid_utf8(bytes)) {
    // Mislabelled single-byte text is mostly invalid; a few bad bytes in real UTF-8 are not.
    std::size_t valid_multi = 0, invalid = 0;
    std::size_t i = 0;
    while (i < bytes.size()) {
      if (static_cast<unsigned char>(bytes[i]) < 0x80) {
        ++i;
        continue;
      }
      std::size_t n = utf8_seq_len(bytes, i);
      if (n == 0) {
        ++invalid;
        ++i;
      } else {
        ++valid_multi;
        i += n;
      }
    }
    if (invalid > valid_multi && invalid >= 3) {
      use = detect_charset(bytes, hint);
      add_defect(defects, what, "invalid utf-8, read as " + use);
    } else {
      add_defect(defects, what, "invalid utf-8 sequences replaced");
    }
  }
  if (auto converted = convert_to_utf8(bytes, use)) return *std::move(converted);
  add_defect(defects, what, "cannot convert from " + use);
  return sanitize_utf8(bytes);
}

}  // namespace mailgate::mail
