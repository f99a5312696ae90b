#pragma once
/// Who may change where a case's answers go, and how much automatic mail the office sends
/// (issue 12, items 3 and 4). Anyone can put a client's address in From, so:
///  - an address is confirmed for a case when the case's first letter came From it, when the
///    client directory lists it, or when the client confirmed it from a confirmed channel;
///  - any other address a letter asks for (a "Дополнительный канал:" line, a plain request,
///    a Reply-To other than From) waits for confirmation: a mail with a one-time code goes to
///    the case's primary channel, never to the new address; a reply carrying the code from a
///    confirmed channel makes it a channel. A trusted authentication pass for the From's own
///    domain (mail::vouch_for_sender) makes it a channel at once;
///  - every confirmed channel is told of every change, the changed address masked;
///  - at most ChannelLimits::max_additional additional channels per case;
///  - automatic mail is counted against a per-recipient and a global hourly cap.
/// Pure apart from the random code; planned with BatchFacts like the rest of a letter.

#include <string>
#include <string_view>
#include <vector>

#include "cases/correspondence_plan.hpp"

namespace mailgate::cases {

/// "ma***@example.org": enough for the client to recognise an address, too little to learn
/// it. The domain is kept; the local part keeps at most its first two characters.
std::string mask_address(std::string_view address);

/// A fresh one-time code: 8 decimal digits from the CSPRNG.
std::string new_confirmation_code();

/// The waiting request whose code `text` carries as a whole number, or nullptr.
const storage::PendingChannel* confirmed_request(
    std::string_view text, const std::vector<storage::PendingChannel>& pending);

/// The kinds of outbox mail the hourly caps count: all mail to clients no officer wrote.
const std::vector<std::string>& automatic_mail_kinds();

/// Takes one automatic mail to `to` from the hourly budgets in `facts`; false, and nothing
/// taken, when the cap for `to` or the global cap is reached.
bool take_automatic_mail(BatchFacts& facts, const ChannelLimits& limits, const std::string& to);

/// What a letter asks about channels.
struct ChannelLetter {
  std::string from;                 ///< lower case
  std::vector<std::string> add;     ///< requested addresses, lower case
  std::vector<std::string> remove;  ///< lower case
  std::string text;                 ///< subject and body, searched for a confirmation code
  bool authenticated = false;       ///< a trusted pass for the From's own domain
};

/// A new case: its primary (`primary`, may be empty), the directory's channels (confirmed by
/// the administrators) and the letter's requests, waiting or refused over the cap.
void plan_new_case_channels(const Settings& settings, const ChannelLetter& letter,
                            const std::string& primary, const BatchFacts& facts, LetterPlan& plan);

/// A follow-up from a confirmed channel of `c`: confirmations, removals and new requests.
void plan_follow_up_channels(const Settings& settings, const ChannelLetter& letter,
                             const storage::CaseRef& c, const BatchFacts& facts, LetterPlan& plan);

/// Keeps the channel mail the hourly caps allow (flagging auto_rate_limited when some is
/// left out); none at all for automatic or suspected-forged letters.
void budget_channel_mail(const Settings& settings, BatchFacts& facts, LetterPlan& plan);

}  // namespace mailgate::cases
