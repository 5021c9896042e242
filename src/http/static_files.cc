#include "http/static_files.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <system_error>

#include "core/text.h"

namespace lianxin::http {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kNoCache = "no-cache";

bool ContainsIgnoreCase(std::string_view haystack, std::string_view needle) {
  return ToLowerAscii(haystack).find(needle) != std::string::npos;
}

bool IsInside(const fs::path& root, const fs::path& candidate) {
  auto [root_end, candidate_end] =
      std::mismatch(root.begin(), root.end(), candidate.begin(), candidate.end());
  return root_end == root.end();
}

bool IsRegularFile(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

}  // namespace

std::string_view ContentTypeFor(const fs::path& file) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".avif", "image/avif"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".otf", "font/otf"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
  };
  std::string extension = ToLowerAscii(file.extension().string());
  for (const auto& [suffix, type] : kTypes) {
    if (extension == suffix) return type;
  }
  return "application/octet-stream";
}

Response PlainText(int status, std::string_view text) {
  Response response;
  response.status = status;
  response.SetHeader("Content-Type", "text/plain; charset=utf-8");
  response.body = std::string(text);
  return response;
}

StaticFiles::StaticFiles(const std::string& web_root) {
  std::error_code error;
  fs::path root = fs::canonical(web_root, error);
  if (!error && fs::is_directory(root, error)) root_ = root;
}

fs::path StaticFiles::Resolve(std::string_view raw_path) const {
  if (root_.empty() || raw_path.empty() || raw_path.front() != '/') return {};
  // Encoded separators, backslashes and NUL have no business in a file name.
  std::string lowered = ToLowerAscii(raw_path);
  for (std::string_view bad : {"%2f", "%5c", "%00", "\\"}) {
    if (lowered.find(bad) != std::string::npos) return {};
  }
  std::optional<std::string> decoded = PercentDecode(raw_path, /*plus_is_space=*/false);
  if (!decoded || decoded->find('\0') != std::string::npos ||
      decoded->find('\\') != std::string::npos) {
    return {};
  }
  fs::path relative;
  for (std::string_view segment : Split(std::string_view(*decoded).substr(1), '/')) {
    if (segment.empty()) continue;
    // Refuses "..", "." and hidden files such as .env or .git.
    if (segment.front() == '.') return {};
    relative /= fs::path(std::string(segment));
  }
  if (relative.empty()) relative = "index.html";
  std::error_code error;
  fs::path resolved = fs::weakly_canonical(root_ / relative, error);
  // weakly_canonical follows symlinks, so a link pointing out of the root fails this check.
  if (error || !IsInside(root_, resolved) || !IsRegularFile(resolved)) return {};
  return resolved;
}

Response StaticFiles::FileResponse(const fs::path& file, std::string_view cache_control) const {
  std::ifstream in(file, std::ios::binary);
  if (!in) return PlainText(404, "Not Found\n");
  Response response;
  response.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  response.SetHeader("Content-Type", std::string(ContentTypeFor(file)));
  response.SetHeader("Cache-Control", std::string(cache_control));
  return response;
}

Response StaticFiles::Serve(Method method, std::string_view raw_path,
                            std::string_view accept) const {
  if (method != Method::kGet && method != Method::kHead) {
    Response response = PlainText(405, "Method Not Allowed\n");
    response.SetHeader("Allow", "GET, HEAD");
    return response;
  }
  bool is_asset = raw_path.starts_with("/assets/");
  fs::path file = Resolve(raw_path);
  if (!file.empty()) {
    bool is_index = file == root_ / "index.html";
    return FileResponse(file, is_asset && !is_index ? kImmutable : kNoCache);
  }
  // History fallback: an SPA route the browser navigates to. Never for assets, refused
  // paths, or clients that did not ask for HTML (scripts, images, fetch()).
  bool refused_path = raw_path.find("..") != std::string_view::npos ||
                      ContainsIgnoreCase(raw_path, "%2e") || ContainsIgnoreCase(raw_path, "%2f") ||
                      ContainsIgnoreCase(raw_path, "%5c") || ContainsIgnoreCase(raw_path, "%00") ||
                      raw_path.find('\\') != std::string_view::npos;
  if (!is_asset && !refused_path && ContainsIgnoreCase(accept, "text/html") && !root_.empty()) {
    fs::path index = root_ / "index.html";
    if (IsRegularFile(index)) return FileResponse(index, kNoCache);
  }
  return PlainText(404, "Not Found\n");
}

}  // namespace lianxin::http
