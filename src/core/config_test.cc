#include "core/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

namespace lianxin {
namespace {

auto Env(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const char* name) -> const char* {
    auto it = values.find(name);
    return it == values.end() ? nullptr : it->second.c_str();
  };
}

std::string WriteTemp(const std::string& text) {
  auto path = std::filesystem::temp_directory_path() /
              ("lianxin-config-" + std::to_string(::getpid()) + "-" +
               std::to_string(std::hash<std::string>{}(text)) + ".toml");
  std::ofstream(path) << text;
  return path.string();
}

TEST(ConfigTest, DefaultsNeedNoFile) {
  auto config = LoadConfig(std::nullopt, Env({}));
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->port, 8080);
  EXPECT_EQ(config->database, "var/lianxin.db");
}

TEST(ConfigTest, FileThenEnvironment) {
  auto path = WriteTemp("port = 9000\ndatabase = \"x.db\"\nbehind_tls = true\n");
  auto config = LoadConfig(path, Env({{"LIANXIN_PORT", "9100"}}));
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->port, 9100);
  EXPECT_EQ(config->database, "x.db");
  EXPECT_TRUE(config->behind_tls);
  std::filesystem::remove(path);
}

TEST(ConfigTest, RejectsBadValuesWithTheirName) {
  auto bad_env = LoadConfig(std::nullopt, Env({{"LIANXIN_PORT", "eighty"}}));
  ASSERT_FALSE(bad_env.has_value());
  EXPECT_NE(bad_env.error().message.find("LIANXIN_PORT"), std::string::npos);

  auto path = WriteTemp("port = \"x\"\n");
  auto bad_type = LoadConfig(path, Env({}));
  ASSERT_FALSE(bad_type.has_value());
  EXPECT_NE(bad_type.error().message.find("port"), std::string::npos);
  std::filesystem::remove(path);

  auto unknown_path = WriteTemp("prot = 1\n");
  auto unknown = LoadConfig(unknown_path, Env({}));
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().message.find("prot"), std::string::npos);
  std::filesystem::remove(unknown_path);

  auto syntax_path = WriteTemp("port = = 1\n");
  auto syntax = LoadConfig(syntax_path, Env({}));
  ASSERT_FALSE(syntax.has_value());
  EXPECT_NE(syntax.error().message.find(":1:"), std::string::npos);
  std::filesystem::remove(syntax_path);

  EXPECT_FALSE(LoadConfig("/nonexistent/lianxin.toml", Env({})).has_value());
  EXPECT_FALSE(LoadConfig(std::nullopt, Env({{"LIANXIN_PORT", "70000"}})).has_value());
}

}  // namespace
}  // namespace lianxin
