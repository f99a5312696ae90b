#pragma once
/// Retry backoff: waits that double after each failure up to a cap, optionally scaled by a
/// random factor, so that retries of many rows, several daemons or the clients of one
/// outage do not all come back at the same moment.

#include <chrono>
#include <random>

namespace mailgate::base {

struct BackoffPolicy {
  std::chrono::seconds first{1};  ///< the wait before the first retry
  std::chrono::seconds max{60};   ///< no wait grows beyond this (before the jitter)
  /// The wait is scaled by a factor drawn from [jitter_low, jitter_high]; 1 and 1: none.
  double jitter_low = 1.0;
  double jitter_high = 1.0;
};

/// The wait before retry number `attempt` (1 = the first retry; less counts as 1):
/// first·2^(attempt-1), capped at max, times jitter_low + (jitter_high - jitter_low)·u01.
std::chrono::duration<double> backoff_delay(const BackoffPolicy& policy, int attempt, double u01);

/// Counts consecutive failures and draws the jitter itself; reset() after a success.
class Backoff {
 public:
  explicit Backoff(const BackoffPolicy& policy);
  /// The wait after one more failure.
  std::chrono::milliseconds next();
  void reset() { failures_ = 0; }
  int failures() const { return failures_; }

 private:
  BackoffPolicy policy_;
  int failures_ = 0;
  std::mt19937 rng_;
};

}  // namespace mailgate::base
