//! Values NEW keeps at a lower path that a change above would otherwise reach: applying the
//! change at the higher path alone would carry it down there, so the emitters write NEW's
//! value at the lower path too.

use crate::model::{display_key, Detail, Difference, Kind, Step};
use iisconf_core::engine::{normalize_config_path, Effective, EffectiveElement, EffectiveEntry};

/// What keeps `report` (a change at a higher path) from reaching the path of `new`, NEW's
/// state there; `None` when nothing has to be written there.
pub(crate) fn shield(report: &Difference, new: &Effective, new_locked: bool) -> Option<Difference> {
    let path = normalize_config_path(&new.path);
    let mut pin = Difference {
        path: new.path.clone(),
        old: report.new.clone(),
        old_origin: None,
        new_origin: None,
        paths_below: 0,
        detail: Detail {
            path,
            steps: report.detail.steps.clone(),
            key: report.detail.key.clone(),
            directive: report.detail.directive.clone(),
            ..Detail::default()
        },
        ..report.clone()
    };
    match report.kind {
        Kind::Lock => {
            let mode = if new_locked { "Deny" } else { "Allow" };
            (report.new.as_deref() != Some(mode)).then(|| {
                pin.new = Some(mode.to_string());
                pin
            })
        }
        Kind::Changed => {
            let element = walk(&new.root, &report.detail.steps)?;
            let name = report.attribute.as_deref()?;
            let attribute = element.attribute(name);
            let value = attribute.map(|a| a.value.clone());
            (value != report.new).then(|| {
                pin.new = value;
                pin.detail.new_origin = attribute.map(|a| a.origin.clone());
                pin.new_origin = Difference::origin_text(pin.detail.new_origin.as_ref());
                pin
            })
        }
        Kind::Added => {
            let holder = walk(&new.root, &report.detail.steps)?;
            find(holder, &report.detail.key).is_none().then(|| {
                pin.kind = Kind::Removed;
                pin.key = Some(display_key(&report.detail.key));
                pin
            })
        }
        Kind::Removed => {
            let holder = walk(&new.root, &report.detail.steps)?;
            let entry = find(holder, &report.detail.key)?;
            pin.kind = Kind::Added;
            pin.detail.new_entries = vec![entry.element.clone()];
            pin.detail.directive = entry.directive.clone();
            pin.detail.new_origin = Some(entry.origin.clone());
            Some(pin)
        }
        Kind::Reordered => None,
    }
}

/// The element at `steps` below `root`.
fn walk<'e>(root: &'e EffectiveElement, steps: &[Step]) -> Option<&'e EffectiveElement> {
    let mut cur = root;
    for step in steps {
        cur = match step {
            Step::Element(name) => cur.child(name)?,
            Step::Entry(key) => &find(cur, key)?.element,
        };
    }
    Some(cur)
}

/// The entry of `holder` whose attributes hold `key` (compared without case).
fn find<'e>(holder: &'e EffectiveElement, key: &[(String, String)]) -> Option<&'e EffectiveEntry> {
    holder.entries.iter().find(|e| {
        key.iter().all(|(k, v)| {
            e.element
                .attribute(k)
                .is_some_and(|a| a.value.eq_ignore_ascii_case(v))
        })
    })
}
