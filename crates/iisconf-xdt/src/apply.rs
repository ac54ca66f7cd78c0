//! Applying a transform to a document, as Microsoft.Web.XmlTransform does: each transform
//! finds its targets through its XPath, acts on the first or on every one of them, and logs
//! what it did; a transform that finds nothing is a warning (an error for the inserts) and
//! changes nothing.

use crate::log::{Log, Severity};
use crate::transform::{name_position, Kind, Planned, Step, Transform};
use crate::xpath::{Item, SelectCache, XPath};
use iisconf_xml::{Document, DocumentEditError, NodeId, NodeKind, Position};
use std::cell::RefCell;
use std::collections::HashMap;

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
    /// The elements of the document inserted by this transform file and the ones applied
    /// before it ([`Transform::apply_after`]), with the positions they came from in their
    /// transform file.
    pub inserted: HashMap<NodeId, Position>,
}

impl Outcome {
    /// Whether the transform applied without error (warnings allowed).
    pub fn succeeded(&self) -> bool {
        self.log.count(Severity::Error) == 0
    }
}

/// What one application of a transform file keeps between its transforms.
struct Run<'a> {
    /// The document before the file's transforms (for files of more than one transform).
    original: Option<&'a Document>,
    /// What the XPath evaluator learnt about the document.
    cache: &'a RefCell<SelectCache>,
    /// The elements inserted so far and the positions they came from in the transform.
    inserted: HashMap<NodeId, Position>,
}

/// An error inside one transform; it ends that transform, and the others still run.
struct Failure(String);

impl From<DocumentEditError> for Failure {
    fn from(e: DocumentEditError) -> Failure {
        Failure(e.to_string())
    }
}

impl Transform {
    /// Applies the transform to `document`, in place. The log follows Microsoft's order:
    /// the unknown XDT elements first, then in document order each transform that cannot be
    /// read and each run; an error in one transform does not stop the next. When the
    /// outcome has errors the document should not be written.
    pub fn apply(&self, document: &mut Document) -> Outcome {
        self.apply_after(document, &Outcome::default())
    }

    /// Applies the transform to `document` after the transform files whose outcome is
    /// `earlier` (as Microsoft's engine applies transforms one after another to one
    /// document): the elements they inserted keep the positions they came from, so this
    /// file's log names them by those positions.
    pub fn apply_after(&self, document: &mut Document, earlier: &Outcome) -> Outcome {
        let mut outcome = Outcome::default();
        let cache = RefCell::new(SelectCache::default());
        // The document as it was before this file's transforms, to tell a path that never
        // matched from one whose match an earlier transform removed or changed (as
        // Microsoft's engine keeps its original document). Its text is shared, so the copy
        // is of the structure only; a file of one transform needs none.
        let original = (self.steps.len() > 1).then(|| document.clone());
        let mut run = Run {
            original: original.as_ref(),
            cache: &cache,
            inserted: earlier.inserted.clone(),
        };
        for planned in self.plan() {
            match planned {
                Planned::Line(line) => outcome.log.lines.push(line.clone()),
                Planned::Step(index) => {
                    let Some(step) = self.steps.get(*index) else {
                        continue;
                    };
                    let first_line = outcome.log.lines.len();
                    self.run(step, document, &mut run, &mut outcome);
                    if step.suppress_warnings {
                        outcome.log.downgrade_warnings(first_line);
                    }
                }
            }
        }
        outcome.inserted = run.inserted;
        outcome
    }

