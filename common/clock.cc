#include "common/clock.h"

namespace sb {

const Clock& SystemClock::Get() {
  static const SystemClock kClock;
  return kClock;
}

}  // namespace sb
