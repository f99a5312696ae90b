#pragma once
/// What the rules look at: one incoming message plus the facts the daemon knows about its
/// sender (the client directory and the case history from PostgreSQL). Plain values: rules/
/// never queries anything itself, so the daemon fills these in before calling evaluate().

#include <chrono>
#include <string>
#include <vector>

#include "mail/message.hpp"

namespace mailgate::rules {

/// The sender's entry in the client directory. `known` is false for a sender the directory
/// does not have; the other fields are then empty.
struct ClientProfile {
  bool known = false;
  std::string full_name;
  std::string position;  ///< as written in the directory, "Начальник сектора"
  std::string position_category;  ///< a category id from the directory, "head_of_executive_body"
  std::string organisation;  ///< "Комитет финансов Ленинградской области"
  std::string unit;  ///< the client's own structural unit
};

/// An earlier case of the same sender, for the "likely repeat" check (59-FZ art. 11 p. 5).
struct PastCase {
  std::string regno;  ///< registration number, quoted in the explanation
  std::chrono::sys_seconds received_at{};
  std::string text;  ///< subject and body of the case's first message
};

/// The sender's history of appeals, not counting the message being evaluated.
struct History {
  std::vector<std::chrono::sys_seconds> earlier_messages;  ///< arrival times, any order
  int open_cases = 0;
  std::vector<PastCase> past_cases;
};

struct Appeal {
  /// The parsed message; must outlive the evaluation. A null pointer is treated as an empty
  /// message (and reported in Decision::warnings).
  const mail::Message* message = nullptr;
  std::string sender;     ///< the sender's address, lower case: "m.ivanova@edu.lenobl.example"
  std::string mailbox;    ///< the IMAP folder it came from, "INBOX"
  std::string addressee;  ///< the office address it was sent to (also matched: To and Cc)
  std::chrono::sys_seconds received_at{};
  ClientProfile profile;
  History history;
};

}  // namespace mailgate::rules
