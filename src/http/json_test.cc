#include "http/json.h"

#include <gtest/gtest.h>

#include <string>

namespace lianxin::http {
namespace {

Request JsonRequest(std::string body, std::string content_type = "application/json") {
  Request request;
  request.method = Method::kPost;
  request.headers.emplace_back("content-type", std::move(content_type));
  request.body = std::move(body);
  return request;
}

TEST(ParseJsonObjectTest, Cases) {
  struct Case {
    std::string content_type;
    std::string body;
    std::optional<ErrorCode> error;  // nullopt: parses
  };
  const std::string deep_ok = std::string(63, '[') + std::string(63, ']');
  const Case cases[] = {
      {"application/json", R"({"a":1})", std::nullopt},
      {"application/json; charset=utf-8", R"({"a":"张三"})", std::nullopt},
      {"Application/JSON", "{}", std::nullopt},
      {"text/plain", "{}", ErrorCode::kUnsupportedMedia},
      {"", "{}", ErrorCode::kUnsupportedMedia},
      {"application/jsonx", "{}", ErrorCode::kUnsupportedMedia},
      {"application/x-www-form-urlencoded", "a=1", ErrorCode::kUnsupportedMedia},
      {"application/json", "{\"a\":\"\xff\"}", ErrorCode::kMalformed},
      {"application/json", "{\"a\":\"\xc0\xaf\"}", ErrorCode::kMalformed},
      {"application/json", "{\"a\":", ErrorCode::kMalformed},
      {"application/json", "", ErrorCode::kMalformed},
      {"application/json", "{} {}", ErrorCode::kMalformed},
      {"application/json", "{/*c*/}", ErrorCode::kMalformed},
      {"application/json", "[1,2]", ErrorCode::kMalformed},
      {"application/json", "\"text\"", ErrorCode::kMalformed},
      {"application/json", "null", ErrorCode::kMalformed},
      {"application/json", "{\"a\":" + deep_ok + "}", std::nullopt},
      {"application/json", "{\"a\":" + std::string(64, '[') + std::string(64, ']') + "}",
       ErrorCode::kMalformed},
      {"application/json", std::string(100000, '['), ErrorCode::kMalformed},
      {"application/json", "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}",
       ErrorCode::kMalformed},
  };
  for (const Case& c : cases) {
    Result<Json> result = ParseJsonObject(JsonRequest(c.body, c.content_type));
    if (c.error) {
      ASSERT_FALSE(result.has_value()) << c.content_type << " " << c.body.substr(0, 40);
      EXPECT_EQ(result.error().code, *c.error) << c.body.substr(0, 40);
    } else {
      EXPECT_TRUE(result.has_value()) << c.content_type << " " << c.body.substr(0, 40);
    }
  }
}

TEST(ParseJsonObjectTest, MalformedNamesThePosition) {
  Result<Json> result = ParseJsonObject(JsonRequest(R"({"a": tru})"));
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message.find("byte"), std::string::npos);
}

TEST(FieldReaderTest, CollectsFieldErrors) {
  Json object = Json::parse(R"({"name":"  张三  ","blank":"   ","num":7,"big":101,
    "ok":5,"flag":true,"notflag":1,"long":"abcdef","nul":null,"huge":18446744073709551615,
    "float":1.5})");
  FieldReader reader(object);
  EXPECT_EQ(reader.RequiredString("name", 2), "张三");
  EXPECT_EQ(reader.RequiredString("blank", 10), "");
  EXPECT_EQ(reader.RequiredString("missing", 10), "");
  EXPECT_EQ(reader.RequiredString("num", 10), "");
  EXPECT_EQ(reader.OptionalString("nul", 10), std::nullopt);
  EXPECT_EQ(reader.OptionalString("long", 5), std::nullopt);
  EXPECT_EQ(reader.OptionalInt("ok", 1, 10), 5);
  EXPECT_EQ(reader.OptionalInt("big", 1, 100), std::nullopt);
  EXPECT_EQ(reader.OptionalInt("huge", 1, 100), std::nullopt);
  EXPECT_EQ(reader.OptionalInt("float", 1, 100), std::nullopt);
  EXPECT_EQ(reader.RequiredInt("absent", 1, 2), 0);
  EXPECT_EQ(reader.OptionalBool("flag"), true);
  EXPECT_EQ(reader.OptionalBool("notflag"), std::nullopt);
  EXPECT_FALSE(reader.ok());
  std::vector<std::string> fields;
  for (const FieldError& error : reader.errors()) fields.push_back(error.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"blank", "missing", "num", "long", "big", "huge",
                                              "float", "absent", "notflag"}));
  Error error = reader.ToError();
  EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(MapErrorCode(error.code), 422);
}

