//! Parsing a text like an earlier one: where two texts differ only inside one element's
//! content (the two sides of a diff, a file and its edited copy), the later one's tree is
//! the earlier's with that content read again.
//!
//! The bytes the texts share at their start and at their end are found first. The innermost
//! element whose start tag lies in the shared start and whose end tag lies in the shared end
//! holds every change; its content is read again as the builder reads any content, and the
//! rest of the earlier tree is taken over: nodes and attributes before that content as they
//! are, those after it with their offsets moved by the change in length and their ids by
//! the change in node count. Node ids follow document order, so the result is, node for
//! node, the tree a whole parse gives. Whenever the content does not read back as the
//! content of that one element (an error, an end tag that closes it early, markup running
//! past it), the text is parsed whole instead, so errors are reported as a whole parse
//! reports them.

use super::{Builder, Open, Tree};
use crate::node::{NodeId, NodeKind, Part, NONE, SELF_CLOSING};
use crate::source::Text;
use crate::Document;
use std::collections::HashMap;
use std::sync::{Arc, Weak};

/// How a document parsed like an earlier one ([`Document::from_vec_like`]) was made from
/// it: the content of one element read again, every other node taken over. A caller that
/// derived something from the earlier document's nodes can take that over too, with the
/// nodes moved ([`Reread::node`]), where it does not depend on what was read again.
#[derive(Clone, Debug)]
pub struct Reread {
    /// The earlier document's text (which tells that document apart, not kept alive).
    earlier: Weak<Text>,
    /// The element whose content was read again (the same id in both documents), or
    /// `None` when the texts are the same.
    element: Option<NodeId>,
    /// The first id after the element's descendants in the earlier document.
    after: usize,
    /// How many more nodes the element's content has now (fewer when negative).
    added: i64,
}

impl Reread {
    /// The element whose content was read again (the same id in both documents); `None`
    /// when the two texts are the same.
    pub fn element(&self) -> Option<NodeId> {
        self.element
    }

    /// Where node `earlier` of the earlier document is in this one: the same node; `None`
    /// for a node of the content read again.
    pub fn node(&self, earlier: NodeId) -> Option<NodeId> {
        let Some(element) = self.element else {
            return Some(earlier);
        };
        let id = earlier.index();
        if id <= element.index() {
            Some(earlier)
        } else if id < self.after {
            None
        } else {
            u32::try_from(id as i64 + self.added).ok().map(NodeId)
        }
    }

    /// Whether `earlier` is the document this one was parsed like.
    pub(crate) fn is_of(&self, earlier: &Document) -> bool {
        std::ptr::eq(self.earlier.as_ptr(), Arc::as_ptr(&earlier.buf))
    }
}

/// From which size the shared start and end of two texts are searched at once.
const LARGE: usize = 4 << 20;

/// How many bytes `a` and `b` have in common from their start.
fn common_start(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 64 << 10;
    let len = a.len().min(b.len());
    let mut at = 0;
    while at < len {
        let end = (at + BLOCK).min(len);
        if a[at..end] != b[at..end] {
            return at
                + a[at..end]
                    .iter()
                    .zip(&b[at..end])
                    .take_while(|(x, y)| x == y)
                    .count();
        }
        at = end;
    }
    len
}

/// How many bytes `a` and `b` have in common at their end.
fn common_end(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 64 << 10;
    let len = a.len().min(b.len());
    let mut done = 0;
    while done < len {
        let step = BLOCK.min(len - done);
        let (ea, eb) = (a.len() - done, b.len() - done);
        let (x, y) = (&a[ea - step..ea], &b[eb - step..eb]);
        if x != y {
            return done
                + x.iter()
                    .rev()
                    .zip(y.iter().rev())
                    .take_while(|(p, q)| p == q)
                    .count();
        }
        done += step;
    }
    len
}

