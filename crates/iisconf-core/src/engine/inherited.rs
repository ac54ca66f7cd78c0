//! What an element of a layer inherits, as the rules read it: the merged state of the levels
//! above (if any) and, over it, the same element as written in the layers not merged into
//! it, oldest first.
//!
//! Reading those layers in place answers what the rules ask (a value and where it was set,
//! a lock) without building a merged state for every level that has levels below it. Only
//! where a layer writes collection entries is the element merged, because what entries are
//! left depends on every `<add>`, `<remove>` and `<clear/>` before.

use super::effective::{
    apply_element, split_names, write_file_origin, written_at, EffectiveElement, Layer,
};
use super::effective::{LockOrigin, Provenance, LOCK_ATTRIBUTES};
use crate::schema::ElementSchema;
use iisconf_xml::NodeId;
use std::borrow::Cow;

/// The state an element of a layer is written over (see the module documentation).
#[derive(Clone, Default)]
pub(crate) struct Inherited<'a> {
    base: Option<&'a EffectiveElement>,
    over: Vec<(&'a Layer<'a>, NodeId)>,
}

/// Where an inherited value was set, formatted only when a finding needs it.
pub(crate) enum Origin<'a> {
    /// A value of the merged state.
    Merged(&'a Provenance),
    /// A value of a layer read in place: the byte offset of its attribute name.
    Written(&'a Layer<'a>, Option<usize>),
}

impl std::fmt::Display for Origin<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Merged(p) => p.fmt(f),
            Origin::Written(layer, offset) => {
                let (line, column) = written_at(layer, *offset);
                write_file_origin(f, layer.file_name, line, column, layer.location)
            }
        }
    }
}

impl Origin<'_> {
    /// The place the value was written, when it was written in a file.
    pub fn place(&self) -> Option<crate::diagnostic::Place> {
        let (file, line, column) = match self {
            Origin::Merged(Provenance::File {
                file, line, column, ..
            }) => (file.clone(), *line, *column),
            Origin::Merged(_) => return None,
            Origin::Written(layer, offset) => {
                let (line, column) = written_at(layer, *offset);
                (layer.file_name.clone(), line, column)
            }
        };
        Some(crate::diagnostic::Place {
            file,
            line,
            column,
            end_line: line,
            end_column: column + 1,
        })
    }

    /// `file:line:column`, or `schema default`: where the value can be seen, without the
    /// config path the engine placed it at.
    pub fn at(&self) -> String {
        match self {
            Origin::Merged(Provenance::File {
                file, line, column, ..
            }) => format!("{file}:{line}:{column}"),
            Origin::Merged(p) => p.to_string(),
            Origin::Written(layer, offset) => {
                let (line, column) = written_at(layer, *offset);
                format!("{}:{line}:{column}", layer.file_name)
            }
        }
    }
}

impl<'a> Inherited<'a> {
    /// `over` (elements of layers, oldest first) written over `base`.
    pub fn new(base: Option<&'a EffectiveElement>, over: Vec<(&'a Layer<'a>, NodeId)>) -> Self {
        Inherited { base, over }
    }

    /// A merged state alone.
    pub fn merged_state(base: &'a EffectiveElement) -> Self {
        Inherited {
            base: Some(base),
            over: Vec::new(),
        }
    }

