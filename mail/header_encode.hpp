#pragma once
/// Writing header fields of outgoing mail: folding and RFC 2047 encoded-words.
///
/// Values reach these functions already cleaned (clean_header_text), so no CR, LF or other
/// control character can end a line early; FieldWriter itself only ever breaks lines as
/// "CRLF SP", which continues the same field.

#include <string>
#include <string_view>
#include <vector>

namespace mailgate::mail {

/// Valid UTF-8 (invalid sequences become U+FFFD) with every control character (C0, DEL),
/// CR and LF included, turned into a space. What a header may carry as text.
std::string clean_header_text(std::string_view text);

/// True if `text` (already cleaned) can be written as is in an unstructured field: printable
/// ASCII, no "=?" that a reader could take for an encoded-word, no leading, trailing or
/// doubled spaces, and no word too long to fold.
bool is_plain_header_text(std::string_view text);

/// Appends one header field to `out`, folding before tokens so that lines stay within 76
/// characters where the tokens allow it. Finish with end().
class FieldWriter {
 public:
  static constexpr std::size_t kLineLimit = 76;

  FieldWriter(std::string& out, std::string_view name);

  /// A token preceded by a space (or a fold when the line would grow too long), written
  /// unbroken. It must not contain CR, LF or other control characters.
  void token(std::string_view t);
  /// Text glued to what precedes it without a space (e.g. the ';' after a parameter).
  void glue(std::string_view t);
  /// UTF-8 text as RFC 2047 "B" encoded-words, each at most 75 characters, never splitting a
  /// character between two words. Readers drop the white space between adjacent words, so
  /// the text comes back exactly.
  void encoded_words(std::string_view utf8);
  /// Unstructured text (Subject, extra fields): plain when is_plain_header_text, else
  /// encoded-words.
  void text(std::string_view cleaned);
  /// Ends the field with CRLF.
  void end();

 private:
  void fold_or_space(std::size_t width);

  std::string& out_;
  std::size_t col_;
  bool bare_ = true;  // nothing written after "Name:" yet
};

/// RFC 2047 "B" encoded-words ("=?utf-8?B?...?=") for `utf8`, each holding at most `max_bytes`
/// bytes of text and only whole characters (45 bytes make a 72-character word).
std::vector<std::string> b_encoded_words(std::string_view utf8, std::size_t max_bytes = 45);

}  // namespace mailgate::mail
