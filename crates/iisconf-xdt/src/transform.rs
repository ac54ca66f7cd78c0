//! A transform file read into a value: its document, the XDT prefix it uses, and for every
//! element the transform and locator it names and the XPath Microsoft's engine builds for it.

use crate::log::{Log, Severity};
use iisconf_xml::{Document, NodeId, NodeKind, ParseError, Position};

/// The XDT namespace.
pub const XDT_NAMESPACE: &str = "http://schemas.microsoft.com/XML-Document-Transform";

/// The transforms of XDT (Microsoft.Web.XmlTransform and App Service's extension).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Replaces the first selected element.
    Replace,
    /// Adds the element as the last child of each selected parent.
    Insert,
    /// Inserts the element before the element an XPath selects.
    InsertBefore,
    /// Inserts the element after the element an XPath selects.
    InsertAfter,
    /// Inserts the element where no element matches it yet.
    InsertIfMissing,
    /// Removes the first selected element.
    Remove,
    /// Removes every selected element.
    RemoveAll,
    /// Removes the named attributes of every selected element.
    RemoveAttributes,
    /// Sets the named (or all) attributes of every selected element.
    SetAttributes,
    /// Replaces the first selected element by a comment holding it.
    CommentOut,
    /// Inserts an attribute, or appends to its value (App Service).
    InsertOrAppendAttribute,
}

impl Kind {
    fn named(name: &str) -> Option<Kind> {
        Some(match name {
            "Replace" => Kind::Replace,
            "Insert" => Kind::Insert,
            "InsertBefore" => Kind::InsertBefore,
            "InsertAfter" => Kind::InsertAfter,
            "InsertIfMissing" => Kind::InsertIfMissing,
            "Remove" => Kind::Remove,
            "RemoveAll" => Kind::RemoveAll,
            "RemoveAttributes" => Kind::RemoveAttributes,
            "SetAttributes" => Kind::SetAttributes,
            "CommentOut" => Kind::CommentOut,
            "InsertOrAppendAttribute" => Kind::InsertOrAppendAttribute,
            _ => return None,
        })
    }

    /// The name as written in `xdt:Transform`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Replace => "Replace",
            Kind::Insert => "Insert",
            Kind::InsertBefore => "InsertBefore",
            Kind::InsertAfter => "InsertAfter",
            Kind::InsertIfMissing => "InsertIfMissing",
            Kind::Remove => "Remove",
            Kind::RemoveAll => "RemoveAll",
            Kind::RemoveAttributes => "RemoveAttributes",
            Kind::SetAttributes => "SetAttributes",
            Kind::CommentOut => "CommentOut",
            Kind::InsertOrAppendAttribute => "InsertOrAppendAttribute",
        }
    }

    /// Whether the transform acts on the parent of the element's path (the inserts).
    pub fn targets_parent(self) -> bool {
        matches!(
            self,
            Kind::Insert | Kind::InsertBefore | Kind::InsertAfter | Kind::InsertIfMissing
        )
    }
}

/// One `xdt:Transform` of the file.
#[derive(Clone, Debug)]
pub struct Step {
    /// The transform.
    pub kind: Kind,
    /// Its arguments, split at top-level commas and trimmed.
    pub arguments: Vec<String>,
    /// The element of the transform document that carries it.
    pub element: NodeId,
    /// Where its `xdt:Transform` attribute is in the transform file (Microsoft's
    /// "transform line").
    pub position: Position,
    /// The XPath of the element, as Microsoft builds it from its ancestors and locators.
    pub xpath: String,
    /// The XPaths of its ancestors, outermost first (to name the one that matched nothing).
    pub ancestors: Vec<String>,
    /// The ancestor elements those XPaths belong to, outermost first.
    pub ancestor_elements: Vec<NodeId>,
    /// Whether its element says `xdt:SupressWarnings="true"` (Microsoft's spelling): its
    /// warnings are then logged as plain messages.
    pub suppress_warnings: bool,
}

/// A transform file, read.
#[derive(Clone, Debug)]
pub struct Transform {
    /// The transform document.
    pub document: Document,
    /// The file's name, as messages name it.
    pub file: String,
    /// The prefix bound to the XDT namespace (`xdt` in practice).
    pub prefix: Option<String>,
    /// The transforms, in document order.
    pub steps: Vec<Step>,
    /// Errors found while reading (unknown transforms or locators, bad arguments).
    pub problems: Log,
}

