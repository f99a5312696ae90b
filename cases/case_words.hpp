#pragma once
// Russian words for a case's status and for the kinds of events in its history, as the
// console shows them to officers and heads (the database keeps the English tokens).

#include <string>
#include <string_view>

namespace mailgate::cases {

/// "answered" → "дан ответ"; an unknown status is returned as it is.
std::string status_word(std::string_view status);
/// "mail_sent" → "письмо отправлено"; an unknown kind is returned as it is.
std::string event_word(std::string_view kind);

}  // namespace mailgate::cases
