// Periodic work in-process. Each run of a job first takes its lease row in the database, so
// that when several nodes share one PostgreSQL, one node runs each job.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"

namespace lianxin::app {

class Scheduler {
 public:
  // `holder` names this node in the lease table (host and process id).
  Scheduler(storage::Database& database, const Clock& clock, std::string holder);
  ~Scheduler();

  // Runs `job` every `interval`, first after one interval. Call before Start().
  void Every(std::string name, std::chrono::seconds interval, std::function<Status()> job);
  void Start();
  // Stops the thread; a job that is running finishes first.
  void Stop();
  // Runs every job once now, on the caller's thread, taking leases as usual. For tests.
  void RunAllOnce();

 private:
  struct Job {
    std::string name;
    std::chrono::seconds interval;
    std::function<Status()> run;
    std::chrono::steady_clock::time_point next;
  };
  void Loop();
  void RunJob(Job& job);

  storage::Database& database_;
  const Clock& clock_;
  std::string holder_;
  std::vector<Job> jobs_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace lianxin::app
