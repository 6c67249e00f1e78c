// PeriodicThread: runs a pass on a background thread now and then every `interval` until
// stopped; Stop() wakes it from its wait and joins it. The background workers (audit
// shipping, lifecycle) share it. Start and Stop from one owning thread.
#pragma once

#include <functional>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace sb::server {

class PeriodicThread {
 public:
  PeriodicThread() = default;
  ~PeriodicThread() { Stop(); }
  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;

  void Start(absl::Duration interval, std::function<void()> pass) {
    thread_ = std::thread([this, interval, pass = std::move(pass)] {
      absl::MutexLock lock(&mu_);
      while (!stop_) {
        mu_.Unlock();
        pass();
        mu_.Lock();
        mu_.AwaitWithTimeout(absl::Condition(&stop_), interval);
      }
    });
  }

  void Stop() {
    {
      absl::MutexLock lock(&mu_);
      stop_ = true;
    }
    if (thread_.joinable()) thread_.join();
  }

  // For a long pass to give up early once Stop() was called.
  bool stopping() {
    absl::MutexLock lock(&mu_);
    return stop_;
  }

 private:
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace sb::server
