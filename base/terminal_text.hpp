#pragma once
/// Text from letters shown on an administrator's terminal: every byte that could drive the
/// terminal or hide what it shows becomes a visible escape, so a subject cannot clear the
/// screen, rewrite a line (\r, backspace), set the window title or reverse the text's
/// direction (U+202E).

#include <string>
#include <string_view>

namespace mailgate::base {

/// One line: C0 controls (\n, \r and \t among them) and DEL as "\n", "\r", "\t" or "\x1b";
/// C1 controls, bidirectional and zero-width format characters and line/paragraph
/// separators as "\u202e"; each byte of invalid UTF-8 as "\xff". Everything else unchanged.
std::string visible_line(std::string_view text);

/// The same for text of several lines: "\n" stays a line break (and "\r\n" becomes one); a
/// tab stays; every other control is escaped as in visible_line.
std::string visible_text(std::string_view text);

}  // namespace mailgate::base
