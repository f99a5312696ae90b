#pragma once
/// Sending mail over SMTP with libcurl: one easy handle per session, so consecutive messages
/// share one connection (and one TLS handshake and AUTH).
///
/// Results are classified the way an outbox reacts to them: 2xx sent; a 4xx reply, a network,
/// TLS or timeout error, or a refused login is transient (try again later); a 5xx reply to
/// MAIL, RCPT or the message is permanent. The password never appears in a result or an
/// exception; this class logs nothing.

#include <chrono>
#include <memory>
#include <string>

namespace mailgate::mail {

struct SmtpSettings {
  enum class Security {
    smtps,     ///< implicit TLS (port 465)
    starttls,  ///< plain connect, then STARTTLS, required (port 587 or 25)
    none,      ///< no TLS: only for 127.0.0.1, ::1 or localhost
  };
  std::string host;
  int port = 465;
  Security security = Security::smtps;
  std::string ca_file;  ///< empty: the system trust store
  bool verify_peer = true;
  /// Lets `none` reach a server off this machine: the administrator said so explicitly
  /// ([smtp] insecure_ok), knowing mail and password cross the network unencrypted.
  bool insecure_ok = false;
  std::string user;       ///< empty: no AUTH
  std::string password;   ///< never logged or reported
  std::string helo_name;  ///< EHLO name (a host name); empty: the local host name
  std::chrono::seconds connect_timeout{15};
  /// How long the server may stay silent (per reply, and for a stalled transfer).
  std::chrono::seconds timeout{60};
};

struct SmtpResult {
  enum class Kind { sent, transient, permanent };
  Kind kind = Kind::transient;
  int code = 0;  ///< the SMTP reply code that decided it; 0 when no reply (network error)
  /// The server's reply ("451 4.3.0 Try later", lines joined by spaces) or, without one,
  /// libcurl's error text. Never contains the password.
  std::string reply;
};

class SmtpSession {
 public:
  /// Throws std::invalid_argument for settings that cannot be used: no host, a host or EHLO
  /// name that is not a host name or IP address, a bad port, or security none off loopback.
  explicit SmtpSession(SmtpSettings settings);
  ~SmtpSession();
  SmtpSession(const SmtpSession&) = delete;
  SmtpSession& operator=(const SmtpSession&) = delete;

  /// Sends `bytes` (CRLF line ends, as compose() makes them) from `envelope_from` (empty: the
  /// null sender "<>", for bounces and auto-replies) to one recipient. An address that is not
  /// a plain addr-spec (see is_valid_addr_spec) is refused as permanent without connecting.
  /// After any failure the connection is dropped, so the next send starts clean.
  SmtpResult send(const std::string& envelope_from, const std::string& recipient,
                  const std::string& bytes);

  /// Connections opened so far (CURLINFO_NUM_CONNECTS summed over the sends).
  long connections_opened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mailgate::mail
