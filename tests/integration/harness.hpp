#pragma once
// Test harness: a real sandbox (PostgreSQL, Dovecot, SMTP sink) per test, the built
// mailgate binary run as a child process, and direct looks into the servers.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "mail/imap_session.hpp"

namespace mailgate::test {

struct RunResult {
  int exit_code = -1;  ///< -1 when killed by a signal
  int signal = 0;
  std::string out;
  std::string err;
};

/// Runs a command to completion, capturing stdout and stderr.
RunResult run(const std::vector<std::string>& argv,
              const std::map<std::string, std::string>& env = {});

/// Waits until the file (a daemon's log) contains `needle`; false after `seconds`. A test
/// that signals a daemon waits for its "mailgate starting" line first: a signal that
/// arrives before the daemon installed its handlers would kill it, which on a loaded
/// machine is only a slow start, not a bug.
bool wait_for_log(const std::filesystem::path& log, const std::string& needle, int seconds = 120);

/// A child running in the background (stderr and stdout go to `log_file`).
class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
        const std::filesystem::path& log_file);
  ~Child();
  void signal(int sig);
  /// Waits for exit; returns the result (out holds the log file's contents).
  RunResult wait();
  bool running();

 private:
  pid_t pid_ = -1;
  std::filesystem::path log_;
  bool reaped_ = false;
  RunResult result_;
};

class Sandbox {
 public:
  Sandbox();   ///< `scripts/sandbox up` in a fresh directory under the build tree
  ~Sandbox();  ///< `scripts/sandbox down`, then removes the directory
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path config() const { return dir_ / "mailgate.toml"; }
  const std::string& env(const std::string& key) const;

  /// Delivers files to the work INBOX, unseen, in order.
  void deliver(const std::vector<std::filesystem::path>& files);
  /// Runs the mailgate binary with this sandbox's config.
  RunResult mailgate(const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env = {});
  std::vector<std::string> mailgate_argv(const std::vector<std::string>& args) const;

  /// An IMAP session as the work user (imaps, verified against the sandbox CA).
  std::unique_ptr<mail::ImapSession> imap() const;
  std::size_t count(const std::string& folder) const;
  /// sha256 of every message in a folder, as the server serves it.
  std::vector<std::string> shas(const std::string& folder) const;

  /// One SQL query; returns rows of text cells.
  std::vector<std::vector<std::string>> sql(const std::string& query) const;

 private:
  std::filesystem::path dir_;
  std::map<std::string, std::string> env_;
};

/// The built mailgate binary and the source tree, passed in by CMake.
std::filesystem::path mailgate_binary();
std::filesystem::path source_dir();
std::filesystem::path test_data();

/// A small, distinct, valid message for bulk tests.
std::string synthetic_message(int n);
/// Writes texts into files under `dir` and returns their paths in order.
std::vector<std::filesystem::path> write_messages(const std::filesystem::path& dir,
                                                  const std::vector<std::string>& texts);
/// The first `n` messages of the copied corpora (Russian set first), sorted by name.
std::vector<std::filesystem::path> corpus_files(std::size_t n);

}  // namespace mailgate::test
