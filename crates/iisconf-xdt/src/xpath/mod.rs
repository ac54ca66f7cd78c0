//! A small XPath 1.0 evaluator over the lossless document, as transforms use XPath: location
//! paths on the child, descendant, self, parent, ancestor and attribute axes with
//! predicates; `and`, `or`, comparisons, `+`/`-`, unions; and the functions `not`,
//! `contains`, `starts-with`, `ends-with`, `position`, `last`, `count`, `normalize-space`,
//! `translate`, `string-length`, `string`, `concat`, `name`, `local-name`, `true`, `false`,
//! `boolean` and `number`.
//!
//! No crate evaluates XPath over a tree that keeps every byte of its source, so this one
//! walks [`Document`] directly. Names are compared as written (prefix included).

mod parse;

use iisconf_xml::{Document, NodeId, NodeKind};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// An expression that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct XPathError {
    /// What is wrong.
    pub message: String,
}

impl XPathError {
    fn new(message: impl Into<String>) -> XPathError {
        XPathError {
            message: message.into(),
        }
    }
}

/// An operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
}

/// An axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Axis {
    Child,
    Descendant,
    DescendantOrSelf,
    Itself,
    Parent,
    Ancestor,
    AncestorOrSelf,
    Attribute,
    FollowingSibling,
    PrecedingSibling,
}

impl Axis {
    fn named(name: &str) -> Option<Axis> {
        Some(match name {
            "child" => Axis::Child,
            "descendant" => Axis::Descendant,
            "descendant-or-self" => Axis::DescendantOrSelf,
            "self" => Axis::Itself,
            "parent" => Axis::Parent,
            "ancestor" => Axis::Ancestor,
            "ancestor-or-self" => Axis::AncestorOrSelf,
            "attribute" => Axis::Attribute,
            "following-sibling" => Axis::FollowingSibling,
            "preceding-sibling" => Axis::PrecedingSibling,
            _ => return None,
        })
    }
}

/// What a step selects on its axis.
#[derive(Clone, Debug, PartialEq)]
enum NodeTest {
    Name(String),
    Any,
    Node,
    Text,
    Comment,
}

#[derive(Clone, Debug, PartialEq)]
struct Step {
    axis: Axis,
    test: NodeTest,
    predicates: Vec<Expr>,
}

impl Step {
    fn new(axis: Axis, test: NodeTest) -> Step {
        Step {
            axis,
            test,
            predicates: Vec::new(),
        }
    }

    fn descendant_or_self() -> Step {
        Step::new(Axis::DescendantOrSelf, NodeTest::Node)
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Expr {
    Binary(Op, Box<Expr>, Box<Expr>),
    Negate(Box<Expr>),
    Union(Box<Expr>, Box<Expr>),
    Filter(Box<Expr>, Vec<Expr>),
    Path {
        start: Option<Box<Expr>>,
        absolute: bool,
        steps: Vec<Step>,
    },
    Literal(String),
    Number(f64),
    Call(String, Vec<Expr>),
}

/// A node an expression selects: a node of the document or one attribute of an element.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Item {
    /// A node (element, text, comment …, or the document itself).
    Node(NodeId),
    /// The `index`-th attribute of an element.
    Attribute(NodeId, usize),
}

/// The value of an expression.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Nodes(Vec<Item>),
    Text(String),
    Number(f64),
    Bool(bool),
}

/// A parsed XPath expression.
#[derive(Clone, Debug, PartialEq)]
pub struct XPath {
    expr: Expr,
}

/// Where an expression is evaluated: the node, its position in the set it came from, and
/// that set's size.
#[derive(Clone, Copy)]
struct Context {
    item: Item,
    position: usize,
    size: usize,
}

impl XPath {
    /// Parses an expression.
    pub fn parse(text: &str) -> Result<XPath, XPathError> {
        parse::parse(text).map(|expr| XPath { expr })
    }

