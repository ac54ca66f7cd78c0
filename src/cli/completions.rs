//! `iisconf completions SHELL` and `iisconf man`: shell completions and a man page, made
//! from the same command-line definition the tool parses with, so they never drift from it.

use super::{EXIT_OK, EXIT_USAGE};
use std::io::Write;

/// Arguments of `iisconf completions`.
#[derive(clap::Args)]
#[command(
    after_help = "Install, for example:\n  iisconf completions bash > ~/.local/share/bash-completion/completions/iisconf\n  iisconf completions zsh > ~/.zfunc/_iisconf\n  iisconf completions fish > ~/.config/fish/completions/iisconf.fish\n  iisconf completions powershell >> $PROFILE"
)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// Arguments of `iisconf man`.
#[derive(clap::Args)]
#[command(
    after_help = "Install, for example:\n  iisconf man > /usr/local/share/man/man1/iisconf.1"
)]
pub struct ManArgs {}

/// Prints the completion script for the chosen shell.
pub fn run_completions(args: CompletionsArgs, mut command: clap::Command) -> u8 {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "iisconf", &mut out);
    print_all(&out)
}

/// Prints the man page (roff): the command, its options and each subcommand's.
pub fn run_man(_args: ManArgs, command: clap::Command) -> u8 {
    let mut out = Vec::new();
    let page = clap_mangen::Man::new(command.clone());
    if let Err(e) = page.render(&mut out) {
        eprintln!("error: cannot make the man page: {e}");
        return EXIT_USAGE;
    }
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_name().to_string();
        out.extend_from_slice(format!(".SH \"IISCONF {}\"\n", name.to_uppercase()).as_bytes());
        let sub = sub.clone().bin_name(format!("iisconf {name}"));
        let section = clap_mangen::Man::new(sub);
        let mut part = Vec::new();
        let rendered = section
            .render_synopsis_section(&mut part)
            .and_then(|()| section.render_description_section(&mut part))
            .and_then(|()| section.render_options_section(&mut part));
        if let Err(e) = rendered {
            eprintln!("error: cannot make the man page: {e}");
            return EXIT_USAGE;
        }
        // A subcommand's parts are subsections of its section.
        let part = String::from_utf8_lossy(&part).replace("\n.SH ", "\n.SS ");
        let part = part
            .strip_prefix(".SH ")
            .map_or(part.clone(), |rest| format!(".SS {rest}"));
        out.extend_from_slice(part.as_bytes());
    }
    print_all(&out)
}

fn print_all(bytes: &[u8]) -> u8 {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("error: cannot write to stdout: {e}");
            EXIT_USAGE
        }
    }
}
