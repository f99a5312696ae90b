#pragma once
/// MAILGATE_CURL_VERBOSE: libcurl's protocol trace on stderr, with every credential the
/// client sends (IMAP AUTHENTICATE and LOGIN, SMTP AUTH, and the base64 lines answering the
/// server's challenges) replaced by "<credentials hidden>". A trace is pasted into tickets
/// and chats; a password in it would leak with it.

#include <curl/curl.h>

#include <string>
#include <string_view>

namespace mailgate::mail {

/// Which way a protocol line went.
enum class TraceDirection { info, from_server, to_server };

/// Decides, line by line, what of a protocol trace may be shown. Keeps the state of one
/// connection: after an authentication command every line the client sends is hidden until
/// the server gives a final answer (anything but a "+" or "334" challenge).
class CredentialRedactor {
 public:
  /// One line without its line end; returns the line to show.
  std::string line(TraceDirection direction, std::string_view text);

 private:
  bool in_authentication_ = false;
};

/// True when the environment asks for the trace (read once per process).
bool curl_verbose_requested();

/// Turns libcurl's verbose trace on for `curl`, through `redactor`, which must outlive the
/// handle's transfers.
void enable_redacted_trace(CURL* curl, CredentialRedactor& redactor);

}  // namespace mailgate::mail
