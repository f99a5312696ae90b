#pragma once
/// The schema as versioned SQL migrations, compiled into the binary from
/// storage/migrations/NNNN_name.sql.

#include <string>
#include <vector>

namespace mailgate::storage {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

/// Every migration, ascending by version.
const std::vector<Migration>& migrations();

}  // namespace mailgate::storage
