//! Applying a transform to a document, as Microsoft.Web.XmlTransform does: each transform
//! finds its targets through its XPath, acts on the first or on every one of them, and logs
//! what it did; a transform that finds nothing is a warning (an error for the inserts) and
//! changes nothing.

use crate::log::{Log, Severity};
use crate::transform::{name_position, Kind, Step, Transform};
use crate::xpath::{SelectCache, XPath};
use iisconf_xml::{Document, DocumentEditError, NodeId, Position};
use std::cell::RefCell;

/// What a transform changed, for tools that report on the result (lint, diff).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// The transform that made it.
    pub kind: Kind,
    /// Where that transform is in its file.
    pub transform: Position,
    /// The element of the result it wrote: the new element of an insert or replace, the
    /// element whose attributes changed, the comment that replaced an element; `None` for
    /// a removal.
    pub element: Option<NodeId>,
    /// The attribute set or removed, for attribute transforms.
    pub attribute: Option<String>,
}

/// The result of applying a transform: its log and its edits.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// The log, in Microsoft's wording.
    pub log: Log,
    /// The changes made, in order.
    pub edits: Vec<Edit>,
}

impl Outcome {
    /// Whether the transform applied without error (warnings allowed).
    pub fn succeeded(&self) -> bool {
        self.log.count(Severity::Error) == 0
    }
}

/// An error inside one transform; it ends that transform, and the others still run.
struct Failure(String);

impl From<DocumentEditError> for Failure {
    fn from(e: DocumentEditError) -> Failure {
        Failure(e.to_string())
    }
}

impl Transform {
    /// Applies the transform to `document`, in place. Errors found while reading the
    /// transform come first in the log; the transforms then run in document order, and an
    /// error in one does not stop the next (as in Microsoft's engine). When the outcome has
    /// errors the document should not be written.
    pub fn apply(&self, document: &mut Document) -> Outcome {
        let mut outcome = Outcome::default();
        outcome.log.extend(&self.problems);
        let cache = RefCell::new(SelectCache::default());
        // The document as it was before this file's transforms, to tell a path that never
        // matched from one whose match an earlier transform removed or changed (as
        // Microsoft's engine keeps its original document). Its text is shared, so the copy
        // is of the structure only; a file of one transform needs none.
        let original = (self.steps.len() > 1).then(|| document.clone());
        for step in &self.steps {
            let first_line = outcome.log.lines.len();
            self.run(step, document, original.as_ref(), &mut outcome, &cache);
            if step.suppress_warnings {
                outcome.log.downgrade_warnings(first_line);
            }
        }
        outcome
    }

    fn run(
        &self,
        step: &Step,
        document: &mut Document,
        original: Option<&Document>,
        outcome: &mut Outcome,
        cache: &RefCell<SelectCache>,
    ) {
        let name = step.kind.name();
        let long = format!(
            "{name} (transform line {}, {})",
            step.position.line, step.position.column
        );
        let targets = match self.targets(step, document, original, &mut outcome.log, cache) {
            Ok(Some(targets)) => targets,
            Ok(None) => {
                outcome.log.message(format!("Not executing {long}"));
                return;
            }
            Err(Failure(message)) => {
                self.fail(step, message, &mut outcome.log);
                outcome.log.message(format!("Not executing {long}"));
                return;
            }
        };
        outcome.log.start_section(format!("Executing {long}"));
        outcome.log.message(format!("on {}", step.xpath));
        // As in Microsoft's engine, only these act on every target; the others act on the
        // first (the inserts on the first parent, without a warning about the others).
        let all = matches!(
            step.kind,
            Kind::RemoveAll
                | Kind::SetAttributes
                | Kind::RemoveAttributes
                | Kind::InsertOrAppendAttribute
        );
        let chosen: &[NodeId] = if all {
            &targets
        } else {
            targets.get(..1).unwrap_or_default()
        };
        let mut failed = false;
        for target in chosen {
            apply_message(document, *target, &mut outcome.log);
            self.warn_before_applying(step, targets.len(), &mut outcome.log);
            let result = self.apply_one(step, *target, document, outcome, cache);
            forget_changed(step.kind, outcome, cache);
            if let Err(Failure(message)) = result {
                self.fail(step, message, &mut outcome.log);
                failed = true;
                break;
            }
        }
        if failed {
            outcome.log.end_section(format!("Error during {name}"));
        } else {
            outcome.log.end_section(format!("Done executing {name}"));
        }
    }