    /// The nodes the expression selects from the document node (in document order for
    /// paths; empty when it is not a node-set).
    pub fn select(&self, doc: &Document) -> Vec<Item> {
        self.select_from(doc, Item::Node(NodeId::DOCUMENT))
    }

    /// The nodes the expression selects from `from`.
    pub fn select_from(&self, doc: &Document, from: Item) -> Vec<Item> {
        let context = Context {
            item: from,
            position: 1,
            size: 1,
        };
        let evaluator = Evaluator { doc, cache: None };
        match evaluator.eval(&self.expr, context) {
            Value::Nodes(items) => items,
            _ => Vec::new(),
        }
    }

    /// The elements the expression selects from the document node.
    pub fn select_elements(&self, doc: &Document) -> Vec<NodeId> {
        self.select_elements_cached(doc, &RefCell::default())
    }

    /// Like [`XPath::select_elements`], keeping what it learns about the document in
    /// `cache` for the next expressions (see [`SelectCache`]).
    pub fn select_elements_cached(
        &self,
        doc: &Document,
        cache: &RefCell<SelectCache>,
    ) -> Vec<NodeId> {
        let context = Context {
            item: Item::Node(NodeId::DOCUMENT),
            position: 1,
            size: 1,
        };
        let evaluator = Evaluator {
            doc,
            cache: Some(cache),
        };
        let items = match evaluator.eval(&self.expr, context) {
            Value::Nodes(items) => items,
            _ => Vec::new(),
        };
        items
            .into_iter()
            .filter_map(|item| match item {
                Item::Node(id) if doc.kind(id) == NodeKind::Element => Some(id),
                _ => None,
            })
            .collect()
    }

    /// Whether the expression is true for `from` (XPath's `boolean()` of its value).
    pub fn test(&self, doc: &Document, from: Item) -> bool {
        let context = Context {
            item: from,
            position: 1,
            size: 1,
        };
        let evaluator = Evaluator { doc, cache: None };
        let value = evaluator.eval(&self.expr, context);
        evaluator.boolean(&value)
    }
}

/// What evaluations learnt about a document, for the next ones: the element children of an
/// element by name, and those children by the value of an attribute. A transform evaluates
/// one path per step, most of them below the same large parent (`sites`, `appSettings`),
/// and these tables turn each step's scan of that parent into a lookup. Valid while the
/// document does not change: clear it after an edit that adds or removes elements, and
/// [`SelectCache::forget_attribute`] after one that changes an attribute.
#[derive(Debug, Default)]
pub struct SelectCache {
    children: HashMap<(NodeId, String), Rc<Vec<NodeId>>>,
    by_value: HashMap<(NodeId, String, String), Rc<ValueTable>>,
}

/// Elements by the value of one of their attributes, each list in document order.
type ValueTable = HashMap<String, Vec<NodeId>>;

impl SelectCache {
    /// Forgets everything (after elements were added or removed).
    pub fn clear(&mut self) {
        self.children.clear();
        self.by_value.clear();
    }

    /// Forgets the tables keyed by attribute `name` (after its value changed somewhere).
    pub fn forget_attribute(&mut self, name: &str) {
        self.by_value
            .retain(|(_, _, attribute), _| attribute != name);
    }
}

struct Evaluator<'a> {
    doc: &'a Document,
    cache: Option<&'a RefCell<SelectCache>>,
}