    fn run(&self, step: &Step, document: &mut Document, run: &mut Run, outcome: &mut Outcome) {
        let name = step.kind.name();
        let long = format!(
            "{name} (transform line {}, {})",
            step.position.line, step.position.column
        );
        if let Some((position, message)) = &step.path_error {
            outcome
                .log
                .push_diagnostic(Severity::Error, *position, message.clone());
            outcome.log.message(format!("Not executing {long}"));
            return;
        }
        let targets = match self.targets(step, document, run, &mut outcome.log) {
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
            apply_message(document, *target, &run.inserted, &mut outcome.log);
            self.warn_before_applying(step, targets.len(), &mut outcome.log);
            let result = self.apply_one(step, *target, document, outcome, run);
            forget_changed(step.kind, outcome, run.cache);
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
    /// (an error for the inserts) about the path that matched nothing, found as Microsoft's
    /// XmlElementContext does (`HasTargetNode`, `HasTargetParent`): from the element up, as
    /// long as the next context out matches nothing too; for the inserts that walk follows
    /// the parent paths, so a parent that matches nothing is reported at the transform's
    /// own element with its own path.
    fn targets(
        &self,
        step: &Step,
        document: &Document,
        run: &Run,
        log: &mut Log,
    ) -> Result<Option<Vec<NodeId>>, Failure> {
        let select = |path: &str| -> Result<Vec<NodeId>, Failure> {
            if path.is_empty() {
                return Ok(Vec::new());
            }
            let xpath = XPath::parse(path)
                .map_err(|e| Failure(format!("'{path}' is not a valid XPath expression: {e}")))?;
            Ok(xpath.select_elements_cached(document, run.cache))
        };
        let parent = step.kind.targets_parent();
        let paths: Vec<&str> = step
            .ancestors
            .iter()
            .chain([&step.xpath])
            .map(String::as_str)
            .collect();
        let parent_paths: Vec<&str> = step
            .ancestor_parent_xpaths
            .iter()
            .chain([&step.parent_xpath])
            .map(String::as_str)
            .collect();
        let elements: Vec<NodeId> = step
            .ancestor_elements
            .iter()
            .copied()
            .chain([step.element])
            .collect();
        let wanted = if parent { &parent_paths } else { &paths };
        let own = wanted.last().copied().unwrap_or_default();
        let found = select(own)?;
        if !found.is_empty() {
            return Ok(Some(found));
        }
        let mut failed = wanted.len().saturating_sub(1);
        while failed > 0 {
            let outer = wanted.get(failed - 1).copied().unwrap_or_default();
            if (parent && outer.is_empty()) || !select(outer)?.is_empty() {
                break;
            }
            failed -= 1;
        }
        let path = paths.get(failed).copied().unwrap_or_default();
        let element = elements.get(failed).copied().unwrap_or(step.element);
        let existed = run
            .original
            .is_some_and(|o| XPath::parse(path).is_ok_and(|x| !x.select_elements(o).is_empty()));
        let text = if existed {
            format!("'{path}' did not find a match, because matching nodes in the source document were modified or removed by a previous transform")
        } else {
            format!("No element in the source document matches '{path}'")
        };
        let severity = if parent {
            Severity::Error
        } else {
            Severity::Warning
        };
        log.push_diagnostic(severity, self.element_position(element), text);
        Ok(None)
    }

    /// Records where the elements of an inserted copy came from in the transform: the copy
    /// itself at its element's position; the elements inside it at the line they have in
    /// the transform, their column moved as Microsoft's reader of the copied markup moves
    /// it (by the copied element's column less 2).
    fn remember_inserted(&self, element: NodeId, copy: NodeId, document: &Document, run: &mut Run) {
        let top = self.element_position(element);
        run.inserted.insert(copy, top);
        let originals = self
            .document
            .descendants(element)
            .filter(|n| self.document.kind(*n) == NodeKind::Element);
        let copies = document
            .descendants(copy)
            .filter(|n| document.kind(*n) == NodeKind::Element);
        for (original, copied) in originals.zip(copies) {
            let at = self.element_position(original);
            let column = if at.line == top.line {
                at.column
            } else {
                (at.column + top.column).saturating_sub(2)
            };
            run.inserted.insert(
                copied,
                Position {
                    line: at.line,
                    column,
                },
            );
        }
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
        run: &mut Run,
    ) -> Result<(), Failure> {
        let cache = run.cache;
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
                crate::layout::lay_out_new(document, new)?;
                self.remember_inserted(element, new, document, run);
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
                crate::layout::lay_out_new(document, new)?;
                self.remember_inserted(element, new, document, run);
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
                    crate::layout::lay_out_new(document, new)?;
                    self.remember_inserted(element, new, document, run);
                    outcome.log.message(format!("Inserted '{name}' element"));
                    record(outcome, Some(new), None);
                }
            }
            Kind::InsertBefore | Kind::InsertAfter => {
                // As InsertBase.SiblingElement in XmlTransforms.cs: one XPath, evaluated
                // with the target parent as its context node, whose first match must be an
                // element; any other case is an error of this execution.
                let path = match step.arguments.as_slice() {
                    [] => {
                        return Err(Failure(format!(
                            "{name_of} requires an XPath argument",
                            name_of = step.kind.name()
                        )))
                    }
                    [one] => one.clone(),
                    _ => {
                        return Err(Failure(format!(
                            "Too many arguments to {}",
                            step.kind.name()
                        )))
                    }
                };
                let xpath = XPath::parse(&path).map_err(|e| {
                    Failure(format!("'{path}' is not a valid XPath expression: {e}"))
                })?;
                let sibling = match xpath.select_from(document, Item::Node(target)).first() {
                    Some(Item::Node(id)) if document.kind(*id) == NodeKind::Element => *id,
                    _ => return Err(Failure(format!("'{path}' does not evaluate to an element"))),
                };
                let parent = document
                    .parent(sibling)
                    .filter(|p| *p != NodeId::DOCUMENT)
                    .ok_or(Failure(format!("'{path}' does not evaluate to an element")))?;
                let before = if step.kind == Kind::InsertBefore {
                    Some(sibling)
                } else {
                    document.next_sibling(sibling)
                };
                let new = document.insert_copy(parent, before, &self.document, element, &keep)?;
                crate::layout::lay_out_new(document, new)?;
                self.remember_inserted(element, new, document, run);
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
                        position_of(document, target, &run.inserted),
                        "No attributes found to set".to_string(),
                    );
                }
                for (attribute, value) in &attributes {
                    set_attribute(document, target, attribute, value, &run.inserted)?;
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
                    if crate::layout::remove_attribute(document, target, attribute)? {
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
                        position_of(document, target, &run.inserted),
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
                        set_attribute(document, target, &attribute, &value, &run.inserted)?;
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

/// Sets an attribute; one it adds goes where Microsoft's writer puts it (see `layout`).
fn set_attribute(
    document: &mut Document,
    target: NodeId,
    name: &str,
    value: &str,
    inserted: &HashMap<NodeId, Position>,
) -> Result<(), DocumentEditError> {
    if document.attribute(target, name).is_some() {
        document.set_attribute(target, name, value)?;
        return Ok(());
    }
    let raw = value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    let ws = if inserted.contains_key(&target) {
        None
    } else {
        Some(crate::layout::added_attribute_whitespace(
            document, target, name, &raw,
        ))
    };
    document.set_attribute(target, name, value)?;
    if let Some(ws) = ws {
        document.set_attribute_whitespace(target, name, &ws)?;
    } else {
        crate::layout::lay_out_new(document, target)?;
    }
    Ok(())
}

/// Where an element of the result is, as Microsoft's line info gives it: its own position
/// in the source, or for an element a transform inserted the position it came from in the
/// transform file (XmlFileInfoDocument.cs, `CloneNodeFromOtherDocument`); line 0 when
/// neither is known.
fn position_of(
    document: &Document,
    element: NodeId,
    inserted: &HashMap<NodeId, Position>,
) -> Position {
    match inserted.get(&element) {
        Some(position) => *position,
        None => name_position(document, element),
    }
}

/// `Applying to 'name' element (source line L, C)`.
fn apply_message(
    document: &Document,
    target: NodeId,
    inserted: &HashMap<NodeId, Position>,
    log: &mut Log,
) {
    let name = document.name(target);
    let position = position_of(document, target, inserted);
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