    /// The warnings Microsoft's transforms give as they start on a target, in its order
    /// (XmlElementTransforms.cs): arguments given to a transform that takes none, and more
    /// than one target for a transform that acts on the first only.
    fn warn_before_applying(&self, step: &Step, targets: usize, log: &mut Log) {
        let name = step.kind.name();
        let ignored = !step.arguments.is_empty()
            && matches!(
                step.kind,
                Kind::Replace
                    | Kind::Remove
                    | Kind::RemoveAll
                    | Kind::Insert
                    | Kind::InsertIfMissing
            );
        let mut warn = |text: String| log.push_diagnostic(Severity::Warning, step.position, text);
        let ignoring = || format!("{name} does not expect arguments; ignoring");
        let only_first = || {
            format!(
                "Found multiple target elements, but the '{name}' Transform only applies to the first match"
            )
        };
        match step.kind {
            Kind::Replace => {
                if ignored {
                    warn(ignoring());
                }
                if targets > 1 {
                    warn(only_first());
                }
            }
            Kind::Remove => {
                if targets > 1 {
                    warn(only_first());
                }
                if ignored {
                    warn(ignoring());
                }
            }
            _ if ignored => warn(ignoring()),
            _ => {}
        }
    }

    /// An error at the step's `xdt:Transform` attribute, as Microsoft places it.
    fn fail(&self, step: &Step, message: String, log: &mut Log) {
        log.push_diagnostic(Severity::Error, step.position, message);
    }

