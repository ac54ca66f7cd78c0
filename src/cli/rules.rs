//! `iisconf rules [ID|NAME]`: the lint rules, or one rule explained with an example.

use super::{EXIT_OK, EXIT_USAGE};
use iisconf::diagnostic::{FixAvailability, Rule};

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

/// One rule explained: id, name, default severity, whether it is on by default, the
/// summary, whether its findings carry a fix, and the explanation.
pub fn explain(rule: Rule) -> String {
    let off = if rule.enabled_by_default() {
        String::new()
    } else {
        format!("; off unless selected, e.g. --select {}", rule.id())
    };
    format!(
        "{} {} ({} by default{off})\n\n{}\n\nFix: {}\n\n{}\n",
        rule.id(),
        rule.name(),
        rule.default_severity().as_str(),
        rule.summary(),
        fix_text(rule.fix_availability()),
        rule.explanation()
    )
}

/// What `iisconf rules ID` says about a rule's fix.
fn fix_text(fix: FixAvailability) -> &'static str {
    match fix {
        FixAvailability::None => "none; the finding's help says what to change.",
        FixAvailability::Safe => {
            "yes, where the change keeps the configuration's meaning: `iisconf lint --fix` applies it (`--fix --dry-run` shows the diff)."
        }
        FixAvailability::Unsafe => {
            "yes, but it changes what the configuration means: `iisconf lint --fix --unsafe-fixes` applies it and lists each one."
        }
    }
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
