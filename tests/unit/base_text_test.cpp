// base/text: white space, lines and letter case in Russian mail text.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/text.hpp"

namespace {

using namespace mailgate::base;

const std::string kNbsp = "\u00A0";
const std::string kBom = "\uFEFF";
const std::string kThinSpace = "\u2009";
const std::string kZeroWidthSpace = "\u200B";
const std::string kNarrowNbsp = "\u202F";
const std::string kMathSpace = "\u205F";
const std::string kIdeographicSpace = "\u3000";

TEST(BaseText, SpaceAtAsciiWhiteSpace) {
  for (char c : std::string(" \t\n\v\f\r")) EXPECT_EQ(space_at(std::string(1, c), 0), 1u);
  EXPECT_EQ(space_at("a b", 0), 0u);
  EXPECT_EQ(space_at("a b", 1), 1u);
}

TEST(BaseText, SpaceAtUnicodeSpaces) {
  EXPECT_EQ(space_at(kNbsp, 0), 2u);
  EXPECT_EQ(space_at(kBom, 0), 3u);
  EXPECT_EQ(space_at("\u2000", 0), 3u);
  EXPECT_EQ(space_at(kThinSpace, 0), 3u);
  EXPECT_EQ(space_at(kZeroWidthSpace, 0), 3u);
  EXPECT_EQ(space_at(kNarrowNbsp, 0), 3u);
  EXPECT_EQ(space_at(kMathSpace, 0), 3u);
  EXPECT_EQ(space_at(kIdeographicSpace, 0), 3u);
  EXPECT_EQ(space_at("x" + kNbsp, 1), 2u);
}

TEST(BaseText, SpaceAtOtherCharacters) {
  EXPECT_EQ(space_at("а", 0), 0u);       // Cyrillic а (D0 B0)
  EXPECT_EQ(space_at("—", 0), 0u);       // em dash U+2014 (E2 80 94)
  EXPECT_EQ(space_at("\u200C", 0), 0u);  // zero-width non-joiner is not a space
  EXPECT_EQ(space_at("\xC2", 0), 0u);    // cut short
  EXPECT_EQ(space_at("\xE2\x80", 0), 0u);
  EXPECT_EQ(space_at("", 0), 0u);
  EXPECT_EQ(space_at("ab", 5), 0u);  // past the end
}

TEST(BaseText, Trim) {
  const std::string padded = kBom + " \t" + kNbsp + "Ответ  клиенту" + kThinSpace + " \r\n";
  EXPECT_EQ(ltrim(padded), "Ответ  клиенту" + kThinSpace + " \r\n");
  EXPECT_EQ(rtrim(padded), kBom + " \t" + kNbsp + "Ответ  клиенту");
  EXPECT_EQ(trim(padded), "Ответ  клиенту");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" " + kNbsp + " "), "");
  EXPECT_EQ(trim("слово"), "слово");
}

TEST(BaseText, RtrimKeepsLettersThatEndLikeSpaces) {
  // "р" is D1 80: its last byte must not be taken for part of a space.
  EXPECT_EQ(rtrim("пример"), "пример");
  EXPECT_EQ(rtrim("пример" + kNbsp), "пример");
}

TEST(BaseText, IsBlank) {
  EXPECT_TRUE(is_blank(""));
  EXPECT_TRUE(is_blank(" \t\r"));
  EXPECT_TRUE(is_blank(kNbsp + kBom + kIdeographicSpace));
  EXPECT_FALSE(is_blank(" . "));
  EXPECT_FALSE(is_blank(kNbsp + "а"));
}

TEST(BaseText, LowerRu) {
  EXPECT_EQ(lower_ru("ДОПОЛНИТЕЛЬНЫЙ Ёж ABC"), "дополнительный ёж abc");
  EXPECT_EQ(lower_ru("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"), "абвгдеёжзийклмнопрстуфхцчшщъыьэюя");
  EXPECT_EQ(lower_ru("уже строчные, 123!"), "уже строчные, 123!");
  EXPECT_EQ(lower_ru(""), "");
}

TEST(BaseText, LowerRuLeavesOtherBytesAlone) {
  EXPECT_EQ(lower_ru("ÉCOLE"), "École");  // Latin-1 letters are not Russian
  EXPECT_EQ(lower_ru("Ѓ Є"), "Ѓ Є");      // nor are other Cyrillic capitals
  EXPECT_EQ(lower_ru("Я\xD0"), "я\xD0");  // a lead byte cut short passes through
}

