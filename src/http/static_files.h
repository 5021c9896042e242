// The web app's built files (web/dist): hashed assets, index.html and the SPA history
// fallback. Boost-free so its path rules are unit-tested without a server.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "http/api.h"

namespace lianxin::http {

class StaticFiles {
 public:
  // `web_root` need not exist: then every request is a 404.
  explicit StaticFiles(const std::string& web_root);

  // Answers a request for `raw_path` (the target's path, still percent-encoded).
  // Files under /assets/ are immutable-cached; index.html is no-cache. A GET/HEAD that maps
  // to no file gets index.html when `accept` includes text/html and the path is not under
  // /assets/; otherwise a plain-text 404. Traversal (.., encoded separators, NUL, symlinks
  // leading out of the root) is a 404. Other methods get 405 with Allow.
  Response Serve(Method method, std::string_view raw_path, std::string_view accept) const;

 private:
  // The file inside the root for `raw_path`, or empty when the path is refused or missing.
  std::filesystem::path Resolve(std::string_view raw_path) const;
  Response FileResponse(const std::filesystem::path& file, std::string_view cache_control) const;

  std::filesystem::path root_;  // canonical; empty when web_root does not exist
};

// The Content-Type for a file name's extension ("application/octet-stream" when unknown).
std::string_view ContentTypeFor(const std::filesystem::path& file);

// A text/plain response (used for non-API errors, which must never be HTML).
Response PlainText(int status, std::string_view text);

}  // namespace lianxin::http
