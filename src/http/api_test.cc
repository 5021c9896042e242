#include "http/api.h"

#include <gtest/gtest.h>

#include <string>

namespace lianxin::http {
namespace {

Response Named(std::string name) {
  Response response;
  response.body = std::move(name);
  return response;
}

Router MakeRouter() {
  Router router;
  router.Get("/api/v1/units", [](Request&) { return Named("list"); });
  router.Post("/api/v1/units", [](Request&) { return Named("create"); });
  router.Get("/api/v1/units/{id}", [](Request&) { return Named("get"); });
  router.Patch("/api/v1/units/{id}", [](Request&) { return Named("patch"); });
  router.Get("/api/v1/units/tree", [](Request&) { return Named("tree"); });
  router.Post("/api/v1/units/{id}/move", [](Request&) { return Named("move"); });
  router.Get("/api/v1/{kind}/{id}/children", [](Request&) { return Named("generic"); });
  router.Get("/api/v1/units/{id}/children", [](Request&) { return Named("children"); });
  return router;
}

std::string Dispatch(const Router& router, Method method, std::string_view path) {
  Router::Match match = router.Find(method, path);
  if (match.route == nullptr) return match.allowed.empty() ? "404" : "405";
  Request request;
  return match.route->handler(request).body;
}

TEST(RouterTest, MatchesTable) {
  Router router = MakeRouter();
  struct Case {
    Method method;
    std::string_view path;
    std::string_view expected;
  };
  const Case cases[] = {
      {Method::kGet, "/api/v1/units", "list"},
      {Method::kPost, "/api/v1/units", "create"},
      {Method::kGet, "/api/v1/units/12", "get"},
      {Method::kPatch, "/api/v1/units/12", "patch"},
      {Method::kGet, "/api/v1/units/tree", "tree"},     // literal wins over {id}
      {Method::kPatch, "/api/v1/units/tree", "patch"},  // no literal PATCH: the param matches
      {Method::kPost, "/api/v1/units/7/move", "move"},
      {Method::kGet, "/api/v1/units/7/children", "children"},  // literal earlier wins
      {Method::kGet, "/api/v1/officers/7/children", "generic"},
      {Method::kHead, "/api/v1/units/12", "get"},    // GET answers HEAD
      {Method::kGet, "/api/v1/units/", "404"},       // trailing slash is significant
      {Method::kGet, "/api/v1/units//move", "404"},  // empty segment never a param
      {Method::kGet, "/api/v1", "404"},
      {Method::kGet, "/", "404"},
      {Method::kGet, "/api/v1/units/7/move", "405"},
      {Method::kDelete, "/api/v1/units", "405"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Dispatch(router, c.method, c.path), c.expected)
        << MethodName(c.method) << " " << c.path;
  }
}

TEST(RouterTest, CapturesParams) {
  Router router = MakeRouter();
  Router::Match match = router.Find(Method::kPost, "/api/v1/units/42/move");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->pattern, "/api/v1/units/{id}/move");
  EXPECT_EQ(match.params.at("id"), "42");
  match = router.Find(Method::kGet, "/api/v1/officers/9/children");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.params.at("kind"), "officers");
  EXPECT_EQ(match.params.at("id"), "9");
}

TEST(RouterTest, AllowedListsEveryMethodOfThePath) {
  Router router = MakeRouter();
  Router::Match match = router.Find(Method::kDelete, "/api/v1/units/3");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(match.allowed, (std::vector<Method>{Method::kGet, Method::kHead, Method::kPatch}));
  match = router.Find(Method::kGet, "/nothing/here");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.allowed.empty());
}

TEST(MethodTest, ParsesNames) {
  Method method;
  ASSERT_TRUE(ParseMethod("PATCH", method));
  EXPECT_EQ(method, Method::kPatch);
  EXPECT_EQ(MethodName(Method::kDelete), "DELETE");
  EXPECT_FALSE(ParseMethod("patch", method));
  EXPECT_FALSE(ParseMethod("TRACE", method));
}

TEST(QueryTest, DecodesParameters) {
  Request request;
  request.query = "q=%E5%BC%A0+%E4%B8%89&page=2&empty=&flag&a%20b=c%2Bd&dup=1&dup=2";
  EXPECT_EQ(request.QueryParam("q"), "张 三");
  EXPECT_EQ(request.QueryParam("page"), "2");
  EXPECT_EQ(request.QueryParam("empty"), "");
  EXPECT_EQ(request.QueryParam("flag"), "");
  EXPECT_EQ(request.QueryParam("a b"), "c+d");
  EXPECT_EQ(request.QueryParam("dup"), "1");
  EXPECT_EQ(request.QueryParam("missing"), std::nullopt);
}

TEST(QueryTest, KeepsMalformedEscapesLiterally) {
  struct Case {
    std::string_view query;
    std::optional<std::string> q;
  };
  const Case cases[] = {
      {"q=%", "%"},
      {"q=%4", "%4"},
      {"q=%zz", "%zz"},
      {"q=%4g1", "%4g1"},
      {"q=100%25", "100%"},
      {"q=%%41", "%A"},
      {"q=a%00b", std::string("a\0b", 3)},
      {"&&q=x&&", "x"},
      {"=&q", ""},
      {"", std::nullopt},
  };
  for (const Case& c : cases) {
    Request request;
    request.query = std::string(c.query);
    EXPECT_EQ(request.QueryParam("q"), c.q) << c.query;
  }
}

TEST(PercentDecodeTest, RejectsMalformed) {
  EXPECT_EQ(PercentDecode("/a%2Fb", false), "/a/b");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("%", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%e", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%xy", false), std::nullopt);
  EXPECT_EQ(LenientPercentDecode("%xy%41", false), "%xyA");
}

TEST(RequestTest, HeadersAndParams) {
  Request request;
  request.headers = {{"content-type", "application/json"}, {"x-a", "1"}, {"x-a", "2"}};
  request.path_params["id"] = "12";
  EXPECT_EQ(request.Header("content-type"), "application/json");
  EXPECT_EQ(request.Header("Content-Type"), "application/json");
  EXPECT_EQ(request.Header("x-a"), "1");
  EXPECT_EQ(request.Header("missing"), "");
  EXPECT_EQ(request.PathParam("id"), "12");
  EXPECT_EQ(request.PathParam("other"), "");
}

TEST(ResponseTest, SetHeaderReplacesCaseInsensitively) {
  Response response;
  response.SetHeader("Content-Type", "text/plain");
  response.SetHeader("content-type", "application/json");
  EXPECT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.Header("CONTENT-TYPE"), "application/json");
  EXPECT_EQ(response.Header("x"), "");
}

}  // namespace
}  // namespace lianxin::http