impl Evaluator<'_> {
    fn eval(&self, expr: &Expr, cx: Context) -> Value {
        match expr {
            Expr::Literal(s) => Value::Text(s.clone()),
            Expr::Number(n) => Value::Number(*n),
            Expr::Negate(inner) => Value::Number(-self.number(&self.eval(inner, cx))),
            Expr::Binary(op, left, right) => self.binary(*op, left, right, cx),
            Expr::Union(left, right) => {
                let mut items = self.nodes(self.eval(left, cx));
                items.extend(self.nodes(self.eval(right, cx)));
                Value::Nodes(unique(items))
            }
            Expr::Filter(primary, predicates) => {
                let items = self.nodes(self.eval(primary, cx));
                Value::Nodes(self.filter(items, predicates))
            }
            Expr::Path {
                start,
                absolute,
                steps,
            } => {
                let mut items = match (start, absolute) {
                    (Some(start), _) => self.nodes(self.eval(start, cx)),
                    (None, true) => vec![Item::Node(NodeId::DOCUMENT)],
                    (None, false) => vec![cx.item],
                };
                for step in steps {
                    items = self.step(&items, step);
                }
                Value::Nodes(items)
            }
            Expr::Call(name, args) => self.call(name, args, cx),
        }
    }

    fn nodes(&self, value: Value) -> Vec<Item> {
        match value {
            Value::Nodes(items) => items,
            _ => Vec::new(),
        }
    }

    fn binary(&self, op: Op, left: &Expr, right: &Expr, cx: Context) -> Value {
        match op {
            Op::Or => {
                let l = self.eval(left, cx);
                Value::Bool(
                    self.boolean(&l) || {
                        let r = self.eval(right, cx);
                        self.boolean(&r)
                    },
                )
            }
            Op::And => {
                let l = self.eval(left, cx);
                Value::Bool(
                    self.boolean(&l) && {
                        let r = self.eval(right, cx);
                        self.boolean(&r)
                    },
                )
            }
            Op::Add | Op::Sub => {
                let l = self.number(&self.eval(left, cx));
                let r = self.number(&self.eval(right, cx));
                Value::Number(if op == Op::Add { l + r } else { l - r })
            }
            _ => {
                let l = self.eval(left, cx);
                let r = self.eval(right, cx);
                Value::Bool(self.compare(op, &l, &r))
            }
        }
    }

    /// XPath 1.0 comparison: node-sets compare through the string values of their nodes.
    fn compare(&self, op: Op, left: &Value, right: &Value) -> bool {
        match (left, right) {
            (Value::Nodes(l), Value::Nodes(r)) => l.iter().any(|a| {
                let a = Value::Text(self.string_value(*a));
                r.iter()
                    .any(|b| self.compare(op, &a, &Value::Text(self.string_value(*b))))
            }),
            (Value::Nodes(l), other) => l
                .iter()
                .any(|a| self.compare(op, &self.atom_like(*a, other), other)),
            (other, Value::Nodes(r)) => r
                .iter()
                .any(|b| self.compare(op, other, &self.atom_like(*b, other))),
            _ => match op {
                Op::Eq | Op::Ne => {
                    let equal = match (left, right) {
                        (Value::Bool(_), _) | (_, Value::Bool(_)) => {
                            self.boolean(left) == self.boolean(right)
                        }
                        (Value::Number(_), _) | (_, Value::Number(_)) => {
                            self.number(left) == self.number(right)
                        }
                        _ => self.string(left) == self.string(right),
                    };
                    equal == (op == Op::Eq)
                }
                _ => {
                    let (l, r) = (self.number(left), self.number(right));
                    match op {
                        Op::Lt => l < r,
                        Op::Le => l <= r,
                        Op::Gt => l > r,
                        _ => l >= r,
                    }
                }
            },
        }
    }

    /// A node's value as the kind of `like` (for comparing a node-set with an atom).
    fn atom_like(&self, item: Item, like: &Value) -> Value {
        let text = self.string_value(item);
        match like {
            Value::Number(_) => Value::Number(to_number(&text)),
            Value::Bool(_) => Value::Bool(true),
            _ => Value::Text(text),
        }
    }

    fn boolean(&self, value: &Value) -> bool {
        match value {
            Value::Nodes(items) => !items.is_empty(),
            Value::Text(s) => !s.is_empty(),
            Value::Number(n) => *n != 0.0 && !n.is_nan(),
            Value::Bool(b) => *b,
        }
    }

    fn number(&self, value: &Value) -> f64 {
        match value {
            Value::Number(n) => *n,
            Value::Bool(b) => f64::from(u8::from(*b)),
            other => to_number(&self.string(other)),
        }
    }

    fn string(&self, value: &Value) -> String {
        match value {
            Value::Nodes(items) => items
                .first()
                .map(|i| self.string_value(*i))
                .unwrap_or_default(),
            Value::Text(s) => s.clone(),
            Value::Number(n) => number_text(*n),
            Value::Bool(b) => b.to_string(),
        }
    }

    /// The string value of a node: an attribute's value, a text's text, an element's
    /// descendant text.
    fn string_value(&self, item: Item) -> String {
        let doc = self.doc;
        match item {
            Item::Attribute(id, index) => doc
                .attributes(id)
                .nth(index)
                .map(|a| a.value().into_owned())
                .unwrap_or_default(),
            Item::Node(id) => match doc.kind(id) {
                NodeKind::Element | NodeKind::Document => doc
                    .descendants(id)
                    .filter(|d| matches!(doc.kind(*d), NodeKind::Text | NodeKind::CData))
                    .map(|d| self.string_value(Item::Node(d)))
                    .collect(),
                NodeKind::Text => doc.text(id).into_owned(),
                NodeKind::CData => {
                    let raw = doc.raw_text(id);
                    raw.strip_prefix("<![CDATA[")
                        .and_then(|r| r.strip_suffix("]]>"))
                        .unwrap_or(raw)
                        .to_string()
                }
                NodeKind::Comment => {
                    let raw = doc.raw_text(id);
                    raw.strip_prefix("<!--")
                        .and_then(|r| r.strip_suffix("-->"))
                        .unwrap_or(raw)
                        .to_string()
                }
                _ => String::new(),
            },
        }
    }

    fn name_of(&self, item: Item) -> String {
        match item {
            Item::Attribute(id, index) => self
                .doc
                .attributes(id)
                .nth(index)
                .map(|a| a.name.to_string())
                .unwrap_or_default(),
            Item::Node(id) => self.doc.name(id).to_string(),
        }
    }

    fn step(&self, items: &[Item], step: &Step) -> Vec<Item> {
        let mut out = Vec::new();
        for item in items {
            if let Some(found) = self.cached_step(*item, step) {
                out.extend(found);
                continue;
            }
            let candidates: Vec<Item> = match (step.axis, &step.test, item) {
                // The common step of a transform's path: children by name, found without
                // collecting every child first (a large file's root has tens of thousands).
                (Axis::Child, NodeTest::Name(name), Item::Node(id)) => self
                    .doc
                    .child_elements(*id)
                    .filter(|c| self.doc.name(*c) == name)
                    .map(Item::Node)
                    .collect(),
                _ => self
                    .axis(*item, step.axis)
                    .into_iter()
                    .filter(|c| self.matches(*c, step))
                    .collect(),
            };
            out.extend(self.filter(candidates, &step.predicates));
        }
        if items.len() > 1 {
            unique(out)
        } else {
            out
        }
    }

    fn filter(&self, mut items: Vec<Item>, predicates: &[Expr]) -> Vec<Item> {
        for predicate in predicates {
            let size = items.len();
            items = items
                .into_iter()
                .enumerate()
                .filter(|(i, item)| {
                    if let Some(result) = self.quick_predicate(predicate, *item) {
                        return result;
                    }
                    let cx = Context {
                        item: *item,
                        position: i + 1,
                        size,
                    };
                    match self.eval(predicate, cx) {
                        Value::Number(n) => n == (i + 1) as f64,
                        other => self.boolean(&other),
                    }
                })
                .map(|(_, item)| item)
                .collect();
        }
        items
    }

    /// A child step by name through the cache: its children by name, narrowed through the
    /// table of an attribute's values when the first predicate is `@a='v'` (alone or
    /// joined with others by `and`, all of that simple form). `None` without a cache or
    /// for other steps.
    fn cached_step(&self, item: Item, step: &Step) -> Option<Vec<Item>> {
        let cache = self.cache?;
        let (Axis::Child, NodeTest::Name(name), Item::Node(parent)) = (step.axis, &step.test, item)
        else {
            return None;
        };
        let children = {
            let mut cache = cache.borrow_mut();
            let key = (parent, name.clone());
            Rc::clone(cache.children.entry(key).or_insert_with(|| {
                Rc::new(
                    self.doc
                        .child_elements(parent)
                        .filter(|c| self.doc.name(*c) == name)
                        .collect(),
                )
            }))
        };
        let (candidates, rest): (Vec<Item>, &[Expr]) = match step.predicates.split_first() {
            Some((first, rest)) if self.is_quick(first) => match first_equality(first) {
                Some((attribute, value)) => {
                    let table = self.value_table(cache, parent, name, attribute, &children);
                    let hits = table.get(value).map(Vec::as_slice).unwrap_or_default();
                    let found = hits
                        .iter()
                        .map(|id| Item::Node(*id))
                        .filter(|i| self.quick_predicate(first, *i) == Some(true))
                        .collect();
                    (found, rest)
                }
                None => (
                    children.iter().map(|c| Item::Node(*c)).collect(),
                    &step.predicates,
                ),
            },
            _ => (
                children.iter().map(|c| Item::Node(*c)).collect(),
                &step.predicates,
            ),
        };
        Some(self.filter(candidates, rest))
    }

    /// The children of `parent` named `name`, by the value of their attribute `attribute`.
    fn value_table(
        &self,
        cache: &RefCell<SelectCache>,
        parent: NodeId,
        name: &str,
        attribute: &str,
        children: &[NodeId],
    ) -> Rc<ValueTable> {
        let mut cache = cache.borrow_mut();
        let key = (parent, name.to_string(), attribute.to_string());
        Rc::clone(cache.by_value.entry(key).or_insert_with(|| {
            let mut table = ValueTable::new();
            for child in children {
                if let Some(value) = self.doc.attribute_value(*child, attribute) {
                    table.entry(value.into_owned()).or_default().push(*child);
                }
            }
            Rc::new(table)
        }))
    }

    /// Whether [`Evaluator::quick_predicate`] decides `predicate` (on any element).
    fn is_quick(&self, predicate: &Expr) -> bool {
        match predicate {
            Expr::Binary(Op::And | Op::Or, left, right) => {
                self.is_quick(left) && self.is_quick(right)
            }
            other => attribute_equality(other).is_some(),
        }
    }

    /// The predicates locators write (`@name='value'`, joined by `and`/`or`), decided on
    /// an element without building values; `None` for any other predicate.
    fn quick_predicate(&self, predicate: &Expr, item: Item) -> Option<bool> {
        let Item::Node(id) = item else {
            return None;
        };
        match predicate {
            Expr::Binary(Op::And, left, right) => {
                Some(self.quick_predicate(left, item)? && self.quick_predicate(right, item)?)
            }
            Expr::Binary(Op::Or, left, right) => {
                Some(self.quick_predicate(left, item)? || self.quick_predicate(right, item)?)
            }
            other => {
                let (attribute, op, value) = attribute_equality(other)?;
                let equal = self
                    .doc
                    .attribute(id, attribute)
                    .map(|a| equal_value(&a, value));
                Some(match (equal, op) {
                    (None, _) => false,
                    (Some(equal), Op::Eq) => equal,
                    (Some(equal), _) => !equal,
                })
            }
        }
    }

    fn matches(&self, item: Item, step: &Step) -> bool {
        let doc = self.doc;
        match (&step.test, item) {
            (NodeTest::Node, _) => true,
            (NodeTest::Text, Item::Node(id)) => {
                matches!(doc.kind(id), NodeKind::Text | NodeKind::CData)
            }
            (NodeTest::Comment, Item::Node(id)) => doc.kind(id) == NodeKind::Comment,
            (NodeTest::Any, Item::Attribute(..)) => true,
            (NodeTest::Any, Item::Node(id)) => doc.kind(id) == NodeKind::Element,
            (NodeTest::Name(name), Item::Attribute(..)) => self.name_of(item) == *name,
            (NodeTest::Name(name), Item::Node(id)) => {
                doc.kind(id) == NodeKind::Element && doc.name(id) == name
            }
            _ => false,
        }
    }

    fn axis(&self, item: Item, axis: Axis) -> Vec<Item> {
        let doc = self.doc;
        let node = match item {
            Item::Node(id) => id,
            Item::Attribute(owner, _) => {
                return match axis {
                    Axis::Itself | Axis::DescendantOrSelf => vec![item],
                    Axis::Parent => vec![Item::Node(owner)],
                    Axis::Ancestor | Axis::AncestorOrSelf => {
                        let mut out = if axis == Axis::AncestorOrSelf {
                            vec![item]
                        } else {
                            Vec::new()
                        };
                        out.extend(self.ancestors(owner, true));
                        out
                    }
                    _ => Vec::new(),
                };
            }
        };
        match axis {
            Axis::Child => doc.children(node).map(Item::Node).collect(),
            Axis::Descendant => doc.descendants(node).map(Item::Node).collect(),
            Axis::DescendantOrSelf => std::iter::once(node)
                .chain(doc.descendants(node))
                .map(Item::Node)
                .collect(),
            Axis::Itself => vec![item],
            Axis::Parent => doc.parent(node).map(Item::Node).into_iter().collect(),
            Axis::Ancestor => self.ancestors(node, false),
            Axis::AncestorOrSelf => self.ancestors(node, true),
            Axis::Attribute => (0..doc.attributes(node).count())
                .map(|i| Item::Attribute(node, i))
                .collect(),
            Axis::FollowingSibling => {
                let mut out = Vec::new();
                let mut cur = doc.next_sibling(node);
                while let Some(n) = cur {
                    out.push(Item::Node(n));
                    cur = doc.next_sibling(n);
                }
                out
            }
            Axis::PrecedingSibling => {
                // Nearest first: the siblings before the node, reversed (one walk of the
                // parent's children).
                let mut out: Vec<Item> = match doc.parent(node) {
                    Some(parent) => doc
                        .children(parent)
                        .take_while(|c| *c != node)
                        .map(Item::Node)
                        .collect(),
                    None => Vec::new(),
                };
                out.reverse();
                out
            }
        }
    }

    /// The ancestors of a node, nearest first (the node itself first with `and_self`).
    fn ancestors(&self, node: NodeId, and_self: bool) -> Vec<Item> {
        let mut out = Vec::new();
        let mut cur = if and_self {
            Some(node)
        } else {
            self.doc.parent(node)
        };
        while let Some(n) = cur {
            out.push(Item::Node(n));
            cur = self.doc.parent(n);
        }
        out
    }

    fn call(&self, name: &str, args: &[Expr], cx: Context) -> Value {
        let arg = |i: usize| args.get(i).map(|a| self.eval(a, cx));
        let text = |i: usize| {
            arg(i)
                .map(|v| self.string(&v))
                .unwrap_or_else(|| self.string_value(cx.item))
        };
        match name {
            "not" => Value::Bool(!arg(0).is_some_and(|v| self.boolean(&v))),
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "boolean" => Value::Bool(arg(0).is_some_and(|v| self.boolean(&v))),
            "number" => Value::Number(match arg(0) {
                Some(v) => self.number(&v),
                None => to_number(&self.string_value(cx.item)),
            }),
            "string" => Value::Text(text(0)),
            "position" => Value::Number(cx.position as f64),
            "last" => Value::Number(cx.size as f64),
            "count" => Value::Number(match arg(0) {
                Some(Value::Nodes(items)) => items.len() as f64,
                _ => 0.0,
            }),
            "contains" => Value::Bool(text(0).contains(text(1).as_str())),
            "starts-with" => Value::Bool(text(0).starts_with(text(1).as_str())),
            "ends-with" => Value::Bool(text(0).ends_with(text(1).as_str())),
            "concat" => Value::Text((0..args.len()).map(text).collect()),
            "string-length" => Value::Number(text(0).chars().count() as f64),
            "normalize-space" => {
                Value::Text(text(0).split_whitespace().collect::<Vec<_>>().join(" "))
            }
            "translate" => {
                let from: Vec<char> = text(1).chars().collect();
                let to: Vec<char> = text(2).chars().collect();
                Value::Text(
                    text(0)
                        .chars()
                        .filter_map(|c| match from.iter().position(|f| *f == c) {
                            Some(i) => to.get(i).copied(),
                            None => Some(c),
                        })
                        .collect(),
                )
            }
            "name" | "local-name" => {
                let item = match arg(0) {
                    Some(Value::Nodes(items)) => items.first().copied(),
                    Some(_) => None,
                    None => Some(cx.item),
                };
                let full = item.map(|i| self.name_of(i)).unwrap_or_default();
                if name == "local-name" {
                    Value::Text(full.rsplit(':').next().unwrap_or_default().to_string())
                } else {
                    Value::Text(full)
                }
            }
            _ => Value::Nodes(Vec::new()),
        }
    }
}

