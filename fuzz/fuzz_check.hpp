#pragma once
// What a fuzz target asserts: a broken property stops the run at once, with the property's
// text, so libFuzzer keeps the input that broke it and the corpus replay fails loudly.

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                               \
  do {                                                                                      \
    if (!(condition)) {                                                                     \
      std::fprintf(stderr, "%s:%d: property broken: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                         \
    }                                                                                       \
  } while (false)
