//! The `dangxiao` binary.

use clap::Parser;

/// Requests and heartbeat batches allocate on many threads at once; under
/// load glibc's allocator spends a large share of the server's CPU on
/// that, mimalloc far less.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = dangxiao_server::cli::Cli::parse();
    match dangxiao_server::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
