#include "app/data_key.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/text.h"

namespace lianxin::app {

Result<DataProtector> LoadOrCreateDataKey(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    fs::path parent = fs::path(path).parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    std::string hex = RandomHex(DataProtector::kKeyBytes);
    // Created with 0600 from the start so the key is never readable by others, not even briefly.
    const mode_t old_mask = ::umask(077);
    std::ofstream out(path, std::ios::trunc);
    out << hex << "\n";
    out.close();
    ::umask(old_mask);
    if (!out) return MakeError(ErrorCode::kInternal, "cannot write the data key file " + path);
  }
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return MakeError(ErrorCode::kInternal, "cannot read the data key file " + path);
  }
  if ((info.st_mode & 077) != 0) {
    return MakeError(ErrorCode::kPermissionDenied,
                     "the data key file " + path + " must not be readable by others (chmod 600)");
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto key = FromHex(Trim(text.str()));
  if (!key || key->size() != DataProtector::kKeyBytes) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the data key file " + path + " must hold 64 hex characters");
  }
  return DataProtector::Create(*key);
}

}  // namespace lianxin::app