/// The tree of `text` built from `earlier`'s, when they differ inside one element's content
/// and that content reads back whole; `None` when the text is to be parsed whole.
pub(crate) fn tree_like(earlier: &Document, text: &str) -> Option<Tree> {
    // Offsets are 32 bits: a larger text is refused by the whole parse.
    if !earlier.is_as_parsed() || text.len() >= (u32::MAX - 1) as usize {
        return None;
    }
    let old = earlier.source().as_bytes();
    let new = text.as_bytes();
    // From both ends at once; the shared end is cut back where it would overlap the start.
    let (same_start, same_end) = crate::parallel::join_if(
        old.len() >= LARGE,
        || common_start(old, new),
        || common_end(old, new),
    );
    if same_start == old.len() && old.len() == new.len() {
        // The same text: the same tree, and the same lines.
        return Some(Tree {
            nodes: earlier.nodes.clone(),
            attrs: earlier.attrs.clone(),
            wide: earlier.wide.clone(),
            root_elements: earlier.root_elements.clone()?,
            comments: earlier.comments.clone()?,
            lines: earlier.lines.get().cloned(),
            like: Some(Reread {
                earlier: Arc::downgrade(&earlier.buf),
                element: None,
                after: 0,
                added: 0,
            }),
        });
    }
    let same_end = same_end.min(old.len().min(new.len()) - same_start);
    let delta = new.len() as i64 - old.len() as i64;
    // The innermost element whose start tag ends in the shared start and whose end tag
    // starts in the shared end.
    let changed_to = old.len() - same_end;
    let holds = |id: NodeId| {
        let node = earlier.node(id);
        node.kind == NodeKind::Element
            && !node.has(SELF_CLOSING)
            && node.end as usize <= same_start
            && node.end_tag as usize >= changed_to
    };
    let mut element = earlier.root_element().filter(|root| holds(*root))?;
    while let Some(inner) = earlier
        .children(element)
        .take_while(|c| earlier.node(*c).start as usize <= same_start)
        .find(|c| holds(*c))
    {
        element = inner;
    }
    let mut tree = reread(earlier, text, element, delta)?;
    // The lines, counted again only between the shared start and end.
    tree.lines = earlier
        .lines
        .get()
        .map(|lines| crate::LineIndex::like(lines, text, same_start, same_end));
    Some(tree)
}

