#pragma once
/// An officer's reply to an alert, read as a command (R5, R6, R11, R14; 59-FZ arts. 11, 12).
///
/// The first non-empty line names the action, the rest is the text for the client:
///
///   ОТВЕТ                       answer on the merits            (text required)
///   ОТКАЗ                       refusal; a paragraph "Причина: …" is required (R11)
///   УТОЧНЕНИЕ                   a question to the client (R5)    (text required)
///   ПЕРЕАДРЕСАЦИЯ <body id>     forward to the competent body (R14, 59-FZ art. 8 p. 3)
///   ПЕРЕДАТЬ <officer id>       hand the case to a colleague (R14); the text is a note to them
///   ПРОДЛЕНИЕ <days>            extend the term (59-FZ art. 12 p. 2); the text is the reason
///   БЕЗ ОТВЕТА <reason>         leave without an answer (59-FZ art. 11): anonymous | obscene |
///                               unreadable | repeat (Russian words accepted)
///
/// Case, a trailing colon or period, extra spaces, "ё"/"е", a leading BOM or NBSP do not
/// matter; a few synonyms are accepted (ответить, отказать, переадресовать, переслать,
/// передача, уточнить, вопрос, продлить, "продлить на 10 дней", оставить без ответа). Text
/// may start on the command line after a colon ("ОТВЕТ: Да, можно.").
///
/// What the client must not receive is removed from the text (docs/officers.md):
/// - lines starting with ">" (also The Bat!'s "AB>"); a ">" inside a line stays;
/// - everything from a reply header on: "-----Original Message-----", "-------- Исходное
///   сообщение --------", The Bat!'s "===8<=== Original message text ===", forwarded-message
///   markers, an Outlook "From:/Sent:/To:/Subject:" or "От:/Отправлено:/Кому:/Тема:" block (one
///   header per line, or all on one line as HTML conversion may leave it), and attribution
///   lines: "On … wrote:", "… пишет:", "… написал(а):", "Вы писали …:", Gmail's
///   "пт, 13 мар. 2026 г. в 10:15, Имя <a@b>:", Яндекс's "13.03.2026, 10:15, "Имя" <a@b>:",
///   Mail.ru's "Пятница, 13 марта 2026, 10:15 +03:00 от Имя <a@b>:";
/// - the signature: from a "-- " line (RFC 3676; also "--") to the end; a mobile footer
///   ("Отправлено с iPhone", "Sent from Outlook for Android" …); and a closing block at the
///   end — a line "С уважением," (or "Best regards," …, optionally with a name) followed by at
///   most six short lines (name, position, phone). The closing line itself goes too: every
///   client template already ends with "С уважением, <office name>".
/// Otherwise the officer's paragraphs and line breaks stay as written (trailing spaces on a
/// line and runs of blank lines are reduced; leading and trailing blank lines dropped). Line
/// breaks are "\n" (CRLF and CR input accepted). Pure, no I/O.

#include <string>
#include <string_view>
#include <variant>

namespace mailgate::cases {

enum class Action { answer, refuse, forward, transfer, clarify, extend, close };

struct OfficerCommand {
  Action action = Action::answer;
  /// forward: body id; transfer: officer id (both lower case, as written otherwise);
  /// extend: the days in digits; close: anonymous | obscene | unreadable | repeat.
  std::string argument;
  int days = 0;  ///< extend: 1..365 (the 30-day legal limit is the caller's check)
  /// The text for the client (transfer: the note to the colleague; extend: the reason).
  std::string text;
  /// refuse: the paragraph(s) starting "Причина:", without that word, for the refusal gate
  /// (templates::only_legal_citations); paragraphs joined by a blank line.
  std::string grounds;
};

/// What was wrong and what to write instead, in plain Russian, for the officer.
struct CommandError {
  std::string message;
};

std::variant<OfficerCommand, CommandError> parse_officer_command(std::string_view text);

/// The text an officer wrote, without quoted text, reply headers and signature (the rules
/// above), "\n" line breaks. Exposed for tests and for follow-up handling.
std::string strip_quotes_and_signature(std::string_view text);

/// "answer", "refuse", … — the console's and the log's name of an action.
std::string_view action_id(Action action);

/// "ОТВЕТ", "ОТКАЗ", … — the command word an officer writes.
std::string_view action_command(Action action);

}  // namespace mailgate::cases