    /// The merged part: with [`Inherited::writes_collections`] false, the collection entries
    /// and key counts of the element are the merged part's.
    pub fn base(&self) -> Option<&'a EffectiveElement> {
        self.base
    }

    /// Whether a layer read in place writes any collection directive of the element.
    pub fn writes_collections(&self, schema: &ElementSchema) -> bool {
        !schema.collections.is_empty()
            && self.over.iter().any(|(layer, node)| {
                let doc = &layer.file.doc;
                doc.child_elements(*node)
                    .any(|c| schema.collection_for(doc.name(c)).is_some())
            })
    }

    /// The element merged: the merged part with the layers read in place applied.
    pub fn merge(&self, schema: &ElementSchema) -> EffectiveElement {
        self.merge_with(schema, true)
    }

    /// Like [`Inherited::merge`], without the lines and columns where the layers read in
    /// place set their values (left 0): for a check that reports none of them.
    pub fn merge_unplaced(&self, schema: &ElementSchema) -> EffectiveElement {
        self.merge_with(schema, false)
    }

    fn merge_with(&self, schema: &ElementSchema, positions: bool) -> EffectiveElement {
        let mut eff = match self.base {
            Some(base) => base.clone(),
            None => EffectiveElement::empty(&schema.name),
        };
        for (layer, node) in &self.over {
            let layer = Layer {
                positions: positions && layer.positions,
                ..**layer
            };
            apply_element(&mut eff, *node, schema, &layer);
        }
        eff
    }

    /// The child element `name`, as inherited.
    pub fn child(&self, name: &str) -> Inherited<'a> {
        let mut over = Vec::new();
        for (layer, node) in &self.over {
            let doc = &layer.file.doc;
            over.extend(
                doc.child_elements(*node)
                    .filter(|c| doc.name(*c) == name)
                    .map(|c| (*layer, c)),
            );
        }
        Inherited {
            base: self.base.and_then(|b| b.child(name)),
            over,
        }
    }

    /// The value of attribute `name` set in a file (not a default), and where it was set.
    pub fn written_value(&self, name: &str) -> Option<(Cow<'a, str>, Origin<'a>)> {
        for (layer, node) in self.over.iter().rev() {
            if let Some(attr) = layer.file.doc.attribute(*node, name) {
                let offset = attr.name_span.map(|s| s.start);
                return Some((attr.value(), Origin::Written(layer, offset)));
            }
        }
        self.base
            .and_then(|b| b.attribute(name))
            .filter(|a| matches!(a.origin, Provenance::File { .. }))
            .map(|a| (Cow::Borrowed(a.value.as_str()), Origin::Merged(&a.origin)))
    }

    /// The lock on attribute `name`, if any.
    pub fn attribute_lock(&self, name: &str) -> Option<LockOrigin> {
        self.lock(
            name,
            true,
            "lockAttributes",
            "lockAllAttributesExcept",
            |b| {
                (
                    b.locks.listed_attribute(name),
                    b.locks.all_attributes_except(),
                )
            },
        )
    }

    /// The lock on child element `name`, if any.
    pub fn element_lock(&self, name: &str) -> Option<LockOrigin> {
        self.lock(name, false, "lockElements", "lockAllElementsExcept", |b| {
            (b.locks.listed_element(name), b.locks.all_elements_except())
        })
    }

    /// A lock as the merge records it: a name listed in `listed` (the oldest listing first;
    /// `*` lists every name when `star`), else the newest `all_except` that does not except
    /// `name`.
    fn lock(
        &self,
        name: &str,
        star: bool,
        listed: &'static str,
        all_except: &'static str,
        merged: impl Fn(&'a EffectiveElement) -> LockSources<'a>,
    ) -> Option<LockOrigin> {
        let (merged_listed, merged_all_except) = self.base.map(merged).unwrap_or((None, None));
        if let Some(lock) = merged_listed {
            return Some(lock.clone());
        }
        let origin = |layer: &Layer, node: NodeId, kind: &'static str| LockOrigin {
            file: layer.file_index,
            place: layer.file.attribute_place(node, kind).0,
            kind: LOCK_ATTRIBUTES
                .iter()
                .find(|k| **k == kind)
                .copied()
                .unwrap_or("lock"),
        };
        for (layer, node) in &self.over {
            if let Some(names) = layer.file.doc.attribute_value(*node, listed) {
                if split_names(&names)
                    .iter()
                    .any(|n| n == name || (star && n == "*"))
                {
                    return Some(origin(layer, *node, listed));
                }
            }
        }
        for (layer, node) in self.over.iter().rev() {
            if let Some(except) = layer.file.doc.attribute_value(*node, all_except) {
                return (!split_names(&except).iter().any(|e| e == name))
                    .then(|| origin(layer, *node, all_except));
            }
        }
        merged_all_except
            .filter(|(except, _)| !except.iter().any(|e| e == name))
            .map(|(_, lock)| lock.clone())
    }
}

/// A merged state's locks on a name: the listed one, and the all-except one.
type LockSources<'a> = (
    Option<&'a LockOrigin>,
    Option<(&'a [String], &'a LockOrigin)>,
);