// Today's behaviour, pinned so that a change to it is deliberate: lower_ru steps over one-
// and two-byte characters only, so after a three-byte one (a dash, "…", a BOM) or a stray
// byte letters keep their case up to the next ASCII byte, which may keep it too.
// Regression: lower_ru stepped over one- and two-byte characters only, so the letters right
// after a dash, "…" or a stray byte kept their capitals ("—ОТВЕТ" stayed as it was, and a
// quote header or signature line with such a character could go unrecognised).
TEST(BaseText, LowerRuStepsOverWholeCharactersOfAnyLength) {
  EXPECT_EQ(lower_ru("— ОТВЕТ"), "— ответ");
  EXPECT_EQ(lower_ru("—ОТВЕТ"), "—ответ");
  EXPECT_EQ(lower_ru("…ДА"), "…да");
  EXPECT_EQ(lower_ru("\xF0\x9F\x98\x80ДА"), "\xF0\x9F\x98\x80да");  // an emoji
  EXPECT_EQ(lower_ru("A\xFF"
                     "BC"),
            "a\xFF"
            "bc");
  // A lead byte without its continuation bytes costs only itself.
  EXPECT_EQ(lower_ru("\xE2Я"), "\xE2я");
  EXPECT_EQ(lower_ru("\xD0"), "\xD0");
}

TEST(BaseText, LowerRuKeepsByteOffsets) {
  const std::string text = "Ёлка: ЯНВАРЬ, Wednesday";
  EXPECT_EQ(lower_ru(text).size(), text.size());
  EXPECT_EQ(lower_ru(text).find(':'), text.find(':'));
}

TEST(BaseText, FoldPhrase) {
  EXPECT_EQ(fold_phrase("  Ещё" + kNbsp + "РАЗ \t"), "еще раз");
  EXPECT_EQ(fold_phrase("ОСТАВИТЬ\n\nБЕЗ   ОТВЕТА"), "оставить без ответа");
  EXPECT_EQ(fold_phrase(kBom + " ОТВЕТ:"), "ответ:");
  EXPECT_EQ(fold_phrase("Ёж и ёлка"), "еж и елка");
  EXPECT_EQ(fold_phrase(""), "");
  EXPECT_EQ(fold_phrase(" \t" + kIdeographicSpace), "");
}

TEST(BaseText, StartsUpper) {
  EXPECT_TRUE(starts_upper("Иванова"));
  EXPECT_TRUE(starts_upper("Ёлкин"));
  EXPECT_TRUE(starts_upper("Ярцев"));
  EXPECT_TRUE(starts_upper("Petrov"));
  EXPECT_FALSE(starts_upper("иванова"));
  EXPECT_FALSE(starts_upper("ёлкин"));
  EXPECT_FALSE(starts_upper("petrov"));
  EXPECT_FALSE(starts_upper("8-800"));
  EXPECT_FALSE(starts_upper(""));
  EXPECT_FALSE(starts_upper("\xD0"));
}

TEST(BaseText, LetterAt) {
  EXPECT_EQ(letter_at("AB>", 0), 1u);
  EXPECT_EQ(letter_at("ab>", 1), 1u);
  EXPECT_EQ(letter_at("ИП>", 0), 2u);
  EXPECT_EQ(letter_at("ИП>", 2), 2u);
  EXPECT_EQ(letter_at("ИП>", 4), 0u);
  EXPECT_EQ(letter_at("1", 0), 0u);
  EXPECT_EQ(letter_at(" ", 0), 0u);
  EXPECT_EQ(letter_at("\xD0", 0), 0u);  // a lead byte cut short
}

TEST(BaseText, SplitLines) {
  using Lines = std::vector<std::string>;
  EXPECT_EQ(split_lines("a\nb"), (Lines{"a", "b"}));
  EXPECT_EQ(split_lines("a\r\nb\rc\n"), (Lines{"a", "b", "c", ""}));
  EXPECT_EQ(split_lines("a\n\r\nb"), (Lines{"a", "", "b"}));
  EXPECT_EQ(split_lines("\r\r\n"), (Lines{"", "", ""}));
  EXPECT_EQ(split_lines(""), (Lines{""}));
  EXPECT_EQ(split_lines("одна строка"), (Lines{"одна строка"}));
}

}  // namespace
