//! Where an added collection entry goes: appcmd's position prefix (`[@start,…]`,
//! `[@end,…]`, `[@N,…]`) placed among the entries written at the commit level.
//!
//! N counts the collection as it is in effect at the path (inherited entries first), as
//! IIS's `IAppHostElementCollection::AddElement(pElement, cPosition)` counts it, and an N
//! greater than the number of entries is refused as there (ERROR_INVALID_INDEX;
//! <https://learn.microsoft.com/en-us/iis/web-development-reference/native-code-api-reference/iapphostelementcollection-addelement-method>).
//! An entry cannot be placed before inherited ones without rewriting them: IIS does that by
//! clearing the collection at the level and writing every entry again; iisconf refuses and
//! says how to do it explicitly.

use super::entries::walk_effective;
use super::grammar::EntryPosition;
use super::path::Step;
use super::workspace::Workspace;
use super::{Change, EditError};
use iisconf_core::schema::{CollectionSchema, SectionSchema};
use iisconf_xml::{Document, NodeId};

impl Change {
    /// The position of an [`Change::Insert`]; `None` for any other change.
    pub fn position(&self) -> Option<EntryPosition> {
        match self {
            Change::Insert { position, .. } => Some(*position),
            _ => None,
        }
    }
}

impl Workspace {
    /// How many entries the collection at `steps` has in effect at `path` (0 for a change
    /// without a position, which needs no count).
    pub(super) fn effective_entries(
        &mut self,
        path: &str,
        schema: &SectionSchema,
        steps: &[Step],
        change: &Change,
    ) -> Result<usize, EditError> {
        if change.position().is_none() {
            return Ok(0);
        }
        let vars = self.vars().clone();
        let eff = self.effective(path, &schema.name)?;
        let mut sch = &schema.root;
        for step in steps {
            sch = match step {
                Step::Element(n) => sch.element(n).unwrap_or(sch),
                Step::Entry(_) => match sch.collection() {
                    Some(c) => &c.entry,
                    None => sch,
                },
            };
        }
        let Some(coll) = sch.collection() else {
            return Ok(0);
        };
        Ok(
            walk_effective(eff, &schema.root, &vars, steps).map_or(0, |e| {
                e.entries
                    .iter()
                    .filter(|x| coll.add_elements.contains(&x.directive))
                    .count()
            }),
        )
    }
}

/// Writes a new entry into the collection element `node` at `position` (`None`: last);
/// `effective` is how many entries the collection has in effect, inherited ones included.
pub(super) fn insert_entry(
    doc: &mut Document,
    node: NodeId,
    coll: &CollectionSchema,
    directive: &str,
    attrs: &[(&str, &str)],
    position: Option<EntryPosition>,
    effective: usize,
) -> Result<NodeId, EditError> {
    let wanted = match position {
        None | Some(EntryPosition::End) => return Ok(doc.append_element(node, directive, attrs)?),
        Some(EntryPosition::Start) => 0,
        Some(EntryPosition::Index(n)) => n,
    };
    let children: Vec<NodeId> = doc.child_elements(node).collect();
    let local: Vec<usize> = children
        .iter()
        .enumerate()
        .filter(|(_, c)| coll.add_elements.iter().any(|a| a == doc.name(**c)))
        .map(|(i, _)| i)
        .collect();
    let inherited = effective.saturating_sub(local.len());
    let count = inherited + local.len();
    if wanted > count {
        return Err(EditError::Schema(format!(
            "Invalid index: [@{wanted},…] is past the end of a collection of {count} entr{} (ERROR_INVALID_INDEX); use @end, or an index from 0 to {count}",
            if count == 1 { "y" } else { "ies" }
        )));
    }
    if wanted < inherited {
        let prefix = position.map(|p| p.to_string()).unwrap_or_default();
        return Err(EditError::Schema(format!(
            "[{prefix},…] would put the entry before the {inherited} entr{} inherited from above; IIS does that by clearing the collection here and writing every entry again, which iisconf does not do silently: add the entry without a position, or clear the collection at this level first and add the entries in the order wanted",
            if inherited == 1 { "y" } else { "ies" }
        )));
    }
    match local.get(wanted - inherited) {
        Some(&index) => Ok(doc.insert_element(node, index, directive, attrs)?),
        None => Ok(doc.append_element(node, directive, attrs)?),
    }
}
