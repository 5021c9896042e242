#include "app/scheduler.h"

#include <spdlog/spdlog.h>

#include "storage/lease.h"

namespace lianxin::app {

Scheduler::Scheduler(storage::Database& database, const Clock& clock, std::string holder)
    : database_(database), clock_(clock), holder_(std::move(holder)) {}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Every(std::string name, std::chrono::seconds interval,
                      std::function<Status()> job) {
  jobs_.push_back(
      {std::move(name), interval, std::move(job), std::chrono::steady_clock::now() + interval});
}

void Scheduler::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void Scheduler::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::RunAllOnce() {
  for (auto& job : jobs_) RunJob(job);
}

void Scheduler::RunJob(Job& job) {
  // The lease lasts one interval: the holder renews it at its next run, and when the holder
  // dies another node takes the job over one interval later.
  const auto ttl = std::chrono::duration_cast<std::chrono::milliseconds>(job.interval).count();
  auto held = storage::TryAcquireLease(database_, job.name, holder_, clock_.NowMillis(), ttl);
  if (!held) {
    spdlog::warn("job {}: lease failed: {}", job.name, held.error().message);
    return;
  }
  if (!*held) return;  // another node runs it
  auto status = job.run();
  if (!status) spdlog::warn("job {} failed: {}", job.name, status.error().message);
}

void Scheduler::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    auto now = std::chrono::steady_clock::now();
    auto next = now + std::chrono::hours(1);
    for (auto& job : jobs_) {
      if (job.next <= now) {
        lock.unlock();
        RunJob(job);
        lock.lock();
        job.next = std::chrono::steady_clock::now() + job.interval;
        if (stopping_) return;
      }
      next = std::min(next, job.next);
    }
    wake_.wait_until(lock, next, [this] { return stopping_; });
  }
}

}  // namespace lianxin::app
