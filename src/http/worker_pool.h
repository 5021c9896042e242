// A bounded pool of threads for request handlers that may block (storage).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace lianxin::http {

class WorkerPool {
 public:
  using Task = std::move_only_function<void()>;

  // Starts `threads` workers (at least one) that accept at most `queue_limit` waiting tasks.
  WorkerPool(int threads, size_t queue_limit);
  // Runs the tasks already queued, then joins the workers.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; false (and `task` untouched) when the queue is full or the pool stopped.
  bool TrySubmit(Task& task);
  // Stops accepting tasks, finishes the queued ones and joins the workers. Idempotent.
  void Shutdown();

  size_t QueueDepth() const;
  size_t Busy() const;

 private:
  void Run();

  const size_t queue_limit_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Task> queue_;
  size_t busy_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace lianxin::http
