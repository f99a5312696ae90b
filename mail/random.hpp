#pragma once
/// Unpredictable identifiers (message ids, MIME boundaries) from OpenSSL's CSPRNG.

#include <cstddef>
#include <string>

namespace mailgate::mail {

/// `bytes` random bytes as lower-case hex (2 × bytes characters). Throws std::runtime_error
/// if OpenSSL cannot produce them.
std::string random_hex(std::size_t bytes);

}  // namespace mailgate::mail
