#pragma once
/// Outgoing mail about a case, composed in full: a template of templates/ filled with the
/// case's facts, then mail/compose. The result is an outbox row; nothing here sends.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cases/settings.hpp"
#include "mail/compose.hpp"
#include "storage/store.hpp"
#include "templates/template_set.hpp"

namespace mailgate::cases {

/// What a mail about a case says about it.
struct CaseFacts {
  std::string regno;
  storage::TimePoint registered_at;
  std::string subject;  ///< the client's subject
  std::string text;     ///< the client's text
  std::string client_name;
  std::string client_address;
  std::optional<storage::TimePoint> deadline;
  std::string term;                  ///< canonical, "30 days"
  std::string urgency;               ///< "urgent" or "normal"
  std::vector<std::string> reasons;  ///< why the rules decided so, one line each
  std::vector<std::string> kb_links;
  std::string client_message_id;  ///< for In-Reply-To
  std::vector<std::string> client_references;
  std::vector<std::string> channels;  ///< where client mail goes, primary first
};

/// One recipient of a staff alert.
struct StaffRecipient {
  std::string channel;  ///< "officer" or "head"
  std::string address;
  std::string name;
};

/// The reminder of reply commands every officer alert ends with.
std::string command_help();

class Outbound {
 public:
  Outbound(const Settings& settings, const templates::TemplateSet& templates);

  /// `kind` to the client: one mail per channel (the primary first), each its own row.
  std::vector<storage::OutboxItem> to_client(
      const std::string& kind, const CaseFacts& facts, const nlohmann::json& extra = {},
      const std::vector<mail::OutgoingAttachment>& attachments = {}) const;
  /// `kind` to an outside address (a competent body), with attachments.
  storage::OutboxItem to_other(const std::string& kind, const CaseFacts& facts,
                               const std::string& channel, const std::string& address,
                               const std::string& name, const nlohmann::json& extra,
                               const std::vector<mail::OutgoingAttachment>& attachments) const;
  /// `kind` to one member of staff (Reply-To: the office, so a reply is a command).
  storage::OutboxItem to_staff(const std::string& kind, const CaseFacts& facts,
                               const StaffRecipient& to, const nlohmann::json& extra = {}) const;
  /// The template's context: office, case, client, channels, then `extra` merged on top.
  nlohmann::json context(const CaseFacts& facts, const nlohmann::json& extra) const;

 private:
  storage::OutboxItem make(const std::string& kind, const std::string& channel,
                           const std::string& address, const std::string& name,
                           const CaseFacts& facts, const nlohmann::json& ctx, bool to_client,
                           const std::vector<mail::OutgoingAttachment>& attachments = {},
                           bool staff = false) const;

  const Settings& settings_;  ///< outlives this object
  const templates::TemplateSet& templates_;
};

/// A Russian long date ("28 ноября 2026 г.") of a moment, in Moscow time.
std::string long_date_moscow(storage::TimePoint at);

}  // namespace mailgate::cases
