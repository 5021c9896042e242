#include "http/api.h"

#include <algorithm>
#include <cstddef>

#include "core/text.h"

namespace lianxin::http {
namespace {

constexpr std::pair<Method, std::string_view> kMethodNames[] = {
    {Method::kGet, "GET"},         {Method::kHead, "HEAD"},   {Method::kPost, "POST"},
    {Method::kPut, "PUT"},         {Method::kPatch, "PATCH"}, {Method::kDelete, "DELETE"},
    {Method::kOptions, "OPTIONS"},
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Splits "/a/b/c" into {"a","b","c"}; "/" gives {""} and "/a/" gives {"a",""}, so a trailing
// slash is a distinct (empty) segment that no pattern segment matches.
std::vector<std::string_view> PathSegments(std::string_view path) {
  std::vector<std::string_view> segments;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      segments.push_back(path.substr(start));
      break;
    }
    segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

bool IsParamSegment(std::string_view segment) {
  return segment.size() >= 3 && segment.front() == '{' && segment.back() == '}';
}

// Matches `path` against `pattern`, filling `params`. `score` ranks specificity: one bit per
// segment, most significant first, set for a literal; higher wins.
bool MatchPattern(const std::vector<std::string_view>& pattern,
                  const std::vector<std::string_view>& path,
                  std::map<std::string, std::string, std::less<>>* params,
                  std::vector<bool>* literal_mask) {
  if (pattern.size() != path.size()) return false;
  literal_mask->assign(pattern.size(), false);
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (IsParamSegment(pattern[i])) {
      if (path[i].empty()) return false;
      if (params != nullptr) {
        (*params)[std::string(pattern[i].substr(1, pattern[i].size() - 2))] = std::string(path[i]);
      }
    } else {
      if (pattern[i] != path[i]) return false;
      (*literal_mask)[i] = true;
    }
  }
  return true;
}

}  // namespace

std::string_view MethodName(Method method) {
  for (const auto& [m, name] : kMethodNames) {
    if (m == method) return name;
  }
  return "GET";
}

bool ParseMethod(std::string_view name, Method& method) {
  for (const auto& [m, n] : kMethodNames) {
    if (n == name) {
      method = m;
      return true;
    }
  }
  return false;
}

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int high = HexValue(text[i + 1]);
      int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string LenientPercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      int high = HexValue(text[i + 1]);
      int low = HexValue(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    out.push_back(c == '+' && plus_is_space ? ' ' : c);
  }
  return out;
}

std::string_view Request::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return {};
}

std::optional<std::string> Request::QueryParam(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view raw_key = pair.substr(0, eq);
    std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    if (LenientPercentDecode(raw_key, true) == name) {
      return LenientPercentDecode(raw_value, true);
    }
  }
  return std::nullopt;
}

std::string_view Request::PathParam(std::string_view name) const {
  auto it = path_params.find(name);
  return it == path_params.end() ? std::string_view() : std::string_view(it->second);
}

void Response::SetHeader(std::string name, std::string value) {
  for (auto& [key, existing] : headers) {
    if (EqualsIgnoreCase(key, name)) {
      existing = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::string_view Response::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return {};
}

Response JsonText(int status, std::string body) {
  Response response;
  response.status = status;
  response.SetHeader("Content-Type", "application/json");
  response.body = std::move(body);
  return response;
}

void Router::Add(Method method, std::string pattern, Handler handler, RouteOptions options) {
  routes_.push_back(Route{method, std::move(pattern), std::move(handler), options});
}

Router::Match Router::Find(Method method, std::string_view path) const {
  Match match;
  const std::vector<std::string_view> path_segments = PathSegments(path);
  // HEAD is served by GET routes unless a HEAD route exists.
  const Route* best = nullptr;
  std::vector<bool> best_mask;
  bool best_is_exact_method = false;
  std::vector<bool> mask;
  for (const Route& route : routes_) {
    if (!MatchPattern(PathSegments(route.pattern), path_segments, nullptr, &mask)) continue;
    if (std::find(match.allowed.begin(), match.allowed.end(), route.method) ==
        match.allowed.end()) {
      match.allowed.push_back(route.method);
    }
    bool exact = route.method == method;
    bool usable = exact || (method == Method::kHead && route.method == Method::kGet);
    if (!usable) continue;
    // Literal segments win over parameters (compared left to right); an exact HEAD route
    // wins over GET serving HEAD.
    bool better = best == nullptr || mask > best_mask ||
                  (mask == best_mask && exact && !best_is_exact_method);
    if (better) {
      best = &route;
      best_mask = mask;
      best_is_exact_method = exact;
    }
  }
  bool has_get =
      std::find(match.allowed.begin(), match.allowed.end(), Method::kGet) != match.allowed.end();
  bool has_head =
      std::find(match.allowed.begin(), match.allowed.end(), Method::kHead) != match.allowed.end();
  if (has_get && !has_head) match.allowed.push_back(Method::kHead);
  std::sort(match.allowed.begin(), match.allowed.end());
  if (best != nullptr) {
    match.route = best;
    MatchPattern(PathSegments(best->pattern), path_segments, &match.params, &mask);
  }
  return match;
}

}  // namespace lianxin::http
