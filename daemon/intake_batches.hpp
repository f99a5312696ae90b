#pragma once
/// How intake cuts the new UIDs of a pass into batches: at most `max_count` messages and, by
/// the sizes the server reported, at most `max_bytes` in memory at once. A message larger
/// than `max_bytes` is a batch of its own, so a few large letters never sit in memory
/// together. Pure: unit-tested without a server.

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

namespace mailgate::daemon {

/// `uids` in order, cut into batches. A UID with no reported size is a batch of its own
/// (its size is unknown, and the fetch will tell whether it still exists).
std::vector<std::vector<std::uint32_t>> cut_batches(
    const std::vector<std::uint32_t>& uids, const std::map<std::uint32_t, std::uint64_t>& sizes,
    std::size_t max_count, std::uint64_t max_bytes);

}  // namespace mailgate::daemon
