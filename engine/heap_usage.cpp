// Replaces the global operator new and delete with versions that count what they hand out
// (the allocator's usable size, so the count matches what the allocator really holds).
// Linking the engine links this file, because server.cpp calls heap_bytes_in_use().
//
// The engine is single-threaded (one server per WebAssembly worker, one per CLI process),
// so the counter is a plain integer: an atomic one would tax every allocation.
#include "heap_usage.h"

#include <malloc.h>

#include <cstdlib>
#include <new>

namespace {

std::size_t bytes_in_use = 0;

void* allocate(std::size_t size) {
  void* pointer = std::malloc(size == 0 ? 1 : size);
  if (pointer) bytes_in_use += malloc_usable_size(pointer);
  return pointer;
}

void* allocate_aligned(std::size_t size, std::align_val_t alignment) {
  const auto align = static_cast<std::size_t>(alignment);
  // aligned_alloc wants a size that is a multiple of the alignment.
  const std::size_t rounded = (size + align - 1) / align * align;
  void* pointer = std::aligned_alloc(align, rounded == 0 ? align : rounded);
  if (pointer) bytes_in_use += malloc_usable_size(pointer);
  return pointer;
}

void release(void* pointer) noexcept {
  if (!pointer) return;
  bytes_in_use -= malloc_usable_size(pointer);
  std::free(pointer);
}

}  // namespace

namespace redpad {

std::size_t heap_bytes_in_use() {
  return bytes_in_use;
}

}  // namespace redpad

void* operator new(std::size_t size) {
  if (void* pointer = allocate(size)) return pointer;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  if (void* pointer = allocate(size)) return pointer;
  throw std::bad_alloc();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return allocate(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return allocate(size);
}
void* operator new(std::size_t size, std::align_val_t alignment) {
  if (void* pointer = allocate_aligned(size, alignment)) return pointer;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size, std::align_val_t alignment) {
  if (void* pointer = allocate_aligned(size, alignment)) return pointer;
  throw std::bad_alloc();
}

void operator delete(void* pointer) noexcept {
  release(pointer);
}
void operator delete[](void* pointer) noexcept {
  release(pointer);
}
void operator delete(void* pointer, std::size_t) noexcept {
  release(pointer);
}
void operator delete[](void* pointer, std::size_t) noexcept {
  release(pointer);
}
void operator delete(void* pointer, const std::nothrow_t&) noexcept {
  release(pointer);
}
void operator delete[](void* pointer, const std::nothrow_t&) noexcept {
  release(pointer);
}
void operator delete(void* pointer, std::align_val_t) noexcept {
  release(pointer);
}
void operator delete[](void* pointer, std::align_val_t) noexcept {
  release(pointer);
}
void operator delete(void* pointer, std::size_t, std::align_val_t) noexcept {
  release(pointer);
}
void operator delete[](void* pointer, std::size_t, std::align_val_t) noexcept {
  release(pointer);
}