TEST(ParsePageTest, Cases) {
  struct Case {
    std::string query;
    int64_t page;  // 0: error
    int64_t page_size;
    std::vector<std::string> bad_fields;
  };
  const Case cases[] = {
      {"", 1, 20, {}},
      {"page=3&page_size=100", 3, 100, {}},
      {"page=1&page_size=1", 1, 1, {}},
      {"page=0", 0, 0, {"page"}},
      {"page=-1", 0, 0, {"page"}},
      {"page=abc", 0, 0, {"page"}},
      {"page=2x", 0, 0, {"page"}},
      {"page=", 0, 0, {"page"}},
      {"page=99999999999999999999", 0, 0, {"page"}},
      {"page_size=101", 0, 0, {"page_size"}},
      {"page_size=0", 0, 0, {"page_size"}},
      {"page=0&page_size=0", 0, 0, {"page", "page_size"}},
  };
  for (const Case& c : cases) {
    Request request;
    request.query = c.query;
    Result<PageRequest> page = ParsePage(request);
    if (c.bad_fields.empty()) {
      ASSERT_TRUE(page.has_value()) << c.query;
      EXPECT_EQ(page->page, c.page);
      EXPECT_EQ(page->page_size, c.page_size);
    } else {
      ASSERT_FALSE(page.has_value()) << c.query;
      EXPECT_EQ(page.error().code, ErrorCode::kInvalidArgument);
      std::vector<std::string> fields;
      for (const FieldError& error : page.error().fields) fields.push_back(error.field);
      EXPECT_EQ(fields, c.bad_fields) << c.query;
    }
  }
}

TEST(PageJsonTest, Shape) {
  Json page = PageJson(Json::array({1, 2}), 42, PageRequest{2, 2});
  EXPECT_EQ(page.dump(), R"({"items":[1,2],"page":2,"page_size":2,"total":42})");
  EXPECT_EQ(PageRequest({3, 20}).Offset(), 40);
}

TEST(ProblemTest, MapsEveryCode) {
  struct Case {
    ErrorCode code;
    int status;
  };
  const Case cases[] = {
      {ErrorCode::kInvalidArgument, 422},  {ErrorCode::kMalformed, 400},
      {ErrorCode::kUnsupportedMedia, 415}, {ErrorCode::kTooLarge, 413},
      {ErrorCode::kNotFound, 404},         {ErrorCode::kConflict, 409},
      {ErrorCode::kStaleVersion, 412},     {ErrorCode::kPermissionDenied, 403},
      {ErrorCode::kUnauthenticated, 401},  {ErrorCode::kTooManyRequests, 429},
      {ErrorCode::kUnavailable, 503},      {ErrorCode::kInternal, 500},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(MapErrorCode(c.code), c.status);
    Response response = Problem(Error{c.code, "detail text", {}});
    EXPECT_EQ(response.status, c.status);
    EXPECT_EQ(response.Header("Content-Type"), "application/problem+json");
    Json body = Json::parse(response.body);
    EXPECT_EQ(body["status"], c.status);
    EXPECT_TRUE(body["type"] == "about:blank" ||
                body["type"].get<std::string>().starts_with("urn:lianxin:problem:"));
    EXPECT_FALSE(body["title"].get<std::string>().empty());
    EXPECT_FALSE(body.contains("errors"));
  }
}

TEST(ProblemTest, ValidationCarriesErrorsAndInternalHidesDetail) {
  Response response = Problem(Error{ErrorCode::kInvalidArgument,
                                    "Some fields are invalid.",
                                    {{"name", "is required"}, {"unit_id", "must be an integer"}}});
  Json body = Json::parse(response.body);
  EXPECT_EQ(body["status"], 422);
  ASSERT_EQ(body["errors"].size(), 2u);
  EXPECT_EQ(body["errors"][0]["field"], "name");
  EXPECT_EQ(body["errors"][1]["message"], "must be an integer");
  Response internal = Problem(Error{ErrorCode::kInternal, "SQLITE_CORRUPT at /var/db", {}});
  EXPECT_EQ(internal.body.find("SQLITE"), std::string::npos);
  EXPECT_EQ(Json::parse(internal.body)["detail"], "An internal error occurred.");
  Response direct = Problem(429, "", "Slow down.");
  EXPECT_EQ(Json::parse(direct.body)["title"], "Too Many Requests");
}

}  // namespace
}  // namespace lianxin::http
