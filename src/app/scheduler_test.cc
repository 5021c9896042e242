#include "app/scheduler.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "storage/lease.h"
#include "storage/migrations.h"

namespace lianxin::app {
namespace {

class SchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("lianxin-scheduler-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path_);
    auto db = storage::OpenDatabase(path_.string());
    ASSERT_TRUE(db.has_value()) << db.error().message;
    database_ = std::move(*db);
    ASSERT_TRUE(storage::Migrate(*database_).has_value());
  }
  void TearDown() override {
    database_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path_.string() + suffix);
    }
  }
  std::filesystem::path path_;
  std::unique_ptr<storage::Database> database_;
  FakeClock clock_;
};

TEST_F(SchedulerTest, RunsAJobOnlyOnTheNodeHoldingItsLease) {
  int runs_a = 0, runs_b = 0;
  Scheduler a(*database_, clock_, "node-a");
  Scheduler b(*database_, clock_, "node-b");
  a.Every("job", std::chrono::seconds(60), [&] { return ++runs_a, Status{}; });
  b.Every("job", std::chrono::seconds(60), [&] { return ++runs_b, Status{}; });
  a.RunAllOnce();
  b.RunAllOnce();  // node-a's lease is still in force
  EXPECT_EQ(runs_a, 1);
  EXPECT_EQ(runs_b, 0);
  clock_.Advance(std::chrono::seconds(61));  // the lease expired: node-b takes over
  b.RunAllOnce();
  EXPECT_EQ(runs_b, 1);
}

TEST_F(SchedulerTest, AFailingJobDoesNotStopOthers) {
  int runs = 0;
  Scheduler s(*database_, clock_, "node");
  s.Every("bad", std::chrono::seconds(60),
          [] { return Status(MakeError(ErrorCode::kInternal, "boom")); });
  s.Every("good", std::chrono::seconds(60), [&] { return ++runs, Status{}; });
  s.RunAllOnce();
  EXPECT_EQ(runs, 1);
}

TEST_F(SchedulerTest, StartsAndStopsPromptly) {
  Scheduler s(*database_, clock_, "node");
  s.Every("slow", std::chrono::seconds(3600), [] { return Status{}; });
  s.Start();
  s.Stop();  // must not wait for the hour
  SUCCEED();
}

}  // namespace
}  // namespace lianxin::app
