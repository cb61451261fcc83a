// How many bytes the engine's heap holds right now: what INFO's used_memory reports and what
// maxmemory is judged against. Like Redis's own count (its allocator wrapper), it covers
// the whole process, every server in it included, and it goes down when memory is freed.
#pragma once

#include <cstddef>

namespace redpad {

// Bytes allocated through operator new and not yet freed, as the allocator sized them.
std::size_t heap_bytes_in_use();

}  // namespace redpad
