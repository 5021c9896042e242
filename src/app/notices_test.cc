#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "app/app.h"
#include "channels/outbox/message_sender.h"
#include "storage/migrations.h"

namespace lianxin::app {
namespace {

class ReplyNoticeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("lianxin-notice-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path_);
    auto db = storage::OpenDatabase(path_.string());
    ASSERT_TRUE(db.has_value()) << db.error().message;
    database_ = std::move(*db);
    ASSERT_TRUE(storage::Migrate(*database_).has_value());
    protector_.emplace(*DataProtector::Create(std::string(32, 'k')));
    outbox_.emplace(*database_, *protector_, clock_, sender_);
  }
  void TearDown() override {
    outbox_.reset();
    database_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path_.string() + suffix);
    }
  }
  std::vector<outbox::Entry> Queue(const appeals::AppealService::ReplyNotice& notice) {
    auto queued = database_->Write<void>(
        [&](storage::Session& s) { return QueueReplyNotice(*outbox_, s, notice); });
    EXPECT_TRUE(queued.has_value()) << (queued ? "" : queued.error().message);
    outbox::ListFilter filter;
    filter.appeal_id = notice.id;
    auto page = outbox_->List(filter);
    EXPECT_TRUE(page.has_value());
    return page ? page->items : std::vector<outbox::Entry>{};
  }

  std::filesystem::path path_;
  std::unique_ptr<storage::Database> database_;
  std::optional<DataProtector> protector_;
  FakeClock clock_;
  outbox::RecordingSender sender_;
  std::optional<outbox::Outbox> outbox_;
};

TEST_F(ReplyNoticeTest, WechatAppealsAreAnsweredOverWechat) {
  auto entries = Queue({.id = 1,
                        .tracking_number = "YJ20261128000001",
                        .channel = appeals::Channel::kWechat,
                        .channel_ref = "oOpenId0123456789",
                        .phone = "13800001234",
                        .reply_text = "已处理"});
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].channel, outbox::Channel::kWechatCs);
  EXPECT_EQ(entries[0].recipient_masked.find("0123456"), std::string::npos);
}

TEST_F(ReplyNoticeTest, OthersGetAnSmsOnlyWithAMobileNumber) {
  auto sms = Queue({.id = 2,
                    .tracking_number = "YJ20261128000002",
                    .channel = appeals::Channel::kWeb,
                    .phone = "13800001234",
                    .reply_text = std::string(400, 'x')});
  ASSERT_EQ(sms.size(), 1u);
  EXPECT_EQ(sms[0].channel, outbox::Channel::kSms);
  EXPECT_EQ(sms[0].recipient_masked, "138****1234");
  EXPECT_TRUE(Queue({.id = 3, .channel = appeals::Channel::kWeb, .phone = ""}).empty());
  EXPECT_TRUE(
      Queue({.id = 4, .channel = appeals::Channel::kHotline, .phone = "023-63961234"}).empty());
  EXPECT_TRUE(Queue({.id = 5, .channel = appeals::Channel::kWeb, .phone = "***"}).empty());
}

}  // namespace
}  // namespace lianxin::app
