//! `trip-planner`: parses the command line and hands over to the library.

use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    return_large_blocks_to_the_system();
    let cli = trip_planner::cli::Cli::parse();
    trip_planner::logging::init(cli.settings.log_format);
    match trip_planner::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Each Argon2 hash allocates 19 MiB. After the first such block is freed,
/// glibc raises its mmap threshold above it, so later ones come from
/// per-thread arenas and stay resident after the hash: 32 log-ins left 372 MiB
/// behind although at most one hash per core ran at a time (BENCHMARKS.md,
/// "Log-in storm"). A fixed threshold keeps every block of 1 MiB or more
/// mapped on its own and returned to the system when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_large_blocks_to_the_system() {
    // SAFETY: mallopt only sets an allocator parameter (under glibc's own lock).
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_large_blocks_to_the_system() {}