/// `@attribute = 'value'` or `@attribute != 'value'`: (attribute, operator, value).
fn attribute_equality(expr: &Expr) -> Option<(&str, Op, &str)> {
    let Expr::Binary(op @ (Op::Eq | Op::Ne), left, right) = expr else {
        return None;
    };
    let (
        Expr::Path {
            start: None,
            absolute: false,
            steps,
        },
        Expr::Literal(value),
    ) = (left.as_ref(), right.as_ref())
    else {
        return None;
    };
    match steps.as_slice() {
        [Step {
            axis: Axis::Attribute,
            test: NodeTest::Name(name),
            predicates,
        }] if predicates.is_empty() => Some((name, *op, value)),
        _ => None,
    }
}

/// The first `@attribute = 'value'` of an `and` chain (the one a value table can answer).
fn first_equality(expr: &Expr) -> Option<(&str, &str)> {
    match expr {
        Expr::Binary(Op::And, left, _) => first_equality(left),
        other => match attribute_equality(other)? {
            (attribute, Op::Eq, value) => Some((attribute, value)),
            _ => None,
        },
    }
}

/// Whether an attribute's value equals `value` (unescaped only when it needs to be).
fn equal_value(attribute: &iisconf_xml::Attribute<'_>, value: &str) -> bool {
    if attribute.raw_value.contains(['&', '\t', '\n', '\r']) {
        attribute.value() == value
    } else {
        attribute.raw_value == value
    }
}

