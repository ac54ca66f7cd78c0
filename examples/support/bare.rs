//! The baseline the parse figures compare against: a bare quick-xml event loop over the same
//! text (no allocation, no checks beyond quick-xml's own). Shared by benches/parse.rs and
//! examples/parse_figures.rs.

use quick_xml::events::Event;
use quick_xml::Reader;

/// Counts the events of a bare quick-xml pass; the first error ends the pass.
pub fn bare_event_loop(text: &str) -> Result<usize, quick_xml::Error> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut events = 0usize;
    loop {
        match reader.read_event()? {
            Event::Eof => return Ok(events),
            _ => events += 1,
        }
    }
}
