//! Schema documentation export (Markdown, HTML, XSD, JSON).
