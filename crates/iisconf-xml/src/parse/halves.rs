//! A large text parsed in two halves at once, on two threads.
//!
//! The text is cut at a `<` near its middle. The first half is parsed as usual up to the cut.
//! The second half is parsed from the cut without knowing which elements are open there:
//! they stand as placeholders, the innermost first, and an end tag with no start tag in the
//! second half closes the next one. Joining the halves gives each placeholder the element
//! that was open at the cut in the first half, checks the end tags' names against them, and
//! renumbers the second half's nodes after the first half's.
//!
//! The cut is only known to be between two tokens when the first half ends there cleanly.
//! What the second half cannot check alone (a second root element, text or CDATA after the
//! root element) is checked when joining; a DOCTYPE in the second half stops it. Whenever
//! either half fails or the join finds something it cannot vouch for, `parse` returns `None`
//! and the caller parses the whole text in one pass, which then finds and reports the error
//! as it always does.

use super::{Builder, Failure, NodeKind, Open, NONE};

/// Texts from this size are parsed in two halves.
pub(super) const SPLIT_FROM: usize = 8 << 20;

/// Texts up to this size keep node ids clear of the placeholders' (see [`placeholder`]).
const SPLIT_UP_TO: usize = 1 << 30;

/// What the second half records about the elements open where it starts.
#[derive(Default)]
pub(super) struct Fragment {
    /// Per placeholder (0: the innermost open element at the cut): its first child in the
    /// second half, if any.
    first_children: Vec<u32>,
    /// Per placeholder closed so far: its end tag.
    closed: Vec<Closed>,
    /// Per placeholder: its element children in the second half, in order.
    element_children: Vec<Vec<u32>>,
}

impl Fragment {
    /// Records `child`, an element, as a child of the current placeholder.
    pub(super) fn element_child(&mut self, child: u32) {
        let k = self.closed.len();
        if self.element_children.len() <= k {
            self.element_children.resize(k + 1, Vec::new());
        }
        self.element_children[k].push(child);
    }
}

/// An end tag that closed a placeholder.
struct Closed {
    /// Start of the end tag, and of the whitespace before it.
    end_tag: usize,
    tail: usize,
    /// Byte range of the name in the end tag.
    name: std::ops::Range<usize>,
}

/// The id standing for placeholder `k` (ids of real nodes stay below `SPLIT_UP_TO`).
fn placeholder(k: usize) -> u32 {
    NONE - 1 - k as u32
}

/// Which placeholder an id stands for, if it is one.
fn placeholder_index(id: u32) -> Option<usize> {
    (id != NONE && id as usize >= SPLIT_UP_TO).then(|| (NONE - 1 - id) as usize)
}

/// The error for what a second half cannot judge alone (never reported: the whole text is
/// parsed again).
pub(super) fn unknown(at: usize) -> Failure {
    Failure::At(at, String::new(), "")
}

/// Records `child` as the first child of placeholder `parent`.
pub(super) fn first_child(builder: &mut Builder, parent: u32, child: u32) {
    if let (Some(fragment), Some(k)) = (builder.fragment.as_mut(), placeholder_index(parent)) {
        if let Some(slot) = fragment.first_children.get_mut(k) {
            *slot = child;
        }
    }
}

/// Closes the placeholder at the bottom of the stack with the end tag at `end_tag`; the
/// next one out becomes the bottom.
pub(super) fn close_unknown(
    builder: &mut Builder,
    end_tag: usize,
    name: std::ops::Range<usize>,
    tail: usize,
) {
    let Some(fragment) = builder.fragment.as_mut() else {
        return;
    };
    builder.stack.pop();
    fragment.closed.push(Closed {
        end_tag,
        tail,
        name,
    });
    fragment.first_children.push(NONE);
    builder.stack.push(Open {
        id: placeholder(fragment.closed.len()),
        last: NONE,
    });
}

/// Where to cut: the first `<` of a start or end tag from the middle of `text` on.
fn cut(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = bytes.len() / 2;
    loop {
        let at = from + memchr::memchr(b'<', bytes.get(from..)?)?;
        match bytes.get(at + 1) {
            Some(b) if b.is_ascii_alphabetic() || matches!(b, b'_' | b':' | b'/') => {
                return Some(at)
            }
            _ => from = at + 1,
        }
    }
}

/// Parses `text` in two halves at once; `None` when that cannot be done or vouched for.
pub(super) fn parse(text: &str) -> Option<Builder> {
    parse_cut_at(text, cut(text)?)
}