/// The tree of `text`, `earlier`'s with the content of `element` read again from `text`
/// (where that content is `delta` bytes longer).
fn reread(earlier: &Document, text: &str, element: NodeId, delta: i64) -> Option<Tree> {
    let e = element.index();
    let node = *earlier.nodes.get(e)?;
    let content_start = node.end as usize;
    let old_end_tag = node.end_tag as usize;
    let new_end_tag = usize::try_from(old_end_tag as i64 + delta).ok()?;
    // The content, read by a builder holding the document node and the element open.
    let mut builder = Builder::new(0);
    builder.root_seen = true;
    let mut open = node;
    open.first = NONE;
    builder.nodes.push(open);
    builder.stack.push(Open { id: 1, last: NONE });
    let end = builder.scan(text, content_start, new_end_tag, None).ok()?;
    if end != new_end_tag || builder.stack.len() != 2 {
        return None;
    }
    let tail = builder.pending_ws.take().unwrap_or(new_end_tag);
    // The earlier element's descendants: ids `e + 1 ..= last`.
    let after = next_in_order(earlier, element);
    let removed = after - e - 1;
    let added = builder.nodes.len() - 2;
    let shift_id = |v: u32| -> u32 {
        if v == NONE || (v as usize) <= e {
            v
        } else {
            (v as i64 + added as i64 - removed as i64) as u32
        }
    };
    let shift_at = |v: u32| -> u32 {
        if (v as usize) < old_end_tag {
            v
        } else {
            (v as i64 + delta) as u32
        }
    };
    // Attributes: the element's descendants' are one run after the element's own.
    let attrs_from = node.attrs_start as usize + usize::from(node.attrs_len);
    let attrs_to = attrs_from
        + earlier
            .nodes
            .get(e + 1..after)?
            .iter()
            .map(|n| usize::from(n.attrs_len))
            .sum::<usize>();
    let attrs_moved = builder.attrs.len() as i64 - (attrs_to - attrs_from) as i64;

    let first_new = e as u32 + 1;
    let from_builder = |v: u32| -> u32 {
        match v {
            NONE => NONE,
            1 => e as u32,
            v => first_new + v - 2,
        }
    };
    let (before, after_nodes) = (earlier.nodes.get(..=e)?, earlier.nodes.get(after..)?);
    let (attrs_before, attrs_after) = (
        earlier.attrs.get(..attrs_from)?,
        earlier.attrs.get(attrs_to..)?,
    );
    // The nodes and the attributes, at once for a large text.
    let build_nodes = || {
        let mut nodes = Vec::with_capacity(before.len() + added + after_nodes.len());
        nodes.extend(before.iter().map(|n| {
            let mut n = *n;
            n.next = shift_id(n.next);
            n.end = shift_at(n.end);
            n.end_tag = shift_at(n.end_tag);
            n
        }));
        if let Some(own) = nodes.get_mut(e) {
            // Its start tag ends where its content starts: at its end tag when it is empty.
            own.end = node.end;
            own.first = from_builder(builder.nodes[1].first);
            own.tail_len = crate::node::gap(new_end_tag - tail);
        }
        nodes.extend(builder.nodes.iter().skip(2).map(|n| {
            let mut n = *n;
            n.parent = from_builder(n.parent);
            n.next = from_builder(n.next);
            n.first = from_builder(n.first);
            if n.kind == NodeKind::Element {
                n.attrs_start += attrs_from as u32;
            }
            n
        }));
        nodes.extend(after_nodes.iter().map(|n| {
            let mut n = *n;
            n.parent = shift_id(n.parent);
            n.next = shift_id(n.next);
            n.first = shift_id(n.first);
            n.start = shift_at(n.start);
            n.end = shift_at(n.end);
            n.end_tag = shift_at(n.end_tag);
            if n.kind == NodeKind::Element {
                n.attrs_start = (n.attrs_start as i64 + attrs_moved) as u32;
            }
            n
        }));
        nodes
    };
    let build_attrs = || {
        let mut attrs =
            Vec::with_capacity(attrs_before.len() + builder.attrs.len() + attrs_after.len());
        attrs.extend_from_slice(attrs_before);
        attrs.extend_from_slice(&builder.attrs);
        attrs.extend(attrs_after.iter().map(|a| a.moved(shift_at)));
        attrs
    };
    let (nodes, attrs) = crate::parallel::join_if(text.len() >= LARGE, build_nodes, build_attrs);

    let mut wide: HashMap<(u32, Part), u32> = HashMap::new();
    for (&(id, part), &len) in &earlier.wide {
        // The element's descendants' and its tail are read again.
        let reread = (id as usize) > e && (id as usize) < after;
        let own_tail = id as usize == e && part == Part::Tail;
        if !(reread || own_tail) {
            wide.insert((shift_id(id), part), len);
        }
    }
    for (&(id, part), &len) in &builder.wide {
        wide.insert((from_builder(id), part), len);
    }
    let own_tail = new_end_tag - tail;
    if crate::node::gap(own_tail) == crate::node::WIDE {
        wide.insert((e as u32, Part::Tail), own_tail as u32);
    }

    let keep = |list: &Option<Vec<NodeId>>, added: &[u32]| -> Option<Vec<NodeId>> {
        let list = list.as_ref()?;
        let mut out: Vec<NodeId> = list.iter().filter(|id| id.index() <= e).copied().collect();
        out.extend(added.iter().map(|id| NodeId(from_builder(*id))));
        out.extend(
            list.iter()
                .filter(|id| id.index() >= after)
                .map(|id| NodeId(shift_id(id.0))),
        );
        Some(out)
    };
    // The builder lists the element's children as the root's elements: they are when the
    // element is the root.
    let is_root = node.parent == 0;
    let root_elements = keep(
        &earlier.root_elements,
        if is_root { &builder.root_elements } else { &[] },
    )?;
    let comments = keep(&earlier.comments, &builder.comments)?;
    Some(Tree {
        nodes,
        attrs,
        wide,
        root_elements,
        comments,
        lines: None,
        like: Some(Reread {
            earlier: Arc::downgrade(&earlier.buf),
            element: Some(element),
            after,
            added: added as i64 - removed as i64,
        }),
    })
}

