#pragma once
/// What the case workflow knows of the office, its people and its limits: plain values the
/// daemon fills from its configuration. cases/ never reads the configuration file, so the
/// workflow can be tested with a Settings built in the test.

#include <cstddef>
#include <string>
#include <vector>

#include "mail/parse.hpp"
#include "mail/sender_auth.hpp"
#include "templates/plain_language.hpp"

namespace mailgate::cases {

/// The office as clients see it: the address it writes from and the facts every
/// acknowledgement gives (R12).
struct Office {
  std::string name = "Управление профилактики коррупционных и иных правонарушений";
  std::string address;  ///< the e-mail address clients write to and the office sends from
  std::string phone;
  std::string reception_address = "г. Санкт-Петербург, Суворовский пр-кт, д. 67";
  std::string reception_hours =
      "понедельник–четверг с 9:00 до 18:00, пятница с 9:00 до 17:00, обед с 12:00 до 12:48";
  std::string message_id_domain;  ///< default: the domain of `address`
  /// Where alerts about mail the daemon could not handle go; "" is every unit head.
  std::string duty_address;
};

/// A competent body cases may be forwarded to (59-FZ art. 8 p. 3).
struct Body {
  std::string id;
  std::string name;
  std::string address;  ///< postal address
  std::string phone;
  std::string email;
  std::string handles;  ///< what questions it handles, for officers
};

/// A structural unit of the office.
struct Unit {
  std::string id;
  std::string name;
  std::string head_email;
  /// Any officer of the unit may act on its cases, not only the case's own officer.
  bool anyone_in_unit = false;
};

/// An officer who answers clients.
struct Officer {
  std::string id;
  std::string name;
  std::string email;
  std::string unit;
};

/// Limits on officers' actions.
struct ActionLimits {
  int max_extension_days = 30;  ///< 59-FZ art. 12 p. 2: by at most 30 days
  int max_extensions = 1;       ///< ... and once
  int forward_within_days = 7;  ///< 59-FZ art. 8 p. 3
};

/// Where client mail may go and how much automatic mail the office sends (issue 12, items
/// 3 and 4): the office must not become a relay for whoever writes to it.
struct ChannelLimits {
  int max_additional = 2;  ///< additional channels per case, confirmed and waiting together
  int confirm_days = 7;    ///< how long a channel request waits for the client's confirmation
  int auto_per_recipient_per_hour = 20;  ///< automatic mail to one address in an hour
  int auto_per_hour = 500;               ///< automatic mail to anyone in an hour
};

struct Settings {
  Office office;
  std::vector<Unit> units;
  std::vector<Officer> officers;
  std::vector<Body> bodies;
  ActionLimits actions;
  /// The registration-number pattern, to find case tags in subjects.
  std::string regno_pattern = "УПК-{year}-{seq:06}";
  /// Which mail from an officer's address is obeyed.
  mail::SenderAuthSettings officer_auth;
  /// The plain-language check of officers' texts (R9, R11).
  templates::LintSettings plain_language;
  /// Loop safety: acknowledgements to one sender in 24 hours.
  int acks_per_sender_per_day = 10;
  ChannelLimits channel_limits;
  /// Staff alerts about one sender's new letters in an hour; over it, flagged and listed.
  int alerts_per_sender_per_hour = 20;
  /// For the attachments of an officer's mail, read again from the raw message.
  mail::ParseLimits limits;
};

/// The unit with this id, or nullptr.
const Unit* find_unit(const Settings& settings, const std::string& unit_id);

/// The officer a case belongs to: the rules' choice, else the first officer of its unit,
/// else the first officer configured. Nullptr when none is configured.
const Officer* responsible_officer(const Settings& settings, const std::string& officer_id,
                                   const std::string& unit_id);

}  // namespace mailgate::cases
