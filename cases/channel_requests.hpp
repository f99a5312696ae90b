#pragma once
/// A client's wishes about additional channels (R3), read from the text of a message:
///   "Дополнительный канал: ivan@example.org"          — add
///   "Дополнительный канал: удалить ivan@example.org"  — remove
///   "прошу продублировать ответ на адрес ivan@example.org" — add (phrases configurable)
/// Quoted lines ("> ...") are ignored: they repeat what somebody else wrote, our own
/// acknowledgement's instructions among them. Pure.

#include <string>
#include <string_view>
#include <vector>

namespace mailgate::cases {

struct ChannelRequests {
  std::vector<std::string> add;     ///< lower case, each once, in order
  std::vector<std::string> remove;  ///< lower case
  /// "Дополнительный канал:" lines whose address the one address rule
  /// (mail::deliverable_address) refuses: not added, the client is told. A few, cut short.
  std::vector<std::string> refused;
};

/// The phrases that ask for a copy when followed by an address (case-insensitive, any white
/// space between words). Defaults cover the usual wordings.
std::vector<std::string> default_request_phrases();

ChannelRequests find_channel_requests(std::string_view text,
                                      const std::vector<std::string>& request_phrases);

/// An address we are willing to send to: mail::deliverable_address, the rule composition
/// applies too.
bool plausible_address(std::string_view address);

}  // namespace mailgate::cases
