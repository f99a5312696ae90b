#include "daemon/intake_batches.hpp"

#include <algorithm>

namespace mailgate::daemon {

std::vector<std::vector<std::uint32_t>> cut_batches(
    const std::vector<std::uint32_t>& uids, const std::map<std::uint32_t, std::uint64_t>& sizes,
    std::size_t max_count, std::uint64_t max_bytes) {
  max_count = std::max<std::size_t>(max_count, 1);
  std::vector<std::vector<std::uint32_t>> out;
  std::vector<std::uint32_t> current;
  std::uint64_t bytes = 0;
  auto close = [&] {
    if (!current.empty()) out.push_back(std::move(current));
    current.clear();
    bytes = 0;
  };
  for (auto uid : uids) {
    auto it = sizes.find(uid);
    if (it == sizes.end() || it->second >= max_bytes) {
      close();
      out.push_back({uid});
      continue;
    }
    if (current.size() >= max_count || bytes + it->second > max_bytes) close();
    current.push_back(uid);
    bytes += it->second;
  }
  close();
  return out;
}

}  // namespace mailgate::daemon
