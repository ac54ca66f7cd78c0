//! Byte-level encodings of configuration files: UTF-8 with or without a byte-order mark, and
//! UTF-16 (little or big endian) with a byte-order mark, as IIS reads them.

use super::ParseError;

/// How a document's bytes were encoded; printing re-encodes the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum TextEncoding {
    /// UTF-8, with or without the `EF BB BF` byte-order mark.
    Utf8 {
        /// Whether the file starts with a byte-order mark.
        bom: bool,
    },
    /// UTF-16 little endian, with the `FF FE` byte-order mark.
    Utf16Le,
    /// UTF-16 big endian, with the `FE FF` byte-order mark.
    Utf16Be,
}

impl TextEncoding {
    /// A short human name: `UTF-8`, `UTF-8 with BOM`, `UTF-16LE`, `UTF-16BE`.
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 { bom: false } => "UTF-8",
            TextEncoding::Utf8 { bom: true } => "UTF-8 with BOM",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
        }
    }

    /// Encodes `text` (which excludes any byte-order mark) back into bytes of this encoding.
    pub fn encode(self, text: &str) -> Vec<u8> {
        match self {
            TextEncoding::Utf8 { bom } => {
                let mut out = Vec::with_capacity(text.len() + 3);
                if bom {
                    out.extend_from_slice(b"\xEF\xBB\xBF");
                }
                out.extend_from_slice(text.as_bytes());
                out
            }
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
                let little = self == TextEncoding::Utf16Le;
                let mut out = Vec::with_capacity(text.len() * 2 + 2);
                out.extend_from_slice(if little { b"\xFF\xFE" } else { b"\xFE\xFF" });
                for unit in text.encode_utf16() {
                    let bytes = if little {
                        unit.to_le_bytes()
                    } else {
                        unit.to_be_bytes()
                    };
                    out.extend_from_slice(&bytes);
                }
                out
            }
        }
    }
}

/// Decodes file bytes into text without the byte-order mark, reporting the encoding found.
///
/// Invalid UTF-8 or UTF-16 is an error at the line and column of the first bad sequence.
pub fn decode(bytes: &[u8]) -> Result<(String, TextEncoding), ParseError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8(rest).map(|t| (t, TextEncoding::Utf8 { bom: true }));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode_utf16(rest, true).map(|t| (t, TextEncoding::Utf16Le));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode_utf16(rest, false).map(|t| (t, TextEncoding::Utf16Be));
    }
    reject_utf16_without_bom(bytes)?;
    decode_utf8(bytes).map(|t| (t, TextEncoding::Utf8 { bom: false }))
}

/// Like [`decode`], but takes the bytes: UTF-8 becomes a `String` in place (no copy, the
/// byte-order mark kept at the front). Returns the text, the length of the byte-order mark to
/// skip, and the encoding.
pub fn decode_vec(bytes: Vec<u8>) -> Result<(String, usize, TextEncoding), ParseError> {
    let Some(bom) = utf8_bom(&bytes) else {
        return decode(&bytes).map(|(text, encoding)| (text, 0, encoding));
    };
    match utf8_string(bytes) {
        Ok(text) if bom => Ok((text, 3, TextEncoding::Utf8 { bom: true })),
        Ok(text) => {
            reject_utf16_without_bom(text.as_bytes())?;
            Ok((text, 0, TextEncoding::Utf8 { bom: false }))
        }
        // The error path re-validates for the position of the first bad byte.
        Err(e) => decode(e.as_bytes()).map(|(text, encoding)| (text, 0, encoding)),
    }
}

/// From which length a text's UTF-8 is checked in two halves at once (see [`utf8_string`]).
const CHECK_IN_HALVES_FROM: usize = 8 << 20;

/// `bytes` as a string, as [`String::from_utf8`] gives them. The two halves of a large text
/// are checked at once, each on a thread of the pool: one core takes about 10 ms for 100 MB,
/// while the other has nothing to do until the text is known.
fn utf8_string(bytes: Vec<u8>) -> Result<String, std::string::FromUtf8Error> {
    utf8_string_in_halves_from(bytes, CHECK_IN_HALVES_FROM)
}

/// [`utf8_string`], checking texts of `from` bytes or more in two halves.
#[allow(unsafe_code)]
fn utf8_string_in_halves_from(
    bytes: Vec<u8>,
    from: usize,
) -> Result<String, std::string::FromUtf8Error> {
    if bytes.len() >= from.max(2) {
        // The halves meet where a character starts, not on one of its continuation bytes.
        let is_continuation = |at: usize| bytes.get(at).is_some_and(|b| b & 0xC0 == 0x80);
        let mut mid = bytes.len() / 2;
        let lowest = mid.saturating_sub(3);
        while mid > lowest && is_continuation(mid) {
            mid -= 1;
        }
        let (first, second) = bytes.split_at(mid);
        let (first_ok, second_ok) = crate::parallel::join(
            || std::str::from_utf8(first).is_ok(),
            || std::str::from_utf8(second).is_ok(),
        );
        if first_ok && second_ok {
            // SAFETY: `bytes` is `first` followed by `second`, and each is valid UTF-8: a
            // sequence of whole UTF-8 characters followed by another is valid UTF-8.
            return Ok(unsafe { String::from_utf8_unchecked(bytes) });
        }
    }
    // Not UTF-8 (or small): the whole check finds the error.
    String::from_utf8(bytes)
}

