//! `iisconf rules [ID|NAME]`: the lint rules, or one rule explained with an example.

use super::{EXIT_OK, EXIT_USAGE};
use iisconf::diagnostic::Rule;

/// Arguments of `iisconf rules`.
#[derive(clap::Args)]
pub struct RulesArgs {
    /// A rule id (IIS2001) or name (section-locked) to explain; without it, every rule is listed.
    #[arg(value_name = "ID|NAME")]
    rule: Option<String>,
}

/// The table of every rule: id, name, default severity, summary.
pub fn list() -> String {
    let width = Rule::ALL.iter().map(|r| r.name().len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in Rule::ALL {
        out.push_str(&format!(
            "{}  {:<width$}  {:<7}  {}\n",
            r.id(),
            r.name(),
            r.default_severity().as_str(),
            r.summary()
        ));
    }
    out
}

/// One rule explained.
pub fn explain(rule: Rule) -> String {
    format!(
        "{} {} ({} by default)\n\n{}\n\n{}\n",
        rule.id(),
        rule.name(),
        rule.default_severity().as_str(),
        rule.summary(),
        rule.explanation()
    )
}

/// Runs `iisconf rules`.
pub fn run(args: RulesArgs) -> u8 {
    match args.rule {
        None => {
            print!("{}", list());
            EXIT_OK
        }
        Some(text) => {
            match Rule::find(&text) {
                Some(rule) => {
                    print!("{}", explain(rule));
                    EXIT_OK
                }
                None => {
                    eprintln!("error: no rule `{text}`\n  help: `iisconf rules` lists every rule id and name");
                    EXIT_USAGE
                }
            }
        }
    }
}
