// The console shows statuses and history in Russian: every status the daemon sets and
// every event kind it records has a word, and an unknown token is shown as it is.

#include "cases/case_words.hpp"

#include <gtest/gtest.h>

using mailgate::cases::event_word;
using mailgate::cases::status_word;

TEST(CaseWords, EveryStatusTheDaemonSetsHasAWord) {
  for (const char* s :
       {"registered", "answered", "refused", "forwarded", "waiting_client", "closed"}) {
    EXPECT_NE(status_word(s), s) << s;
  }
  EXPECT_EQ(status_word("answered"), "ответ дан");
  EXPECT_EQ(status_word("something_new"), "something_new");
}

TEST(CaseWords, EveryEventKindHasAWord) {
  for (const char* k : {"registered", "follow_up", "channel_added", "channel_removed",
                        "mail_queued", "mail_sent", "mail_failed", "answer", "refuse", "forward",
                        "transfer", "clarify", "clarification_received", "extend", "close"}) {
    EXPECT_NE(event_word(k), k) << k;
  }
  EXPECT_EQ(event_word("mail_failed"), "письмо не доставлено");
  EXPECT_EQ(event_word("odd"), "odd");
}
