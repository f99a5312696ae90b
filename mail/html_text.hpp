#pragma once
/// Readable text from an HTML body, for messages that have no text/plain part.

#include <string>
#include <string_view>

namespace mailgate::mail {

/// Text a person sees in the HTML (already UTF-8): tags dropped, script/style/title/comments
/// dropped, block elements and <br> become line breaks, runs of white space collapse (except in
/// <pre>), named and numeric character references decoded. One pass, linear in the input.
std::string html_to_text(std::string_view html);

/// The charset an HTML document declares for itself in <meta charset=...> or
/// <meta http-equiv="Content-Type" content="...; charset=...">; "" if none. Looks only at the
/// first 64 KiB.
std::string html_meta_charset(std::string_view html);

/// Decodes one character reference body (without '&' and ';'), e.g. "amp", "#1092", "#x44F";
/// returns "" if unknown.
std::string decode_html_entity(std::string_view name);

}  // namespace mailgate::mail