/// Removes repeated items, keeping the first of each.
fn unique(items: Vec<Item>) -> Vec<Item> {
    let mut seen = HashSet::new();
    items.into_iter().filter(|i| seen.insert(*i)).collect()
}

fn to_number(text: &str) -> f64 {
    text.trim().parse().unwrap_or(f64::NAN)
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.is_finite() {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = r#"<configuration>
  <appSettings>
    <add key="a" value="1" />
    <add key="b" value=" two  words " />
    <add key="Prefix.c" value="3" />
  </appSettings>
  <system.web><compilation debug="true" /></system.web>
  <note>hello</note>
</configuration>"#;

    fn names(expr: &str) -> Vec<String> {
        let doc = Document::parse_str(CONFIG).unwrap_or_else(|e| panic!("{e}"));
        let xpath = XPath::parse(expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
        xpath
            .select(&doc)
            .into_iter()
            .map(|i| match i {
                Item::Node(id) => doc
                    .attribute_value(id, "key")
                    .map(|k| k.into_owned())
                    .unwrap_or_else(|| doc.name(id).to_string()),
                Item::Attribute(id, n) => doc
                    .attributes(id)
                    .nth(n)
                    .map(|a| a.name.to_string())
                    .unwrap_or_default(),
            })
            .collect()
    }

    #[test]
    fn child_paths_and_attribute_predicates() {
        assert_eq!(names("/configuration/appSettings/add[@key='b']"), ["b"]);
        assert_eq!(
            names("/configuration/appSettings/add"),
            ["a", "b", "Prefix.c"]
        );
        assert_eq!(names("/configuration/*/compilation"), ["compilation"]);
        assert_eq!(names("/configuration/appSettings/add[1]/@value"), ["value"]);
    }

    #[test]
    fn boolean_operators_and_comparisons() {
        assert_eq!(
            names("/configuration/appSettings/add[@key='a' or @key='b']"),
            ["a", "b"]
        );
        assert_eq!(names("//add[not(@key='a') and @value != '3']"), ["b"]);
        assert_eq!(names("//add[@value > 2]"), ["Prefix.c"]);
        assert_eq!(names("//add[@value <= 1]"), ["a"]);
    }

    #[test]
    fn functions() {
        assert_eq!(names("//add[contains(@key, 'fix')]"), ["Prefix.c"]);
        assert_eq!(names("//add[starts-with(@key, 'Pre')]"), ["Prefix.c"]);
        assert_eq!(names("//add[position() = last()]"), ["Prefix.c"]);
        assert_eq!(names("//add[last() - 1]"), ["b"]);
        assert_eq!(
            names("/configuration[count(appSettings/add) = 3]"),
            ["configuration"]
        );
        assert_eq!(names("//add[normalize-space(@value) = 'two words']"), ["b"]);
        assert_eq!(
            names("//add[translate(@key, 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') = 'PREFIX.C']"),
            ["Prefix.c"]
        );
        assert_eq!(names("//add[string-length(@key) = 8]"), ["Prefix.c"]);
        assert_eq!(names("/configuration/note[. = 'hello']"), ["note"]);
    }

    #[test]
    fn self_parent_and_descendant_axes() {
        assert_eq!(names("//compilation/.."), ["system.web"]);
        assert_eq!(
            names("//compilation/parent::*/self::system.web"),
            ["system.web"]
        );
        assert_eq!(
            names("/configuration/descendant::compilation"),
            ["compilation"]
        );
        assert_eq!(names("//add[@key='a'] | //add[@key='b']"), ["a", "b"]);
        assert_eq!(names("//compilation[@debug='true']"), ["compilation"]);
    }

    #[test]
    fn the_cache_selects_what_a_scan_selects() {
        let doc = Document::parse_str(CONFIG).unwrap_or_else(|e| panic!("{e}"));
        let cache = RefCell::new(SelectCache::default());
        for expr in [
            "/configuration/appSettings/add[@key='b']",
            "/configuration/appSettings/add[@key='b' and @value=' two  words ']",
            "/configuration/appSettings/add[@key='b' and @value='1']",
            "/configuration/appSettings/add[@key='a' or @key='b']",
            "/configuration/appSettings/add[@key!='a'][2]",
            "/configuration/appSettings/add[@key='a'][position() = 1]",
            "/configuration/appSettings/add[@missing='a']",
        ] {
            let xpath = XPath::parse(expr).unwrap_or_else(|e| panic!("{e}"));
            for _ in 0..2 {
                assert_eq!(
                    xpath.select_elements_cached(&doc, &cache),
                    xpath.select_elements(&doc),
                    "{expr}"
                );
            }
        }
    }

    #[test]
    fn bad_expressions_are_errors() {
        for bad in ["/a[", "/a/'", "//", "/a[@b=]", "foo::bar", "/a)"] {
            assert!(XPath::parse(bad).is_err(), "{bad}");
        }
    }
}
