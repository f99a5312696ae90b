#include <gtest/gtest.h>

#include "mail/imap_session.hpp"

using mailgate::mail::encode_mailbox_name;
using mailgate::mail::uid_set;

TEST(UidSet, CompressesRuns) {
  EXPECT_EQ(uid_set({1, 2, 3, 5, 7, 8}), "1:3,5,7:8");
  EXPECT_EQ(uid_set({9, 4, 4, 5}), "4:5,9");
  EXPECT_EQ(uid_set({42}), "42");
}

TEST(MailboxName, ModifiedUtf7) {
  // RFC 3501 5.1.3 examples and Cyrillic folder names.
  EXPECT_EQ(encode_mailbox_name("INBOX"), "INBOX");
  EXPECT_EQ(encode_mailbox_name("A&B"), "A&-B");
  EXPECT_EQ(encode_mailbox_name("~peter/mail/台北/日本語"), "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
  EXPECT_EQ(encode_mailbox_name("Карантин"), "&BBoEMARABDAEPQRCBDgEPQ-");
}
