// CHECK for true invariants only (never for input validation): aborts with a message.
#pragma once

#include <cstdio>
#include <cstdlib>

#define SB_CHECK(cond)                                                              \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (0)