/// For bytes to be read as UTF-8: whether they start with a UTF-8 byte-order mark; `None`
/// when a UTF-16 byte-order mark says they are UTF-16.
pub fn utf8_bom(bytes: &[u8]) -> Option<bool> {
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    (bom || !utf16).then_some(bom)
}

/// UTF-16 needs a byte-order mark: `<` followed by a zero byte means it is missing.
pub fn reject_utf16_without_bom(bytes: &[u8]) -> Result<(), ParseError> {
    if bytes.len() >= 4 && bytes[0] == b'<' && bytes[1] == 0 && bytes[2] != 0 && bytes[3] == 0 {
        return Err(ParseError::at_start(
            "the file looks like UTF-16 without a byte-order mark",
            "save it as UTF-8, or as UTF-16 with a byte-order mark",
        ));
    }
    Ok(())
}

fn decode_utf8(bytes: &[u8]) -> Result<String, ParseError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => {
            let valid = e.valid_up_to();
            // The prefix is valid UTF-8 by construction.
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            Err(ParseError::in_text(
                prefix,
                valid,
                format!(
                    "invalid UTF-8: byte 0x{:02X} does not start a valid character",
                    bytes.get(valid).copied().unwrap_or(0)
                ),
                "save the file as UTF-8 (or UTF-16 with a byte-order mark)",
            ))
        }
    }
}

fn decode_utf16(bytes: &[u8], little: bool) -> Result<String, ParseError> {
    let units = bytes.chunks(2).map(|pair| match pair {
        [a, b] if little => u16::from_le_bytes([*a, *b]),
        [a, b] => u16::from_be_bytes([*a, *b]),
        [a] => *a as u16,
        _ => 0,
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    for decoded in char::decode_utf16(units) {
        match decoded {
            Ok(c) => text.push(c),
            Err(e) => {
                let offset = text.len();
                return Err(ParseError::in_text(
                    &text,
                    offset,
                    format!(
                        "invalid UTF-16: unpaired surrogate 0x{:04X}",
                        e.unpaired_surrogate()
                    ),
                    "the file is damaged; re-save it from an editor",
                ));
            }
        }
    }
    if bytes.len() % 2 == 1 {
        text.pop();
        let offset = text.len();
        return Err(ParseError::in_text(
            &text,
            offset,
            "invalid UTF-16: the file ends in the middle of a character".to_string(),
            "the file is truncated; restore it from a backup",
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_round_trips_both_endians() {
        for enc in [TextEncoding::Utf16Le, TextEncoding::Utf16Be] {
            let bytes = enc.encode("<a b=\"é😀\"/>\r\n");
            let (text, found) = decode(&bytes).unwrap();
            assert_eq!(found, enc);
            assert_eq!(enc.encode(&text), bytes);
        }
    }

    #[test]
    fn invalid_utf8_reports_position() {
        let err = decode(b"<a>\n  \xFF</a>").unwrap_err();
        assert_eq!((err.position.line, err.position.column), (2, 3));
    }

    proptest::proptest! {
        /// Checked in halves, bytes give what `String::from_utf8` gives: the text, or the
        /// error at the first bad byte, wherever the halves meet (in a character too).
        #[test]
        fn utf8_checked_in_halves_is_utf8_checked_whole(
            text in "[a-zé€😀<>\"=\n]{0,40}",
            damage in proptest::option::of((0usize..200, proptest::prelude::any::<u8>())),
        ) {
            let mut bytes = text.into_bytes();
            if let Some((at, byte)) = damage {
                let at = at % bytes.len().max(1);
                if let Some(b) = bytes.get_mut(at) {
                    *b = byte;
                }
            }
            let whole = String::from_utf8(bytes.clone()).map_err(|e| e.utf8_error());
            let halves = utf8_string_in_halves_from(bytes, 0).map_err(|e| e.utf8_error());
            proptest::prop_assert_eq!(halves, whole);
        }
    }

    #[test]
    fn unpaired_surrogate_is_an_error() {
        let mut bytes = vec![0xFF, 0xFE, b'<', 0];
        bytes.extend_from_slice(&0xD800u16.to_le_bytes());
        bytes.extend_from_slice(&[b'>', 0]);
        let err = decode(&bytes).unwrap_err();
        assert!(err.message.contains("surrogate"), "{}", err.message);
    }
}
