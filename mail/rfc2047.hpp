#pragma once
/// RFC 2047 encoded-words ("=?charset?B?...?=") in header text, as mail clients write them.
///
/// Beyond the RFC: words are recognised anywhere (also inside quoted strings, as Outlook writes
/// display names and filenames); adjacent words of one charset are joined as bytes before
/// conversion, because senders split a multi-byte character across two words; white space
/// between adjacent words is dropped; a language tag (`=?utf-8*ru?B?...?=`) is ignored; raw
/// 8-bit bytes outside words are read in a detected charset (utf-8, windows-1251, koi8-r).

#include <string>
#include <string_view>
#include <vector>

namespace mailgate::mail {

/// Decodes header text to UTF-8. `hint` (a canonical charset, e.g. the body's) helps detection
/// of raw 8-bit bytes; guesses and malformed words are noted in `defects` prefixed by `what`.
std::string decode_header_text(std::string_view raw, std::vector<std::string>* defects = nullptr,
                               std::string_view what = {}, std::string_view hint = {});

/// The Q encoding of RFC 2047: '_' is a space, "=XX" a byte; a stray '=' stays as is.
std::string decode_q(std::string_view in);

}  // namespace mailgate::mail
