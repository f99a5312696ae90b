#pragma once
#include <string>
#include <string_view>

namespace mailgate::mail {

/// Lower-case hex SHA-256 of the bytes: the identity of a raw message or an attachment.
std::string sha256_hex(std::string_view bytes);

}  // namespace mailgate::mail
