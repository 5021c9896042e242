#include "app/data_key.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace lianxin::app {
namespace {

class DataKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("lianxin-key-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(DataKeyTest, CreatesAPrivateKeyAndReadsItBack) {
  auto path = (dir_ / "sub" / "data.key").string();
  auto first = LoadOrCreateDataKey(path);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  auto second = LoadOrCreateDataKey(path);
  ASSERT_TRUE(second.has_value());
  // The same key: what one sealed, the other opens.
  EXPECT_EQ(*second->Open(first->Seal("13800001234")), "13800001234");
}

TEST_F(DataKeyTest, RefusesAKeyReadableByOthers) {
  auto path = (dir_ / "data.key").string();
  ASSERT_TRUE(LoadOrCreateDataKey(path).has_value());
  ::chmod(path.c_str(), 0644);
  auto key = LoadOrCreateDataKey(path);
  ASSERT_FALSE(key.has_value());
  EXPECT_EQ(key.error().code, ErrorCode::kPermissionDenied);
}

TEST_F(DataKeyTest, RefusesAFileThatIsNotAKey) {
  std::filesystem::create_directories(dir_);
  auto path = (dir_ / "data.key").string();
  for (const char* content : {"", "not hex at all", "abcd", std::string(66, 'a').c_str()}) {
    std::ofstream(path, std::ios::trunc) << content;
    ::chmod(path.c_str(), 0600);
    auto key = LoadOrCreateDataKey(path);
    ASSERT_FALSE(key.has_value()) << content;
    EXPECT_EQ(key.error().code, ErrorCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace lianxin::app
