#pragma once
/// MIME header values with parameters (Content-Type, Content-Disposition), including RFC 2231
/// extended parameters: `filename*=utf-8'ru'%D0%A1...`, and continuations `filename*0*=`,
/// `filename*1*=`, `name*0=` whose pieces may split a multi-byte character (the bytes of all
/// pieces are joined before conversion).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailgate::mail {

struct ParamValue {
  std::string value;      ///< unquoted; UTF-8 if `extended`, else the raw bytes as written
  bool extended = false;  ///< came from RFC 2231 syntax and is already converted to UTF-8
};

struct ParamHeader {
  std::string value;  ///< the main value, lower-case, without white space or comments
  std::map<std::string, ParamValue> params;  ///< by lower-case name (without "*" / "*N")

  const ParamValue* find(std::string_view name) const;
};

/// Parses `type/subtype; a=b; c="d"` leniently: comments, missing semicolons, unquoted values
/// with spaces ("name=This is a file.txt"), unterminated quotes.
ParamHeader parse_param_header(std::string_view raw, std::vector<std::string>* defects = nullptr,
                               std::string_view what = {}, std::string_view hint = {});

/// A parameter as a person reads it: RFC 2231 if so written, otherwise RFC 2047 encoded-words
/// (also inside quotes) and raw 8-bit bytes in a detected charset.
std::optional<std::string> decoded_param(const ParamHeader& header, std::string_view name,
                                         std::vector<std::string>* defects = nullptr,
                                         std::string_view what = {}, std::string_view hint = {});

}  // namespace mailgate::mail
