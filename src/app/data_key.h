// The data key that seals personal data at rest.
#pragma once

#include <string>

#include "core/crypto.h"
#include "core/error.h"

namespace lianxin::app {

// Reads the 32-byte key (64 hex characters) from `path`, or creates it with mode 0600 when
// the file does not exist. Returns kInvalidArgument for a file that holds anything else, and
// kPermissionDenied when the file can be read by group or others.
[[nodiscard]] Result<DataProtector> LoadOrCreateDataKey(const std::string& path);

}  // namespace lianxin::app
