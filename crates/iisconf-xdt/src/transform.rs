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
    /// The XPath of the parents a transform that acts on the parent (the inserts) acts on:
    /// the parent's XPath, or the element's own when its locator is `XPath` (Microsoft's
    /// `ParentXPath`, XmlLocators.cs).
    pub parent_xpath: String,
    /// The XPaths of its ancestors, outermost first (to name the one that matched nothing).
    pub ancestors: Vec<String>,
    /// The parent XPaths of its ancestors, outermost first.
    pub ancestor_parent_xpaths: Vec<String>,
    /// The ancestor elements those XPaths belong to, outermost first.
    pub ancestor_elements: Vec<NodeId>,
    /// Why the element's XPath cannot be built (a locator of its own or of an ancestor that
    /// cannot be read), with where Microsoft reports it: logged when the transform would
    /// run, and the transform does not run.
    pub path_error: Option<(Position, String)>,
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
    /// What reading found, in the order Microsoft logs it: the unknown XDT elements first,
    /// then, in document order, transforms that cannot be read and locators that cannot
    /// be built.
    pub problems: Log,
    /// The log lines and transforms in the order they are logged and run.
    plan: Vec<Planned>,
}

/// One entry of a transform's plan: a line logged as reading found it, or a transform run.
#[derive(Clone, Debug)]
pub(crate) enum Planned {
    /// A line logged at this point (an unknown element, a transform that cannot be read).
    Line(crate::log::Line),
    /// The transform `steps[i]`.
    Step(usize),
}

/// The transform types of the namespace Microsoft.Web.XmlTransform: named by a Locator
/// attribute, each is "'Microsoft.Web.XmlTransform.{type}' is not a type of Locator"
/// (NamedTypeFactory.cs, `Construct`).
const TRANSFORM_TYPES: &[&str] = &[
    "Replace",
    "Insert",
    "InsertBefore",
    "InsertAfter",
    "InsertIfMissing",
    "Remove",
    "RemoveAll",
    "RemoveAttributes",
    "SetAttributes",
    "SetTokenizedAttributes",
    "Transform",
];
/// The locator types of the namespace: named by a Transform attribute, each is "… is not a
/// type of Transform".
const LOCATOR_TYPES: &[&str] = &["Match", "Condition", "XPath", "DefaultLocator", "Locator"];

/// Microsoft's message for a Transform or Locator attribute that is not a name with an
/// optional argument list (Resources.resx, `XMLTRANSFORMATION_BadAttributeValue`).
const BAD_ATTRIBUTE_VALUE: &str = "Transform and Locator attributes must contain only a type name, or a type name followed by a list of attributes in parentheses.";

/// A name and its arguments, as Microsoft's XmlElementContext reads a Transform or Locator
/// attribute (`\A\s*(\w+)(\s*\((.*)\))?\s*\Z`): `None` when the value has another shape;
/// empty parentheses give no arguments.
fn name_and_arguments(value: &str) -> Option<(&str, Option<&str>)> {
    let text = value.trim();
    let end = text
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(text.len(), |(i, _)| i);
    let name = text.get(..end)?;
    if name.is_empty() {
        return None;
    }
    let rest = text.get(end..)?.trim_start();
    if rest.is_empty() {
        return Some((name, None));
    }
    let inner = rest.strip_prefix('(')?.strip_suffix(')')?;
    Some((name, (!inner.is_empty()).then_some(inner)))
}