/// Parses `text` in two halves cut at `at`, the offset of a `<`.
fn parse_cut_at(text: &str, at: usize) -> Option<Builder> {
    if text.len() > SPLIT_UP_TO || text.as_bytes().get(at) != Some(&b'<') {
        return None;
    }
    let (first, second) = std::thread::scope(|scope| {
        let second = std::thread::Builder::new()
            .name("iisconf-parse".into())
            .spawn_scoped(scope, || {
                let open = Open {
                    id: placeholder(0),
                    last: NONE,
                };
                let mut second = Builder::below(open, text.len() - at);
                second.fragment = Some(Fragment {
                    first_children: vec![NONE],
                    ..Fragment::default()
                });
                second.scan(text, at).ok().map(|()| second)
            })
            .ok()?;
        let mut first = Builder::new(text.len());
        let first = first.scan(&text[..at], 0).ok().map(|()| first);
        Some((first?, second.join().ok()??))
    })?;
    join(first, second, at, text)
}

/// Joins the halves cut at `at` (see the module documentation).
fn join(mut first: Builder, second: Builder, at: usize, text: &str) -> Option<Builder> {
    let fragment = second.fragment?;
    let depth = first.stack.len();
    let closed = fragment.closed;
    // The cut must lie inside the root element; the second half may close the elements
    // open there, the root element last, but not the document.
    if !first.root_seen || first.root_closed || depth < 2 || closed.len() > depth - 1 {
        return None;
    }
    // Placeholder k stands for the k-th open element of the first half, innermost first
    // (the last one, depth - 1, for the document).
    let stack_at_cut = first.stack.clone();
    let open_at_cut = |k: usize| stack_at_cut.get(depth - 1 - k).copied();
    for (k, c) in closed.iter().enumerate() {
        let node = first.nodes.get(open_at_cut(k)?.id as usize)?;
        let open_name = text.get(node.start as usize + 1..node.name_end as usize)?;
        if text.get(c.name.clone())? != open_name {
            return None;
        }
    }
    let root_closed = closed.len() == depth - 1;
    let document = placeholder(depth - 1);
    if root_closed
        && second.nodes.iter().any(|n| {
            n.parent == document
                && !matches!(n.kind, NodeKind::Comment | NodeKind::ProcessingInstruction)
        })
    {
        // An element, text or CDATA after the root element.
        return None;
    }
    let offset = first.nodes.len() as u32;
    let attrs_offset = first.attrs.len() as u32;
    let map = |id: u32| match placeholder_index(id) {
        Some(k) => open_at_cut(k).map_or(NONE, |o| o.id),
        None if id == NONE => NONE,
        None => id + offset,
    };
    let mut nodes = second.nodes;
    for node in &mut nodes {
        node.parent = map(node.parent);
        node.prev = map(node.prev);
        node.next = map(node.next);
        node.first = map(node.first);
        if node.kind == NodeKind::Element {
            node.attrs_start += attrs_offset;
        }
    }
    let mut tails: Vec<(usize, usize)> = closed.iter().map(|c| (c.tail, c.end_tag)).collect();
    // The whitespace before the cut leads the token at the cut.
    if let Some(ws) = first.pending_ws.take() {
        match (nodes.first_mut(), tails.first_mut()) {
            (Some(node), _) if node.start as usize == at => node.lead = ws as u32,
            (_, Some((tail, end_tag))) if *end_tag == at => *tail = ws,
            _ => return None,
        }
    }
    // Each open element's children in the second half follow its children in the first.
    for (k, first_child) in fragment.first_children.iter().enumerate() {
        if *first_child == NONE {
            continue;
        }
        let open = open_at_cut(k)?;
        nodes.get_mut(*first_child as usize)?.prev = open.last;
        let child = first_child + offset;
        match open.last {
            NONE => first.nodes.get_mut(open.id as usize)?.first = child,
            last => first.nodes.get_mut(last as usize)?.next = child,
        }
    }
    for (k, (tail, end_tag)) in tails.into_iter().enumerate() {
        let node = first.nodes.get_mut(open_at_cut(k)?.id as usize)?;
        node.tail = tail as u32;
        node.end_tag = end_tag as u32;
    }
    // The elements still open: those of the first half not closed in the second (the
    // innermost of them with its last child from the second half), then the second's own.
    first.stack.truncate(depth - closed.len());
    let bottom_last = second.stack.first()?.last;
    if bottom_last != NONE {
        first.stack.last_mut()?.last = bottom_last + offset;
    }
    first
        .stack
        .extend(second.stack.iter().skip(1).map(|o| Open {
            id: map(o.id),
            last: map(o.last),
        }));
    // The root element is placeholder depth - 2.
    if let Some(children) = fragment.element_children.get(depth - 2) {
        first
            .root_elements
            .extend(children.iter().map(|c| c + offset));
    }
    first.nodes.append(&mut nodes);
    first.attrs.extend_from_slice(&second.attrs);
    first.pending_ws = second.pending_ws;
    first.root_closed = root_closed;
    first.finish(text).ok()?;
    first.nodes[0].tail = first.pending_ws.take().unwrap_or(text.len()) as u32;
    Some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document `text` parses to in one pass, as comparable text.
    fn one_pass(text: &str) -> Option<String> {
        let mut builder = Builder::new(text.len());
        builder.run(text).ok()?;
        Some(shape(&builder))
    }

    fn shape(builder: &Builder) -> String {
        format!(
            "{:?}\n{:?}\n{:?}",
            builder.nodes, builder.attrs, builder.root_elements
        )
    }

    /// Every offset a cut can be made at: each `<` of a start or end tag.
    fn cuts(text: &str) -> Vec<usize> {
        let bytes = text.as_bytes();
        (0..bytes.len())
            .filter(|&i| {
                bytes[i] == b'<'
                    && bytes
                        .get(i + 1)
                        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/')
            })
            .collect()
    }

    const CONFIG: &str = "<?xml version=\"1.0\"?>\r\n<!-- head -->\r\n<configuration>\r\n  <system.webServer>\r\n    <asp enableParentPaths=\"true\">\r\n      <session max=\"10\" timeout=\"00:20:00\" />\r\n    </asp>\r\n    <x>text &amp; more<![CDATA[ <a> ]]><?pi data?><!-- c --></x>\r\n  </system.webServer>\r\n  <location path=\"S\"><system.webServer><asp/></system.webServer></location>\r\n<empty></empty ></configuration>\r\n<!-- tail --><?after it?>\r\n";

    #[test]
    fn every_cut_of_a_well_formed_text_parses_as_one_pass_does() {
        let expected = one_pass(CONFIG).expect("well-formed");
        // The tags inside the root element, where a cut must not fall back.
        let mut serial = Builder::new(CONFIG.len());
        assert!(serial.run(CONFIG).is_ok());
        let root = serial
            .nodes
            .iter()
            .find(|n| n.kind == NodeKind::Element && n.parent == 0)
            .map_or(0, |n| n.start as usize);
        let tags: Vec<usize> = serial
            .nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Element)
            .flat_map(|n| [n.start, n.end_tag])
            .map(|at| at as usize)
            .filter(|at| *at > root && CONFIG.as_bytes()[*at] == b'<')
            .collect();
        let cuts = cuts(CONFIG);
        assert!(tags.len() > 15, "{}", tags.len());
        for at in cuts {
            match parse_cut_at(CONFIG, at) {
                Some(builder) => assert_eq!(shape(&builder), expected, "cut at {at}"),
                None => assert!(!tags.contains(&at), "cut at tag {at} fell back"),
            }
        }
    }

    #[test]
    fn a_cut_never_accepts_what_one_pass_refuses() {
        let broken = [
            CONFIG.replace("</asp>", "</aps>"),
            CONFIG.replace("<!-- tail -->", "<second/>"),
            CONFIG.replace("<!-- tail -->", "text"),
            CONFIG.replace("<!-- tail -->", "<![CDATA[x]]>"),
            CONFIG.replace("<!-- tail -->", "<!DOCTYPE x>"),
            CONFIG.replace("</configuration>", ""),
            CONFIG.replace("</configuration>", "</configuration></configuration>"),
            CONFIG.replace("<!-- c -->", "<!-- c "),
            CONFIG.replace("<x>", "<x a=\"<y>\">"),
            CONFIG.replace("<!-- c -->", "<!-- <x> </x> -->"),
        ];
        for text in &broken {
            let one = one_pass(text);
            for at in cuts(text) {
                if let Some(builder) = parse_cut_at(text, at) {
                    assert_eq!(Some(shape(&builder)), one, "cut at {at} of {text}");
                }
            }
        }
    }

    #[test]
    fn a_cut_of_a_mutated_text_parses_as_one_pass_or_falls_back() {
        // A small deterministic generator: the test needs no seed from outside.
        let mut state = 0x5eed_u64;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) as usize) % n
        };
        let pieces = [
            "<",
            ">",
            "/",
            "</x>",
            "<x>",
            "<!--",
            "-->",
            "\"",
            "&",
            "]]>",
            "<![CDATA[",
        ];
        for _ in 0..300 {
            let mut text = CONFIG.to_string();
            for _ in 0..1 + next(3) {
                let mut at = next(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                if next(2) == 0 {
                    text.insert_str(at, pieces[next(pieces.len())]);
                } else {
                    let mut end = (at + 1 + next(6)).min(text.len());
                    while !text.is_char_boundary(end) {
                        end += 1;
                    }
                    text.replace_range(at..end, "");
                }
            }
            let one = one_pass(&text);
            for at in cuts(&text) {
                if let Some(builder) = parse_cut_at(&text, at) {
                    assert_eq!(Some(shape(&builder)), one, "cut at {at} of {text}");
                }
            }
        }
    }
}