/// The id of the first node after `id` and its descendants in document order (the node
/// count when there is none): a node's descendants are the ids between the two.
fn next_in_order(doc: &Document, id: NodeId) -> usize {
    let mut at = Some(id);
    while let Some(n) = at {
        if let Some(next) = doc.next_sibling(n) {
            return next.index();
        }
        at = doc.parent(n);
    }
    doc.nodes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_same(like: &Document, whole: &Document) {
        assert!(like.nodes == whole.nodes, "the nodes differ");
        assert!(like.attrs == whole.attrs, "the attributes differ");
        assert_eq!(like.wide, whole.wide);
        assert_eq!(like.root_elements, whole.root_elements);
        assert_eq!(like.comments, whole.comments);
        assert_eq!(like.to_text(), whole.to_text());
    }

    /// `later` parsed like `earlier`, and whether the earlier tree was taken over.
    fn parse_like(earlier: &str, later: &str) -> (Result<Document, crate::ParseError>, bool) {
        let earlier = Document::parse_str(earlier).expect("the earlier text parses");
        let reused = tree_like(&earlier, later).is_some();
        let like = Document::from_vec_like(later.as_bytes().to_vec(), &earlier);
        (like, reused)
    }

    #[test]
    fn a_change_inside_one_element_reads_that_element_again() {
        let earlier = "<?xml version=\"1.0\"?>\n<configuration>\n  <!-- c -->\n  <a x=\"1\">\n    <b y=\"2\" />\n    text &amp; more\n  </a>\n  <c z=\"3\"><d/></c>\n</configuration>\n";
        for (later, reused) in [
            // A value, longer and shorter; an element added; one removed; text changed.
            (earlier.replace("y=\"2\"", "y=\"22222\""), true),
            (earlier.replace("y=\"2\"", "y=\"\""), true),
            (
                earlier.replace("<b y=\"2\" />", "<b y=\"2\" /><e/><!-- new -->"),
                true,
            ),
            (earlier.replace("<b y=\"2\" />", ""), true),
            (earlier.replace("more", "less"), true),
            (earlier.replace("<d/>", "<d>\n</d>"), true),
            // In a start tag of the root's: the root's content is read again.
            (earlier.replace("x=\"1\"", "x=\"9\" w=\"8\""), true),
            // The same text.
            (earlier.to_string(), true),
            // In the root's start tag or around the root: parsed whole.
            (
                earlier.replace("<configuration>", "<configuration q=\"1\">"),
                false,
            ),
            (format!("{earlier}<!-- after -->\n"), false),
        ] {
            let (like, was_reused) = parse_like(earlier, &later);
            assert_eq!(was_reused, reused, "{later}");
            assert_same(
                &like.expect("parses"),
                &Document::parse_str(&later).expect("parses"),
            );
        }
    }

    /// Every node of `earlier` that `reread` keeps is the same node of `like` (kind, name,
    /// attributes); the others lie in the content read again.
    fn assert_moved(earlier: &Document, like: &Document, reread: &Reread) {
        for id in (0..earlier.nodes.len()).map(|i| NodeId(i as u32)) {
            let inside = reread.element().is_some_and(|e| {
                id != e && std::iter::successors(Some(id), |n| earlier.parent(*n)).any(|n| n == e)
            });
            let Some(moved) = reread.node(id) else {
                assert!(inside, "node {id:?} is not in the content read again");
                continue;
            };
            assert!(!inside, "node {id:?} was read again");
            assert_eq!(earlier.kind(id), like.kind(moved));
            if earlier.kind(id) == NodeKind::Element {
                assert_eq!(earlier.name(id), like.name(moved));
                let attrs = |d: &Document, n| {
                    d.attributes(n)
                        .map(|a| (a.name.to_string(), a.value().to_string()))
                        .collect::<Vec<_>>()
                };
                assert_eq!(attrs(earlier, id), attrs(like, moved));
            }
        }
    }

    #[test]
    fn a_document_parsed_like_another_says_which_nodes_it_took_over() {
        let earlier = "<r>\n  <a x=\"1\">\n    <b/>\n  </a>\n  <c y=\"2\"><d/></c>\n</r>\n";
        let earlier_doc = Document::parse_str(earlier).expect("parses");
        for later in [
            earlier.replace("<b/>", "<b/><e/><f/>"),
            earlier.replace("<b/>", ""),
            earlier.replace("<d/>", "<d z=\"3\"/>"),
            earlier.to_string(),
        ] {
            let like =
                Document::from_vec_like(later.as_bytes().to_vec(), &earlier_doc).expect("parses");
            let reread = like.reread_from(&earlier_doc).expect("parsed like it");
            assert_eq!(reread.element().is_none(), later == earlier, "{later}");
            assert_moved(&earlier_doc, &like, reread);
        }
        // Not for another document, nor once edited.
        let other = Document::parse_str(earlier).expect("parses");
        let mut like =
            Document::from_vec_like(earlier.replace("<b/>", "").into_bytes(), &earlier_doc)
                .expect("parses");
        assert!(like.reread_from(&other).is_none());
        let root = like.root_element().expect("root");
        like.set_attribute(root, "q", "1").expect("set");
        assert!(like.reread_from(&earlier_doc).is_none());
        // An edit that only removes an attribute is an edit too.
        let mut like =
            Document::from_vec_like(earlier.as_bytes().to_vec(), &earlier_doc).expect("parses");
        assert!(like.reread_from(&earlier_doc).is_some());
        let a = like.child_element(root, "a").expect("a");
        assert!(like.remove_attribute(a, "x").expect("removed"));
        assert!(like.reread_from(&earlier_doc).is_none());
        // A document parsed whole was not made from another.
        assert!(other.reread_from(&earlier_doc).is_none());
    }

    #[test]
    fn content_that_does_not_read_back_is_parsed_whole_with_its_errors() {
        let earlier = "<r>\n  <a>\n    <b/>\n  </a>\n  <c/>\n</r>";
        for later in [
            // An end tag closing the element early, one left open, an unclosed comment
            // running past it, a bad reference.
            earlier.replace("<b/>", "</a><a>"),
            earlier.replace("<b/>", "<b>"),
            earlier.replace("<b/>", "<!-- open"),
            earlier.replace("<b/>", "&nope;"),
        ] {
            let (like, reused) = parse_like(earlier, &later);
            assert!(!reused, "{later}");
            match (like, Document::parse_str(&later)) {
                (Ok(a), Ok(b)) => assert_same(&a, &b),
                (Err(a), Err(b)) => assert_eq!((a.offset, a.message), (b.offset, b.message)),
                (a, b) => panic!("{later}: {} and {}", a.is_ok(), b.is_ok()),
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Whatever is changed, parsing like the earlier text gives the whole parse.
        #[test]
        fn parsing_like_an_earlier_text_gives_the_whole_parse(
            before in super::super::test_tokens(30),
            after in super::super::test_tokens(30),
            at in 0.0f64..1.0,
            cut in 0usize..4,
            in_root in proptest::bool::ANY,
        ) {
            // The tokens go in an element of the root, or in the root itself.
            let shape = |tokens: &str| match in_root {
                false => format!("<r>\n  <k>{tokens}</k>\n  <l/>\n</r>\n"),
                true => format!("<r>\n  <k></k>{tokens}\n  <l/>\n</r>\n"),
            };
            let earlier = shape(&before.concat());
            let Ok(earlier_doc) = Document::parse_str(&earlier) else {
                return Ok(());
            };
            // Replace a few tokens somewhere in the middle by others.
            let from = ((before.len() as f64) * at) as usize;
            let to = (from + cut).min(before.len());
            let mut changed = before.clone();
            changed.splice(from..to, after.iter().take(3).cloned());
            let later = shape(&changed.concat());
            let like = Document::from_vec_like(later.as_bytes().to_vec(), &earlier_doc);
            match (like, Document::parse_str(&later)) {
                (Ok(a), Ok(b)) => {
                    if let Some(reread) = a.reread_from(&earlier_doc) {
                        assert_moved(&earlier_doc, &a, reread);
                    }
                    proptest::prop_assert!(a.nodes == b.nodes);
                    proptest::prop_assert!(a.attrs == b.attrs);
                    proptest::prop_assert_eq!(a.wide, b.wide);
                    proptest::prop_assert_eq!(a.root_elements, b.root_elements);
                    proptest::prop_assert_eq!(a.comments, b.comments);
                }
                (Err(a), Err(b)) => {
                    proptest::prop_assert_eq!((a.offset, a.message), (b.offset, b.message));
                }
                (a, b) => proptest::prop_assert!(false, "{} and {}", a.is_ok(), b.is_ok()),
            }
        }
    }
}
