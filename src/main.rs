//! The `wikistamp` binary: see `crates/wikistamp-cli`.

fn main() -> std::process::ExitCode {
    wikistamp_cli::main()
}
