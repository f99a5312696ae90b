#pragma once
/// One authenticated IMAP connection over libcurl, with just the commands intake needs.
/// libcurl reuses the connection across requests on the same easy handle, so one session
/// is one TCP+TLS connection for a whole pass over the mailbox.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace mailgate::mail {

enum class ImapSecurity { imaps, starttls, plaintext };

struct ImapSettings {
  std::string host;
  int port = 993;
  ImapSecurity security = ImapSecurity::imaps;
  std::string ca_file;  ///< empty: the system trust store
  bool verify_peer = true;
  std::string user;
  std::string password;  ///< never logged
  std::chrono::seconds connect_timeout{15};
  std::chrono::seconds timeout{120};
};

/// What SELECT reported.
struct MailboxStatus {
  std::uint32_t uidvalidity = 0;
  std::uint32_t uidnext = 0;
  std::uint32_t exists = 0;
};

/// Errors are classified the way the daemon reacts to them.
class ImapError : public std::runtime_error {
 public:
  enum class Kind {
    unavailable,  ///< network, TLS, timeout: retry with backoff
    auth,         ///< the server refused our credentials: retry slowly, log loudly
    protocol,     ///< the server said NO/BAD to a command
    not_found,    ///< the message or mailbox is gone
  };
  ImapError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const noexcept { return kind_; }

 private:
  Kind kind_;
};

class ImapSession {
 public:
  explicit ImapSession(ImapSettings settings);
  ~ImapSession();
  ImapSession(const ImapSession&) = delete;
  ImapSession& operator=(const ImapSession&) = delete;

  /// Connects, authenticates and reads capabilities (CAPABILITY).
  void connect();
  bool has_capability(const std::string& name) const;

  MailboxStatus select(const std::string& mailbox);
  /// UIDs of every message in the selected mailbox, ascending.
  std::vector<std::uint32_t> search_all_uids();
  /// When the server received each message (INTERNALDATE), for UIDs of the selected mailbox.
  /// This, not the moment we fetched it, is the date of receipt.
  std::map<std::uint32_t, std::chrono::system_clock::time_point> internal_dates(
      const std::vector<std::uint32_t>& uids);
  /// The size in bytes of each message (RFC822.SIZE), for UIDs of the selected mailbox: what
  /// fetching it will cost before it is fetched. A UID the server no longer has is left out.
  std::map<std::uint32_t, std::uint64_t> sizes(const std::vector<std::uint32_t>& uids);
  /// The whole message, byte-exact as the server stores it. After the first fetch of a
  /// connection the mailbox is open read-only, so fetching does not set \Seen (intake never
  /// relies on flags either way); move() re-opens it read-write.
  std::string fetch(const std::string& mailbox, std::uint32_t uidvalidity, std::uint32_t uid);
  /// Moves UIDs of the selected mailbox to `folder` (UID MOVE, or COPY + \Deleted + UID
  /// EXPUNGE where MOVE is missing). UIDs already gone are not an error.
  void move(const std::vector<std::uint32_t>& uids, const std::string& folder);
  /// Creates `folder` if it does not exist.
  void ensure_folder(const std::string& folder);

 private:
  /// Re-opens the mailbox read-write after fetch() opened it read-only.
  void writable();

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// IMAP set syntax for a list of UIDs, compressed into ranges ("1:5,7,9:10").
std::string uid_set(std::vector<std::uint32_t> uids);

/// Mailbox names go to the server in modified UTF-7 (RFC 3501 5.1.3).
std::string encode_mailbox_name(const std::string& utf8);

}  // namespace mailgate::mail
