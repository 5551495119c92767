//! How the binary gets its memory: mimalloc, called the way that takes
//! mimalloc's fast paths, and the process settings that go with it.
//!
//! glibc's malloc was a sixth of a run's time (records allocate many small
//! strings and vectors and free them at once); mimalloc's thread-local free
//! lists halve that.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The alignment every mimalloc block of at least this size has: blocks are
/// 8-aligned, and those of 16 bytes or more 16-aligned (mimalloc's
/// `MI_MAX_ALIGN_SIZE`, asserted in its `alloc.c`). The same rule as the
/// standard library's `System` allocator uses for malloc.
const PLAIN_ALIGN: usize = 16;

/// mimalloc as the global allocator.
///
/// The `mimalloc` crate's allocator passes every request to
/// `mi_malloc_aligned`, even at alignment 1. mimalloc 3 serves that from a
/// free list only for blocks up to 1 KiB; a larger request whose size is
/// not a power of two is over-allocated and its pointer moved to an
/// aligned place inside the block, which also makes its `free` look the
/// block up. Records allocate many strings of a few KiB. A request whose
/// alignment any block of its size already has goes to `mi_malloc`
/// instead, as `System` does with glibc: callgrind counted 1.7% fewer
/// instructions on 5,000 records (11.95 to 11.75 billion), most of it the
/// over-allocation path.
pub struct MiMalloc;

fn plain(layout: &Layout) -> bool {
    layout.align() <= PLAIN_ALIGN && layout.align() <= layout.size()
}

// SAFETY: every path returns a block of at least `layout.size()` bytes at
// `layout.align()` (mi_malloc by the rule above, the aligned calls by
// their contract) or null, and every block is freed by mi_free, which
// takes any of them.
unsafe impl GlobalAlloc for MiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if plain(&layout) {
            unsafe { mi::mi_malloc(layout.size()) as *mut u8 }
        } else {
            unsafe { mi::mi_malloc_aligned(layout.size(), layout.align()) as *mut u8 }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if plain(&layout) {
            unsafe { mi::mi_zalloc(layout.size()) as *mut u8 }
        } else {
            unsafe { mi::mi_zalloc_aligned(layout.size(), layout.align()) as *mut u8 }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        unsafe { mi::mi_free(ptr as *mut c_void) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // The new block must have the alignment for the new size too.
        if layout.align() <= PLAIN_ALIGN && layout.align() <= new_size {
            unsafe { mi::mi_realloc(ptr as *mut c_void, new_size) as *mut u8 }
        } else {
            unsafe {
                mi::mi_realloc_aligned(ptr as *mut c_void, new_size, layout.align()) as *mut u8
            }
        }
    }
}

/// Keep freed memory for reuse instead of handing it back to the system
/// 10 ms later (mimalloc's default). Every input's buffer is freed and the
/// next one allocated; handing the pages back made the kernel fault them in
/// again, file after file: system time fell from 1.05-1.93 s to 0.82 s on
/// 20,000 files. Memory stays bounded by what the run holds at once.
pub fn keep_freed_memory() {
    extern "C" {
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    // `mi_option_purge_delay` in mimalloc.h (v2 and v3); -1: never purge
    const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;
    // SAFETY: a plain setter of mimalloc's, callable at any time.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

/// Back the heap with ordinary 4 KiB pages, not transparent huge pages.
/// Where THP is `always`, every first touch of a 2 MiB region made the
/// kernel clear all of it; the run touches far less than it was made to
/// clear (task-clock 5-8% lower on 20,000 files with it off, 26,000 small
/// page faults instead of 430 huge ones).
#[cfg(target_os = "linux")]
pub fn small_pages() {
    extern "C" {
        fn prctl(
            option: std::ffi::c_int,
            arg2: std::ffi::c_ulong,
            arg3: std::ffi::c_ulong,
            arg4: std::ffi::c_ulong,
            arg5: std::ffi::c_ulong,
        ) -> std::ffi::c_int;
    }
    const PR_SET_THP_DISABLE: std::ffi::c_int = 41;
    // SAFETY: prctl with integer arguments (the unused ones must be 0); it
    // only sets a flag of this process (an error, on a kernel without THP,
    // changes nothing).
    unsafe {
        prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
pub fn small_pages() {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every size and alignment a program asks for comes back aligned and
    /// writable, and grows and shrinks with its contents kept.
    #[test]
    fn blocks_are_aligned_and_keep_contents_through_realloc() {
        let a = MiMalloc;
        for align in [1usize, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [
                1usize, 3, 7, 8, 12, 15, 16, 17, 24, 100, 1000, 1025, 3000, 5000, 70_000,
            ] {
                let layout = Layout::from_size_align(size, align).unwrap();
                unsafe {
                    for zeroed in [false, true] {
                        let mut p = if zeroed {
                            a.alloc_zeroed(layout)
                        } else {
                            a.alloc(layout)
                        };
                        assert!(!p.is_null());
                        assert_eq!(p as usize % align, 0, "size {size} align {align}");
                        if zeroed {
                            assert!((0..size).all(|i| *p.add(i) == 0));
                        }
                        for i in 0..size {
                            *p.add(i) = i as u8;
                        }
                        for new_size in [1usize, 9, size * 2 + 1] {
                            let q = a.realloc(p, layout, new_size);
                            assert!(!q.is_null());
                            assert_eq!(
                                q as usize % align,
                                0,
                                "realloc {size} -> {new_size} align {align}"
                            );
                            assert!((0..size.min(new_size)).all(|i| *q.add(i) == i as u8));
                            // Back to the original size for the next step.
                            p = a.realloc(
                                q,
                                Layout::from_size_align(new_size, align).unwrap(),
                                size,
                            );
                            assert_eq!(p as usize % align, 0);
                            for i in 0..size {
                                *p.add(i) = i as u8;
                            }
                        }
                        a.dealloc(p, layout);
                    }
                }
            }
        }
    }
}
