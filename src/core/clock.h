// Time as a dependency: services ask a Clock, tests pass a FakeClock.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace lianxin {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  // The current wall-clock time.
  virtual TimePoint Now() const = 0;
  // Milliseconds since the Unix epoch: the form times are stored in.
  int64_t NowMillis() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Now().time_since_epoch()).count();
  }
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

// A clock that moves only when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t millis = 1'767'225'600'000)  // 2026-01-01T08:00:00+08:00
      : millis_(millis) {}
  TimePoint Now() const override { return TimePoint(std::chrono::milliseconds(millis_.load())); }
  void Advance(std::chrono::milliseconds by) { millis_ += by.count(); }
  void SetMillis(int64_t millis) { millis_ = millis; }

 private:
  std::atomic<int64_t> millis_;
};

}  // namespace lianxin