/// A transform file that is not well-formed XML.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{file}:{}: {}", .error.position, .error.message)]
pub struct TransformParseError {
    /// The file.
    pub file: String,
    /// The XML error.
    pub error: ParseError,
}

/// Expands `%NAME%` for each given variable (as App Service does for `XDT_*`); other text,
/// unknown names included, stays literal.
pub fn expand_variables(text: &str, variables: &[(String, String)]) -> String {
    let mut out = text.to_string();
    for (name, value) in variables {
        out = out.replace(&format!("%{name}%"), value);
    }
    out
}

/// Splits an argument list at commas outside parentheses, brackets and quotes, trimming.
pub fn split_arguments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut quote = None;
    let mut current = String::new();
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            (None, ',') if depth == 0 => {
                out.push(current.trim().to_string());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() || !out.is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

/// `Name(arguments)` or `Name` → (name, arguments); `None` when the parenthesis is not
/// closed at the end.
fn call(text: &str) -> Option<(&str, Option<&str>)> {
    let text = text.trim();
    match text.find('(') {
        None => Some((text, None)),
        Some(open) => {
            let inner = text.get(open + 1..)?.strip_suffix(')')?;
            Some((text.get(..open)?.trim(), Some(inner)))
        }
    }
}

/// A literal for an XPath: `'v'`, or `"v"` when the value holds `'`.
fn literal(value: &str) -> String {
    if value.contains('\'') {
        format!("\"{value}\"")
    } else {
        format!("'{value}'")
    }
}

impl Transform {
    /// Reads a transform file (any encoding the document reader takes), expanding the
    /// given `%NAME%` variables first.
    pub fn parse(
        bytes: &[u8],
        file: &str,
        variables: &[(String, String)],
    ) -> Result<Transform, TransformParseError> {
        let fail = |error| TransformParseError {
            file: file.to_string(),
            error,
        };
        let document = if variables.is_empty() {
            Document::parse(bytes).map_err(fail)?
        } else {
            let plain = Document::parse(bytes).map_err(fail)?;
            let expanded = expand_variables(plain.source(), variables);
            Document::parse(&plain.encoding().encode(&expanded)).map_err(fail)?
        };
        Ok(Transform::from_document(document, file))
    }

    /// Reads the transforms of a parsed document.
    pub fn from_document(document: Document, file: &str) -> Transform {
        let prefix = xdt_prefix(&document);
        let mut transform = Transform {
            document,
            file: file.to_string(),
            prefix,
            steps: Vec::new(),
            problems: Log::default(),
        };
        transform.read_steps();
        transform
    }

    /// Whether a document declares the XDT namespace on its root element (so it is a
    /// transform, not a configuration).
    pub fn is_transform(document: &Document) -> bool {
        document.root_element().is_some_and(|root| {
            document
                .attributes(root)
                .any(|a| a.name.starts_with("xmlns") && a.value() == XDT_NAMESPACE)
        })
    }

    /// Whether `name` is an attribute of the XDT namespace, or the declaration of it.
    pub fn is_xdt_attribute(&self, name: &str, value: &str) -> bool {
        if name.starts_with("xmlns") && value == XDT_NAMESPACE {
            return true;
        }
        match (&self.prefix, name.split_once(':')) {
            (Some(prefix), Some((p, _))) => p == prefix,
            _ => false,
        }
    }

    /// The XDT attribute `local` of an element (`xdt:Transform`, `xdt:Locator`).
    pub fn xdt_attribute(&self, element: NodeId, local: &str) -> Option<String> {
        let prefix = self.prefix.as_deref()?;
        let name = format!("{prefix}:{local}");
        self.document
            .attribute_value(element, &name)
            .map(|v| v.into_owned())
    }

    /// The position of an element's name, as Microsoft's line info gives it.
    pub fn element_position(&self, element: NodeId) -> Position {
        name_position(&self.document, element)
    }

    /// The position of an element's XDT attribute `local`, else of the element.
    pub fn xdt_attribute_position(&self, element: NodeId, local: &str) -> Position {
        self.prefix
            .as_deref()
            .and_then(|p| self.document.attribute(element, &format!("{p}:{local}")))
            .and_then(|a| a.name_span)
            .map_or_else(
                || self.element_position(element),
                |s| self.document.position(s.start),
            )
    }

    fn problem(&mut self, element: NodeId, at: &str, message: String) {
        let position = self.xdt_attribute_position(element, at);
        self.problems
            .push_diagnostic(Severity::Error, position, message);
    }

    fn read_steps(&mut self) {
        let Some(root) = self.document.root_element() else {
            return;
        };
        // (element, the XPaths of its ancestors' contexts and those ancestors): depth first,
        // in document order.
        let mut pending = vec![(root, Vec::<String>::new(), Vec::<NodeId>::new())];
        while let Some((element, ancestors, ancestor_elements)) = pending.pop() {
            let parent_path = ancestors.last().cloned().unwrap_or_default();
            let problems_before = self.problems.lines.len();
            let xpath = self.element_xpath(element, &parent_path);
            // A transform whose locator cannot be read does not run (its error is logged).
            let locator_ok = self.problems.lines.len() == problems_before;
            if let Some(value) = self
                .xdt_attribute(element, "Transform")
                .filter(|_| locator_ok)
            {
                self.read_step(element, &value, &xpath, (&ancestors, &ancestor_elements));
            }
            let mut inner = ancestors;
            inner.push(xpath);
            let mut inner_elements = ancestor_elements;
            inner_elements.push(element);
            let children: Vec<NodeId> = self.document.child_elements(element).collect();
            for child in children.into_iter().rev() {
                pending.push((child, inner.clone(), inner_elements.clone()));
            }
        }
    }

    /// The XPath of an element: its parent's, `/name`, and what its locator adds.
    fn element_xpath(&mut self, element: NodeId, parent_path: &str) -> String {
        let name = self.document.name(element).to_string();
        let plain = format!("{parent_path}/{name}");
        let Some(locator) = self.xdt_attribute(element, "Locator") else {
            return plain;
        };
        let Some((kind, arguments)) = call(&locator) else {
            self.problem(
                element,
                "Locator",
                format!("'{locator}' is not a valid locator: its argument list is not closed"),
            );
            return plain;
        };
        let arguments = arguments.map(str::trim).unwrap_or_default();
        match kind {
            "Match" => {
                let names = split_arguments(arguments);
                if names.is_empty() {
                    self.problem(
                        element,
                        "Locator",
                        "Match requires at least one argument".to_string(),
                    );
                    return plain;
                }
                let mut tests = Vec::new();
                for attribute in names {
                    match self.document.attribute_value(element, &attribute) {
                        Some(value) => tests.push(format!("@{attribute}={}", literal(&value))),
                        None => self.problem(
                            element,
                            "Locator",
                            format!("No attribute '{attribute}' exists for the Match Locator"),
                        ),
                    }
                }
                if tests.is_empty() {
                    plain
                } else {
                    format!("{plain}[{}]", tests.join(" and "))
                }
            }
            "Condition" if !arguments.is_empty() => format!("{plain}[{arguments}]"),
            "XPath" if !arguments.is_empty() => arguments.to_string(),
            "Condition" | "XPath" => {
                self.problem(
                    element,
                    "Locator",
                    format!("{kind} requires exactly one argument"),
                );
                plain
            }
            other => {
                self.problem(
                    element,
                    "Locator",
                    format!("Could not resolve '{other}' as a type of Locator"),
                );
                plain
            }
        }
    }

    fn read_step(
        &mut self,
        element: NodeId,
        value: &str,
        xpath: &str,
        (ancestors, ancestor_elements): (&[String], &[NodeId]),
    ) {
        let Some((name, arguments)) = call(value) else {
            self.problem(
                element,
                "Transform",
                format!("'{value}' is not a valid transform: its argument list is not closed"),
            );
            return;
        };
        let Some(kind) = Kind::named(name) else {
            self.problem(
                element,
                "Transform",
                format!("Could not resolve '{name}' as a type of Transform"),
            );
            return;
        };
        let arguments = arguments.map(split_arguments).unwrap_or_default();
        // The transforms that take no arguments ignore any they are given, with a warning
        // when they run (Microsoft's `CommonErrors.ExpectNoArguments`).
        let expects = match kind {
            Kind::Replace
            | Kind::Insert
            | Kind::InsertIfMissing
            | Kind::Remove
            | Kind::RemoveAll
            | Kind::CommentOut => Some(0),
            Kind::InsertBefore | Kind::InsertAfter | Kind::InsertOrAppendAttribute => Some(1),
            Kind::RemoveAttributes | Kind::SetAttributes => None,
        };
        match expects {
            Some(1) if arguments.len() != 1 => {
                self.problem(
                    element,
                    "Transform",
                    format!("{name} requires exactly one argument"),
                );
                return;
            }
            None if kind == Kind::RemoveAttributes && arguments.is_empty() => {
                self.problem(
                    element,
                    "Transform",
                    format!("{name} requires at least one argument"),
                );
                return;
            }
            _ => {}
        }
        // As Microsoft's XmlTransformation.HandleElement reads it with Convert.ToBoolean:
        // `true` or `false` in any case, around spaces; anything else is an error and the
        // transform does not run.
        let suppress_warnings = match self.xdt_attribute(element, "SupressWarnings") {
            None => false,
            Some(value) => match value.trim().to_ascii_lowercase().as_str() {
                "true" => true,
                "false" => false,
                _ => {
                    self.problem(
                        element,
                        "SupressWarnings",
                        "String was not recognized as a valid Boolean.".to_string(),
                    );
                    return;
                }
            },
        };
        let position = self.xdt_attribute_position(element, "Transform");
        self.steps.push(Step {
            suppress_warnings,
            kind,
            arguments,
            element,
            position,
            xpath: xpath.to_string(),
            ancestors: ancestors.to_vec(),
            ancestor_elements: ancestor_elements.to_vec(),
        });
    }
}

/// The prefix an element of the document binds to the XDT namespace.
fn xdt_prefix(document: &Document) -> Option<String> {
    let root = document.root_element()?;
    std::iter::once(root)
        .chain(document.descendants(root))
        .filter(|n| document.kind(*n) == NodeKind::Element)
        .find_map(|n| {
            document
                .attributes(n)
                .find(|a| a.value() == XDT_NAMESPACE)
                .and_then(|a| a.name.strip_prefix("xmlns:").map(str::to_string))
        })
}

/// Line and column of an element's name (one past its `<`), as .NET's line info reports an
/// element; line 0 for an element an edit created.
pub fn name_position(document: &Document, element: NodeId) -> Position {
    match document.name_span(element) {
        Some(span) => document.position(span.start),
        None => Position { line: 0, column: 0 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_split_at_top_level_commas() {
        assert_eq!(split_arguments("a, b ,c"), ["a", "b", "c"]);
        assert_eq!(
            split_arguments("/a/b[@x='1,2' and f(1,2)]"),
            ["/a/b[@x='1,2' and f(1,2)]"]
        );
        assert!(split_arguments("  ").is_empty());
    }

    #[test]
    fn supress_warnings_reads_a_boolean() {
        let text = r#"<configuration xmlns:xdt="http://schemas.microsoft.com/XML-Document-Transform">
  <a xdt:Transform="Remove" xdt:SupressWarnings="TRUE" />
  <b xdt:Transform="Remove" />
  <c xdt:Transform="Remove" xdt:SupressWarnings="yes" />
</configuration>"#;
        let t =
            Transform::parse(text.as_bytes(), "t.config", &[]).unwrap_or_else(|e| panic!("{e}"));
        let suppressed: Vec<bool> = t.steps.iter().map(|s| s.suppress_warnings).collect();
        assert_eq!(suppressed, [true, false]);
        let errors: Vec<String> = t
            .problems
            .diagnostics()
            .map(|l| l.render("t.config", "s.config"))
            .collect();
        assert_eq!(
            errors,
            ["t.config (4, 29) error: String was not recognized as a valid Boolean."]
        );
    }

    #[test]
    fn paths_follow_locators() {
        let text = r#"<configuration xmlns:xdt="http://schemas.microsoft.com/XML-Document-Transform">
  <appSettings>
    <add key="k" value="v" xdt:Transform="SetAttributes" xdt:Locator="Match(key)" />
    <add xdt:Transform="Remove" xdt:Locator="Condition(@key='a' or @key='b')" />
    <add xdt:Transform="RemoveAll" xdt:Locator="XPath(//add[contains(@key,'x')])" />
  </appSettings>
</configuration>"#;
        let t =
            Transform::parse(text.as_bytes(), "t.config", &[]).unwrap_or_else(|e| panic!("{e}"));
        let paths: Vec<&str> = t.steps.iter().map(|s| s.xpath.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/configuration/appSettings/add[@key='k']",
                "/configuration/appSettings/add[@key='a' or @key='b']",
                "//add[contains(@key,'x')]",
            ]
        );
        assert_eq!(
            t.steps[0].position,
            Position {
                line: 3,
                column: 28
            }
        );
        assert!(t.problems.is_empty());
    }

    #[test]
    fn variables_expand_only_when_given() {
        let vars = vec![("XDT_SITENAME".to_string(), "site1".to_string())];
        assert_eq!(
            expand_variables("a %XDT_SITENAME% %OTHER%", &vars),
            "a site1 %OTHER%"
        );
    }
}
