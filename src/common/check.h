#pragma once

#include <cstdio>
#include <cstdlib>

// A broken invariant is a bug, not an error: crash loudly with where it happened.
#define SF_CHECK(cond)                                                                \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      std::fprintf(stderr, "CHECK failed: %s at %s:%d\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                   \
    }                                                                                 \
  } while (0)
