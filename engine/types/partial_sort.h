// The order Redis gives to equal elements when it sorts only part of a result.
//
// SORT ... BY pattern LIMIT and GEOSEARCH/GEORADIUS with COUNT do not sort everything:
// Redis runs a partial quicksort in the style of Bentley and McIlroy ("Engineering a Sort
// Function", 1993) that leaves alone the parts of the array outside the requested window.
// Elements that compare equal (two members at the same distance, two SORT elements whose
// BY values are equal) then come out in an order that depends on the exact partitioning
// steps. To reproduce that order this file performs the same steps, checked against
// redis-server 7.0.15 on thousands of random inputs:
//   - fewer than 7 elements: insertion sort;
//   - otherwise the pivot is the middle element, or for more than 7 elements the median of
//     the first, middle and last (for more than 40, each of those three is itself a median
//     of three elements n/8 apart);
//   - the pivot goes to the front, the rest is split in one pass into "< pivot" and
//     "> pivot", moving elements equal to the pivot to both ends, which are then swapped
//     into the middle;
//   - the "<" part is sorted (recursively) and the ">" part (by looping) only when it
//     overlaps the window [first, last].
// The full sorts Redis does elsewhere are stable (glibc's merge sort): std::stable_sort.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace redpad {

namespace partial_sort_detail {

// cmp(a, b) returns <0, 0 or >0, like a C comparison function.
template <class T, class Compare>
size_t median_of_three(const std::vector<T>& v, size_t a, size_t b, size_t c, Compare& cmp) {
  if (cmp(v[a], v[b]) < 0) {
    if (cmp(v[b], v[c]) < 0) return b;
    return cmp(v[a], v[c]) < 0 ? c : a;
  }
  if (cmp(v[b], v[c]) > 0) return b;
  return cmp(v[a], v[c]) < 0 ? a : c;
}

template <class T, class Compare>
void insertion_sort(std::vector<T>& v, size_t lo, size_t n, Compare& cmp) {
  for (size_t m = lo + 1; m < lo + n; ++m) {
    for (size_t l = m; l > lo && cmp(v[l - 1], v[l]) > 0; --l)
      std::swap(v[l - 1], v[l]);
  }
}

// Swaps the runs [a, a + n) and [b, b + n) element by element.
template <class T>
void swap_runs(std::vector<T>& v, size_t a, size_t b, size_t n) {
  for (size_t i = 0; i < n; ++i)
    std::swap(v[a + i], v[b + i]);
}

template <class T, class Compare>
void sort_window(std::vector<T>& v, size_t lo, size_t n, Compare& cmp, size_t first, size_t last) {
  for (;;) {
    if (n < 7) {
      insertion_sort(v, lo, n, cmp);
      return;
    }
    size_t pivot = lo + n / 2;
    if (n > 7) {
      size_t left = lo;
      size_t right = lo + n - 1;
      if (n > 40) {
        const size_t d = n / 8;
        left = median_of_three(v, left, left + d, left + 2 * d, cmp);
        pivot = median_of_three(v, pivot - d, pivot, pivot + d, cmp);
        right = median_of_three(v, right - 2 * d, right - d, right, cmp);
      }
      pivot = median_of_three(v, left, pivot, right, cmp);
    }
    std::swap(v[lo], v[pivot]);
    // [lo+1, a): equal to the pivot; [a, b): smaller; (c, d]: larger; (d, end): equal.
    size_t a = lo + 1;
    size_t b = lo + 1;
    size_t c = lo + n - 1;
    size_t d = lo + n - 1;
    for (;;) {
      while (b <= c) {
        const int r = cmp(v[b], v[lo]);
        if (r > 0) break;
        if (r == 0) std::swap(v[a++], v[b]);
        ++b;
      }
      while (b <= c) {
        const int r = cmp(v[c], v[lo]);
        if (r < 0) break;
        if (r == 0) std::swap(v[c], v[d--]);
        --c;
      }
      if (b > c) break;
      std::swap(v[b++], v[c--]);
    }
    const size_t end = lo + n;
    size_t run = std::min(a - lo, b - a);
    swap_runs(v, lo, b - run, run);
    run = std::min(d - c, end - d - 1);
    swap_runs(v, b, end - run, run);

    const auto overlaps = [&](size_t from, size_t count) {
      return !(last < from || first > from + count - 1);
    };
    const size_t smaller = b - a;
    if (smaller > 1 && overlaps(lo, smaller)) sort_window(v, lo, smaller, cmp, first, last);
    const size_t larger = d - c;
    if (larger <= 1) return;
    lo = end - larger;
    n = larger;
    if (!overlaps(lo, n)) return;
  }
}

}  // namespace partial_sort_detail

// Sorts v enough that positions first..last (inclusive, first <= last < v.size()) hold
// what a full sort would put there, with ties ordered as Redis's partial sort leaves them.
// cmp(a, b) returns <0, 0 or >0.
template <class T, class Compare>
void redis_partial_sort(std::vector<T>& v, Compare cmp, size_t first, size_t last) {
  if (v.empty()) return;
  partial_sort_detail::sort_window(v, 0, v.size(), cmp, first, last);
}

}  // namespace redpad
