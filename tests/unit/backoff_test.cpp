// Retry backoff (base/backoff) and the outbox's retry delay built on it: the waits double
// up to the cap, the jitter stays within its bounds, and a success starts over.
#include <gtest/gtest.h>

#include <chrono>

#include "base/backoff.hpp"
#include "daemon/outbox_worker.hpp"

namespace {

using mailgate::base::Backoff;
using mailgate::base::backoff_delay;
using mailgate::base::BackoffPolicy;
using std::chrono::milliseconds;
using std::chrono::seconds;

double delay_s(const BackoffPolicy& p, int attempt, double u01) {
  return backoff_delay(p, attempt, u01).count();
}

TEST(Backoff, DoublesUpToTheCap) {
  BackoffPolicy p{seconds(3), seconds(20)};
  EXPECT_DOUBLE_EQ(delay_s(p, 1, 0.5), 3);
  EXPECT_DOUBLE_EQ(delay_s(p, 2, 0.5), 6);
  EXPECT_DOUBLE_EQ(delay_s(p, 3, 0.5), 12);
  EXPECT_DOUBLE_EQ(delay_s(p, 4, 0.5), 20);
  EXPECT_DOUBLE_EQ(delay_s(p, 1000000, 0.5), 20);  // no overflow for a long outage
  EXPECT_DOUBLE_EQ(delay_s(p, 0, 0.5), 3);         // below 1 counts as the first retry
}

TEST(Backoff, FirstAboveCapIsCapped) {
  BackoffPolicy p{seconds(10), seconds(3)};
  EXPECT_DOUBLE_EQ(delay_s(p, 1, 0), 3);
  EXPECT_DOUBLE_EQ(delay_s(p, 5, 0), 3);
}

TEST(Backoff, JitterScalesWithinBounds) {
  BackoffPolicy p{seconds(8), seconds(100), 0.5, 1.5};
  EXPECT_DOUBLE_EQ(delay_s(p, 2, 0.0), 8);
  EXPECT_DOUBLE_EQ(delay_s(p, 2, 0.5), 16);
  EXPECT_DOUBLE_EQ(delay_s(p, 2, 1.0), 24);
}

TEST(Backoff, CountsFailuresAndStartsOverAfterReset) {
  Backoff b({seconds(2), seconds(10), 0.5, 1.0});
  EXPECT_EQ(b.failures(), 0);
  const milliseconds expected_max[] = {milliseconds(2000), milliseconds(4000), milliseconds(8000),
                                       milliseconds(10000), milliseconds(10000)};
  for (auto max : expected_max) {
    auto wait = b.next();
    EXPECT_GE(wait, max / 2);
    EXPECT_LE(wait, max);
  }
  EXPECT_EQ(b.failures(), 5);
  b.reset();
  EXPECT_EQ(b.failures(), 0);
  auto wait = b.next();
  EXPECT_GE(wait, milliseconds(1000));
  EXPECT_LE(wait, milliseconds(2000));
}

TEST(Backoff, WithoutJitterTheWaitsAreExact) {
  Backoff b({seconds(10), seconds(25)});
  EXPECT_EQ(b.next(), milliseconds(10000));
  EXPECT_EQ(b.next(), milliseconds(20000));
  EXPECT_EQ(b.next(), milliseconds(25000));
}

// The outbox's retry: min·2^(attempt-1) capped at max, ±25% jitter, at least 1 s.
TEST(Backoff, OutboxRetryDelay) {
  mailgate::daemon::OutboxConfig c;
  c.min_backoff = seconds(60);
  c.max_backoff = seconds(3600);
  using mailgate::daemon::retry_delay;
  EXPECT_EQ(retry_delay(c, 1, 0.5), seconds(60));
  EXPECT_EQ(retry_delay(c, 2, 0.5), seconds(120));
  EXPECT_EQ(retry_delay(c, 3, 0.5), seconds(240));
  EXPECT_EQ(retry_delay(c, 7, 0.5), seconds(3600));  // 60·64 = 3840, capped
  EXPECT_EQ(retry_delay(c, 50, 0.5), seconds(3600));
  EXPECT_EQ(retry_delay(c, 1, 0.0), seconds(45));    // -25%
  EXPECT_EQ(retry_delay(c, 1, 1.0), seconds(75));    // +25%
  EXPECT_EQ(retry_delay(c, 2, 0.25), seconds(105));  // 120·0.875
  c.min_backoff = seconds(1);
  c.max_backoff = seconds(1);
  EXPECT_EQ(retry_delay(c, 1, 0.0), seconds(1));  // 0.75 s rounds up to the 1 s floor
}

}  // namespace