    /// The elements the step acts on (the parents, for inserts); `None` after a warning
    /// (an error for the inserts, as in Microsoft's engine) naming the outermost path that
    /// matched nothing.
    fn targets(
        &self,
        step: &Step,
        document: &Document,
        original: Option<&Document>,
        log: &mut Log,
        cache: &RefCell<SelectCache>,
    ) -> Result<Option<Vec<NodeId>>, Failure> {
        let paths: Vec<&String> = if step.kind.targets_parent() {
            step.ancestors.iter().collect()
        } else {
            step.ancestors.iter().chain([&step.xpath]).collect()
        };
        // The targets themselves first: when they exist, so do their ancestors, which are
        // searched only to name the outermost path that matched nothing.
        if let Some(last) = paths.last() {
            let xpath = XPath::parse(last)
                .map_err(|e| Failure(format!("'{last}' is not a valid XPath expression: {e}")))?;
            let found = xpath.select_elements_cached(document, cache);
            if !found.is_empty() {
                return Ok(Some(found));
            }
        }
        let mut found = Vec::new();
        let elements = step.ancestor_elements.iter().chain([&step.element]);
        for (path, element) in paths.iter().zip(elements) {
            let xpath = XPath::parse(path)
                .map_err(|e| Failure(format!("'{path}' is not a valid XPath expression: {e}")))?;
            found = xpath.select_elements_cached(document, cache);
            if found.is_empty() {
                let severity = if step.kind.targets_parent() {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                let text = if original.is_some_and(|o| !xpath.select_elements(o).is_empty()) {
                    format!("'{path}' did not find a match, because matching nodes in the source document were modified or removed by a previous transform")
                } else {
                    format!("No element in the source document matches '{path}'")
                };
                log.push_diagnostic(severity, self.element_position(*element), text);
                return Ok(None);
            }
        }
        Ok(Some(found))
    }

    /// Attributes of the transform element that reach the output (not the XDT ones).
    fn keeps(&self, name: &str) -> bool {
        match &self.prefix {
            Some(prefix) => {
                !(name == format!("xmlns:{prefix}")
                    || name
                        .strip_prefix(prefix.as_str())
                        .is_some_and(|r| r.starts_with(':')))
            }
            None => true,
        }
    }

    fn apply_one(
        &self,
        step: &Step,
        target: NodeId,
        document: &mut Document,
        outcome: &mut Outcome,
        cache: &RefCell<SelectCache>,
    ) -> Result<(), Failure> {
        let element = step.element;
        let name = self.document.name(element).to_string();
        let keep = |n: &str| self.keeps(n);
        let record = |outcome: &mut Outcome, written: Option<NodeId>, attribute: Option<String>| {
            outcome.edits.push(Edit {
                kind: step.kind,
                transform: step.position,
                element: written,
                attribute,
            })
        };
        match step.kind {
            Kind::Replace => {
                let parent = document
                    .parent(target)
                    .ok_or(Failure("the root element cannot be replaced".into()))?;
                let new =
                    document.insert_copy(parent, Some(target), &self.document, element, &keep)?;
                document.remove_element(target)?;
                outcome.log.message(format!("Replaced '{name}' element"));
                record(outcome, Some(new), None);
            }
            Kind::Remove | Kind::RemoveAll => {
                let removed = document.name(target).to_string();
                document.remove_element(target)?;
                outcome.log.message(format!("Removed '{removed}' element"));
                record(outcome, None, None);
            }
            Kind::CommentOut => {
                let commented = document.name(target).to_string();
                let comment = document.comment_out(target)?;
                outcome
                    .log
                    .message(format!("Commented out '{commented}' element"));
                record(outcome, Some(comment), None);
            }
            Kind::Insert => {
                let new = document.insert_copy(target, None, &self.document, element, &keep)?;
                outcome.log.message(format!("Inserted '{name}' element"));
                record(outcome, Some(new), None);
            }
            Kind::InsertIfMissing => {
                let own = XPath::parse(&step.xpath).map_err(|e| {
                    Failure(format!(
                        "'{}' is not a valid XPath expression: {e}",
                        step.xpath
                    ))
                })?;
                // Microsoft inserts only when the element's own path matches nothing at
                // all, under any parent.
                let present = !own.select_elements_cached(document, cache).is_empty();
                if !present {
                    let new = document.insert_copy(target, None, &self.document, element, &keep)?;
                    outcome.log.message(format!("Inserted '{name}' element"));
                    record(outcome, Some(new), None);
                }
            }
            Kind::InsertBefore | Kind::InsertAfter => {
                let path = step.arguments.first().cloned().unwrap_or_default();
                let xpath = XPath::parse(&path).map_err(|e| {
                    Failure(format!("'{path}' is not a valid XPath expression: {e}"))
                })?;
                let sibling = match xpath.select(document).first() {
                    None => {
                        return Err(Failure(format!(
                            "No element in the source document matches '{path}'"
                        )))
                    }
                    Some(crate::xpath::Item::Node(id))
                        if document.kind(*id) == iisconf_xml::NodeKind::Element =>
                    {
                        *id
                    }
                    Some(_) => return Err(Failure(format!("'{path}' does not select an element"))),
                };
                let parent = document
                    .parent(sibling)
                    .ok_or(Failure(format!("'{path}' selects the root element")))?;
                let before = if step.kind == Kind::InsertBefore {
                    Some(sibling)
                } else {
                    document.next_sibling(sibling)
                };
                let new = match before {
                    Some(before) => document.insert_copy(
                        parent,
                        Some(before),
                        &self.document,
                        element,
                        &keep,
                    )?,
                    None => document.insert_copy(parent, None, &self.document, element, &keep)?,
                };
                outcome.log.message(format!("Inserted '{name}' element"));
                record(outcome, Some(new), None);
            }
            Kind::SetAttributes => {
                let attributes: Vec<(String, String)> = self
                    .document
                    .attributes(element)
                    .filter(|a| keep(a.name))
                    .filter(|a| {
                        step.arguments.is_empty() || step.arguments.iter().any(|n| n == a.name)
                    })
                    .map(|a| (a.name.to_string(), a.value().into_owned()))
                    .collect();
                for wanted in &step.arguments {
                    if !attributes.iter().any(|(n, _)| n == wanted) {
                        outcome.log.push_diagnostic(
                            Severity::Warning,
                            step.position,
                            format!("Argument '{wanted}' did not match any attributes"),
                        );
                    }
                }
                if attributes.is_empty() {
                    outcome.log.push_source_warning(
                        name_position(document, target),
                        "No attributes found to set".to_string(),
                    );
                }
                for (attribute, value) in &attributes {
                    document.set_attribute(target, attribute, value)?;
                    outcome.log.message(format!("Set '{attribute}' attribute"));
                    record(outcome, Some(target), Some(attribute.clone()));
                }
                if !attributes.is_empty() {
                    outcome
                        .log
                        .message(format!("Set {} attributes", attributes.len()));
                }
            }
            Kind::RemoveAttributes => {
                let mut removed = 0;
                for attribute in &step.arguments {
                    if document.remove_attribute(target, attribute)? {
                        outcome
                            .log
                            .message(format!("Removed '{attribute}' attribute"));
                        record(outcome, Some(target), Some(attribute.clone()));
                        removed += 1;
                    } else {
                        outcome.log.push_diagnostic(
                            Severity::Warning,
                            step.position,
                            format!("Argument '{attribute}' did not match any attributes"),
                        );
                    }
                }
                if removed > 0 {
                    outcome.log.message(format!("Removed {removed} attributes"));
                } else {
                    outcome.log.push_source_warning(
                        name_position(document, target),
                        "No attributes found to remove".to_string(),
                    );
                }
            }
            Kind::InsertOrAppendAttribute => {
                let attribute = step.arguments.first().cloned().unwrap_or_default();
                let value = self
                    .document
                    .attribute_value(element, &attribute)
                    .map(|v| v.into_owned())
                    .ok_or_else(|| {
                        Failure(format!(
                            "the transform element has no attribute '{attribute}' to insert or append"
                        ))
                    })?;
                let existing = document
                    .attribute_value(target, &attribute)
                    .map(|v| v.into_owned());
                match existing {
                    Some(old) => {
                        document.set_attribute(target, &attribute, &format!("{old}{value}"))?;
                        outcome
                            .log
                            .message(format!("Appended to '{attribute}' attribute"));
                    }
                    None => {
                        document.set_attribute(target, &attribute, &value)?;
                        outcome
                            .log
                            .message(format!("Inserted '{attribute}' attribute"));
                    }
                }
                record(outcome, Some(target), Some(attribute));
            }
        }
        Ok(())
    }
}

/// Makes the cache forget what a step's edits changed: everything after elements were
/// added or removed, the tables of the attributes that were set or removed.
fn forget_changed(kind: Kind, outcome: &Outcome, cache: &RefCell<SelectCache>) {
    let mut cache = cache.borrow_mut();
    match kind {
        Kind::SetAttributes | Kind::RemoveAttributes | Kind::InsertOrAppendAttribute => {
            for edit in outcome.edits.iter().rev().take_while(|e| e.kind == kind) {
                if let Some(attribute) = &edit.attribute {
                    cache.forget_attribute(attribute);
                }
            }
        }
        _ => cache.clear(),
    }
}

/// `Applying to 'name' element (source line L, C)`.
fn apply_message(document: &Document, target: NodeId, log: &mut Log) {
    let name = document.name(target);
    let position = name_position(document, target);
    if position.line == 0 {
        log.message(format!(
            "Applying to '{name}' element (no source line info)"
        ));
    } else {
        log.message(format!(
            "Applying to '{name}' element (source line {}, {})",
            position.line, position.column
        ));
    }
}