/// The error for a type name that is not of `kind` (`Transform` or `Locator`).
fn unresolved(name: &str, kind: &str) -> String {
    let other = if kind == "Transform" {
        LOCATOR_TYPES
    } else {
        TRANSFORM_TYPES
    };
    if other.contains(&name) {
        format!("'Microsoft.Web.XmlTransform.{name}' is not a type of {kind}")
    } else {
        format!("Could not resolve '{name}' as a type of {kind}")
    }
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
            plan: Vec::new(),
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

    /// Logs an error found while reading, at this point of the plan.
    fn logged(&mut self, severity: Severity, position: Position, message: String) {
        self.problems.push_diagnostic(severity, position, message);
        if let Some(line) = self.problems.lines.last() {
            self.plan.push(Planned::Line(line.clone()));
        }
    }

    /// The elements of the XDT namespace that are not `Import`: Microsoft warns "Unknown
    /// tag" for each while reading the transform, before anything runs
    /// (XmlTransformation.cs, `PreprocessTransformDocument`).
    fn unknown_tags(&mut self) {
        let Some(prefix) = self.prefix.clone() else {
            return;
        };
        let Some(root) = self.document.root_element() else {
            return;
        };
        let unknown: Vec<NodeId> = std::iter::once(root)
            .chain(self.document.descendants(root))
            .filter(|n| self.document.kind(*n) == NodeKind::Element)
            .filter(|n| {
                self.document
                    .name(*n)
                    .split_once(':')
                    .is_some_and(|(p, local)| p == prefix && local != "Import")
            })
            .collect();
        for element in unknown {
            let name = self.document.name(element).to_string();
            let position = self.element_position(element);
            self.logged(Severity::Warning, position, format!("Unknown tag '{name}'"));
        }
    }

    fn read_steps(&mut self) {
        self.unknown_tags();
        let Some(root) = self.document.root_element() else {
            return;
        };
        // (element, its parent's context): depth first, in document order.
        let mut pending = vec![(root, Context::default())];
        while let Some((element, parent)) = pending.pop() {
            let path = self.element_paths(element, &parent);
            let mut context = parent;
            context.paths.push(path);
            context.elements.push(element);
            if let Some(value) = self.xdt_attribute(element, "Transform") {
                // As XmlTransformation.HandleElement: a transform that cannot be read is
                // an error, and the elements inside it are not visited.
                if !self.read_step(element, &value, &context) {
                    continue;
                }
            }
            let children: Vec<NodeId> = self.document.child_elements(element).collect();
            for child in children.into_iter().rev() {
                pending.push((child, context.clone()));
            }
        }
    }

    /// The XPath and parent XPath of an element (XmlLocators.cs), or why they cannot be
    /// built and where Microsoft reports it: at the Locator attribute when its value cannot
    /// be read or names no locator, at the element when the locator rejects its arguments;
    /// an ancestor's error is the element's.
    fn element_paths(
        &self,
        element: NodeId,
        parent: &Context,
    ) -> Result<Paths, (Position, String)> {
        let parent_path = match parent.paths.last() {
            Some(Ok(p)) => p.xpath.clone(),
            Some(Err(e)) => return Err(e.clone()),
            None => String::new(),
        };
        let name = self.document.name(element).to_string();
        let plain = format!("{}/{name}", parent_path.trim_end_matches('/'));
        let default = Paths {
            xpath: plain.clone(),
            parent_xpath: parent_path.clone(),
        };
        let Some(locator) = self.xdt_attribute(element, "Locator") else {
            return Ok(default);
        };
        let at_attribute = self.xdt_attribute_position(element, "Locator");
        let at_element = self.element_position(element);
        let Some((kind, arguments)) = name_and_arguments(&locator) else {
            return Err((at_attribute, BAD_ATTRIBUTE_VALUE.to_string()));
        };
        let arguments = arguments.map(split_arguments);
        let exactly_one = |arguments: &Option<Vec<String>>| match arguments.as_deref() {
            Some([one]) => Ok(one.clone()),
            _ => Err((at_element, format!("{kind} requires exactly 1 arguments"))),
        };
        match kind {
            "Match" => {
                let names = arguments.unwrap_or_default();
                if names.is_empty() {
                    return Err((
                        at_element,
                        "Match requires at least 1 arguments".to_string(),
                    ));
                }
                let mut tests = Vec::new();
                for attribute in names {
                    match self.document.attribute_value(element, &attribute) {
                        Some(value) => tests.push(format!("@{attribute}={}", literal(&value))),
                        None => {
                            return Err((
                                at_element,
                                format!("No attribute '{attribute}' exists for the Match Locator"),
                            ))
                        }
                    }
                }
                Ok(Paths {
                    xpath: format!("{plain}[{}]", tests.join(" and ")),
                    parent_xpath: parent_path,
                })
            }
            "Condition" => {
                let condition = exactly_one(&arguments)?;
                let bracketed = match (condition.starts_with('['), condition.ends_with(']')) {
                    (true, true) => condition,
                    (true, false) => format!("{condition}]"),
                    (false, true) => format!("[{condition}"),
                    (false, false) => format!("[{condition}]"),
                };
                Ok(Paths {
                    xpath: format!("{plain}{bracketed}"),
                    parent_xpath: parent_path,
                })
            }
            "XPath" => {
                // An absolute path is used as it is; a relative one follows the element's
                // own path, `/./` folded to `/` (XmlLocators.cs, `XPath.ConstructPath`). The
                // path is also the parent path.
                let path = exactly_one(&arguments)?;
                let xpath = if path.starts_with('/') {
                    path
                } else {
                    format!("{plain}/{path}").replace("/./", "/")
                };
                Ok(Paths {
                    parent_xpath: xpath.clone(),
                    xpath,
                })
            }
            "DefaultLocator" => Ok(default),
            other => Err((at_attribute, unresolved(other, "Locator"))),
        }
    }

    /// Reads the transform of an element into a step; `false` (after logging the error)
    /// when it cannot be read, as Microsoft's engine then skips the element's children.
    fn read_step(&mut self, element: NodeId, value: &str, context: &Context) -> bool {
        let at_attribute = self.xdt_attribute_position(element, "Transform");
        let Some((name, arguments)) = name_and_arguments(value) else {
            self.logged(
                Severity::Error,
                at_attribute,
                BAD_ATTRIBUTE_VALUE.to_string(),
            );
            return false;
        };
        let Some(kind) = Kind::named(name) else {
            self.logged(Severity::Error, at_attribute, unresolved(name, "Transform"));
            return false;
        };
        let arguments = arguments.map(split_arguments).unwrap_or_default();
        let wrong_count = match kind {
            Kind::InsertOrAppendAttribute if arguments.len() != 1 => {
                Some(format!("{name} requires exactly one argument"))
            }
            Kind::RemoveAttributes if arguments.is_empty() => {
                Some(format!("{name} requires at least one argument"))
            }
            _ => None,
        };
        if let Some(message) = wrong_count {
            self.logged(Severity::Error, at_attribute, message);
            return false;
        }
        // As Microsoft's XmlTransformation.HandleElement reads it with Convert.ToBoolean:
        // `true` or `false` in any case, around spaces; anything else is an error at the
        // element, and neither the transform nor the elements inside it run.
        let suppress_warnings = match self.xdt_attribute(element, "SupressWarnings") {
            None => false,
            Some(value) => match value.trim().to_ascii_lowercase().as_str() {
                "true" => true,
                "false" => false,
                _ => {
                    let at = self.element_position(element);
                    self.logged(
                        Severity::Error,
                        at,
                        "String was not recognized as a valid Boolean.".to_string(),
                    );
                    return false;
                }
            },
        };
        let Some((own, outer)) = context.paths.split_last() else {
            return false;
        };
        let ancestors: Vec<&Paths> = outer.iter().filter_map(|p| p.as_ref().ok()).collect();
        let (xpath, parent_xpath, path_error) = match own {
            Ok(p) => (p.xpath.clone(), p.parent_xpath.clone(), None),
            Err(e) => (String::new(), String::new(), Some(e.clone())),
        };
        if let Some((position, message)) = &path_error {
            self.problems
                .push_diagnostic(Severity::Error, *position, message.clone());
        }
        self.steps.push(Step {
            suppress_warnings,
            kind,
            arguments,
            element,
            position: at_attribute,
            xpath,
            parent_xpath,
            ancestors: ancestors.iter().map(|p| p.xpath.clone()).collect(),
            ancestor_parent_xpaths: ancestors.iter().map(|p| p.parent_xpath.clone()).collect(),
            ancestor_elements: context
                .elements
                .get(..context.elements.len().saturating_sub(1))
                .unwrap_or_default()
                .to_vec(),
            path_error,
        });
        self.plan.push(Planned::Step(self.steps.len() - 1));
        true
    }

    /// The plan: the lines to log and the transforms to run, in order.
    pub(crate) fn plan(&self) -> &[Planned] {
        &self.plan
    }
}

/// The XPath and parent XPath of one element of the transform.
#[derive(Clone, Debug)]
struct Paths {
    xpath: String,
    parent_xpath: String,
}

/// The paths of an element's ancestors and of the element, outermost first.
#[derive(Clone, Debug, Default)]
struct Context {
    paths: Vec<Result<Paths, (Position, String)>>,
    elements: Vec<NodeId>,
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
            ["t.config (4, 4) error: String was not recognized as a valid Boolean."]
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
