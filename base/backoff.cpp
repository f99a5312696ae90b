#include "base/backoff.hpp"

#include <algorithm>

namespace mailgate::base {

std::chrono::duration<double> backoff_delay(const BackoffPolicy& policy, int attempt, double u01) {
  // Doubling stops at the cap, so no attempt number can overflow the wait.
  std::chrono::seconds wait = policy.first;
  for (int i = 1; i < attempt && wait < policy.max; ++i) wait *= 2;
  wait = std::min(wait, policy.max);
  double factor = policy.jitter_low + (policy.jitter_high - policy.jitter_low) * u01;
  return std::chrono::duration<double>(wait) * factor;
}

Backoff::Backoff(const BackoffPolicy& policy) : policy_(policy), rng_(std::random_device{}()) {}

std::chrono::milliseconds Backoff::next() {
  ++failures_;
  double u01 = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  return std::chrono::duration_cast<std::chrono::milliseconds>(
      backoff_delay(policy_, failures_, u01));
}

}  // namespace mailgate::base
