//! The server's use of the C allocator: bounded arenas and freed memory handed back to the OS.
//!
//! glibc's malloc, left to its defaults, keeps what a long-running server frees: up to eight
//! arenas per core, and a mmap threshold that rises to 32 MiB after the first large free, after
//! which the index writers' 1 MiB arena pages land on heaps that rarely shrink. Under the soak
//! (`bench/load/soak.sh`) that showed as +27 % RSS in ten minutes without any leak. The server
//! therefore fixes the threshold, caps the arenas at one per core and trims after every write.
//! (The steady growth left after that was tantivy's cache of memory maps, which kept an entry
//! for every file ever opened: `QalamIndex::reload` prunes it.)
//! A `GLIBC_TUNABLES` with malloc settings in the environment takes precedence.

/// Caps malloc arenas and fixes the mmap threshold, unless the environment tunes malloc itself.
pub(crate) fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let tuned = std::env::var("GLIBC_TUNABLES").is_ok_and(|t| t.contains("malloc"));
        if !tuned {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            let arenas = libc::c_int::try_from(cores.max(2)).unwrap_or(libc::c_int::MAX);
            // SAFETY: mallopt only changes allocator parameters; any value is accepted or refused.
            unsafe {
                libc::mallopt(libc::M_ARENA_MAX, arenas);
                libc::mallopt(libc::M_MMAP_THRESHOLD, 128 << 10);
                libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 20);
            }
        }
    }
}

/// Hands memory freed by a finished write (upload, delete) back to the OS.
pub(crate) fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free pages of the allocator's own arenas.
    unsafe {
        libc::malloc_trim(0);
    }
}
