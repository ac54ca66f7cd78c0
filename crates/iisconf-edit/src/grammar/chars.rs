//! The check that an argument holds only characters XML 1.0 can hold: a value with a
//! control character (other than tab, LF, CR) or U+FFFE/U+FFFF has no XML form at all, not
//! even a character reference, so it is refused before anything is planned or written.

/// An argument holding a character XML cannot hold; `position` is its character offset.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{what} `{}` holds U+{:04X} at character {position}, which XML cannot hold in any form (not even as a character reference); nothing was written", .text.escape_debug(), u32::from(*.character))]
pub struct InvalidCharacter {
    /// What the argument is (`the value of max`, `the config path`, `the argument`).
    pub what: String,
    /// The argument as given.
    pub text: String,
    /// The character.
    pub character: char,
    /// Its character offset in the argument (0-based).
    pub position: usize,
}

/// Refuses `text` when it holds a character XML cannot hold; `what` names the argument in
/// the error.
pub fn check_xml_chars(what: &str, text: &str) -> Result<(), InvalidCharacter> {
    match text
        .chars()
        .enumerate()
        .find(|(_, c)| iisconf_xml::escape::find_non_xml_char(c.encode_utf8(&mut [0; 4])).is_some())
    {
        None => Ok(()),
        Some((position, character)) => Err(InvalidCharacter {
            what: what.to_string(),
            text: text.to_string(),
            character,
            position,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_character_and_its_position() {
        assert!(check_xml_chars("the argument", "a\tb\r\nΩ漢e\u{301}").is_ok());
        let e = check_xml_chars("the argument", "éa\u{1}b").err();
        assert_eq!(
            e.as_ref().map(|e| (e.character, e.position)),
            Some(('\u{1}', 2))
        );
        assert_eq!(
            e.map(|e| e.to_string()),
            Some("the argument `éa\\u{1}b` holds U+0001 at character 2, which XML cannot hold in any form (not even as a character reference); nothing was written".to_string())
        );
        assert!(check_xml_chars("the argument", "\u{FFFE}").is_err());
    }
}
