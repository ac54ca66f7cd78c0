//! Reading an XPath 1.0 expression into a tree: the tokens, then the grammar by precedence
//! (`or`, `and`, equality, relational, additive, unary, union, path).

use super::{Axis, Expr, NodeTest, Op, Step, XPathError};

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Slash,
    DoubleSlash,
    Open,
    Close,
    OpenBracket,
    CloseBracket,
    At,
    Comma,
    Pipe,
    Dot,
    DotDot,
    Axis(String),
    Op(Op),
    Star,
    Minus,
    Literal(String),
    Number(f64),
    Name(String),
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')
}

fn tokens(text: &str) -> Result<Vec<Token>, XPathError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied();
    while let Some(c) = at(i) {
        let next = at(i + 1);
        let token = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '/' if next == Some('/') => {
                i += 2;
                Token::DoubleSlash
            }
            '/' => {
                i += 1;
                Token::Slash
            }
            '(' | ')' | '[' | ']' | '@' | ',' | '|' | '*' | '+' | '-' | '=' => {
                i += 1;
                match c {
                    '(' => Token::Open,
                    ')' => Token::Close,
                    '[' => Token::OpenBracket,
                    ']' => Token::CloseBracket,
                    '@' => Token::At,
                    ',' => Token::Comma,
                    '|' => Token::Pipe,
                    '*' => Token::Star,
                    '+' => Token::Op(Op::Add),
                    '-' => Token::Minus,
                    _ => Token::Op(Op::Eq),
                }
            }
            '!' if next == Some('=') => {
                i += 2;
                Token::Op(Op::Ne)
            }
            '<' | '>' => {
                let eq = next == Some('=');
                i += if eq { 2 } else { 1 };
                Token::Op(match (c, eq) {
                    ('<', false) => Op::Lt,
                    ('<', true) => Op::Le,
                    ('>', false) => Op::Gt,
                    _ => Op::Ge,
                })
            }
            '\'' | '"' => {
                let end = chars
                    .iter()
                    .skip(i + 1)
                    .position(|d| *d == c)
                    .ok_or_else(|| XPathError::new("a string literal is not closed"))?;
                let literal: String = chars.iter().skip(i + 1).take(end).collect();
                i += end + 2;
                Token::Literal(literal)
            }
            '.' if next == Some('.') => {
                i += 2;
                Token::DotDot
            }
            '.' if !next.is_some_and(|d| d.is_ascii_digit()) => {
                i += 1;
                Token::Dot
            }
            c if c.is_ascii_digit() || c == '.' => {
                let start = i;
                while at(i).is_some_and(|d| d.is_ascii_digit() || d == '.') {
                    i += 1;
                }
                let text: String = chars.iter().skip(start).take(i - start).collect();
                let number = text
                    .parse()
                    .map_err(|_| XPathError::new(format!("`{text}` is not a number")))?;
                Token::Number(number)
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while at(i)
                    .is_some_and(|d| is_name_char(d) && !(d == ':' && at(i + 1) == Some(':')))
                {
                    i += 1;
                }
                let name: String = chars.iter().skip(start).take(i - start).collect();
                if at(i) == Some(':') && at(i + 1) == Some(':') {
                    i += 2;
                    Token::Axis(name)
                } else {
                    Token::Name(name)
                }
            }
            other => return Err(XPathError::new(format!("unexpected character `{other}`"))),
        };
        out.push(token);
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

/// Parses an expression.
pub(super) fn parse(text: &str) -> Result<Expr, XPathError> {
    let mut parser = Parser {
        tokens: tokens(text)?,
        at: 0,
    };
    let expr = parser.or()?;
    match parser.peek() {
        None => Ok(expr),
        Some(t) => Err(XPathError::new(format!(
            "unexpected {t:?} after the expression"
        ))),
    }
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn bump(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn eat(&mut self, token: &Token) -> bool {
        if self.peek() == Some(token) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, token: &Token, what: &str) -> Result<(), XPathError> {
        if self.eat(token) {
            Ok(())
        } else {
            Err(XPathError::new(format!("expected {what}")))
        }
    }

    fn keyword(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some(Token::Name(n)) if n == word) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<Expr, XPathError> {
        let mut left = self.and()?;
        while self.keyword("or") {
            left = Expr::Binary(Op::Or, Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, XPathError> {
        let mut left = self.comparison()?;
        while self.keyword("and") {
            left = Expr::Binary(Op::And, Box::new(left), Box::new(self.comparison()?));
        }
        Ok(left)
    }

    fn comparison(&mut self) -> Result<Expr, XPathError> {
        let mut left = self.additive()?;
        while let Some(Token::Op(op)) = self.peek().cloned() {
            if op == Op::Add {
                break;
            }
            self.at += 1;
            left = Expr::Binary(op, Box::new(left), Box::new(self.additive()?));
        }
        Ok(left)
    }

    fn additive(&mut self) -> Result<Expr, XPathError> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Token::Op(Op::Add)) => Op::Add,
                Some(Token::Minus) => Op::Sub,
                _ => return Ok(left),
            };
            self.at += 1;
            left = Expr::Binary(op, Box::new(left), Box::new(self.unary()?));
        }
    }

    fn unary(&mut self) -> Result<Expr, XPathError> {
        if self.eat(&Token::Minus) {
            return Ok(Expr::Negate(Box::new(self.unary()?)));
        }
        let mut left = self.path()?;
        while self.eat(&Token::Pipe) {
            left = Expr::Union(Box::new(left), Box::new(self.path()?));
        }
        Ok(left)
    }

    /// A location path, or a primary expression (literal, number, call, parenthesis)
    /// with predicates and a relative path after it.
    fn path(&mut self) -> Result<Expr, XPathError> {
        match self.peek() {
            Some(Token::Literal(_)) | Some(Token::Number(_)) | Some(Token::Open) => {
                let primary = self.primary()?;
                self.filtered(primary)
            }
            Some(Token::Name(_)) if self.tokens.get(self.at + 1) == Some(&Token::Open) => {
                let name = match self.peek() {
                    Some(Token::Name(n)) => n.clone(),
                    _ => String::new(),
                };
                if matches!(name.as_str(), "node" | "text" | "comment") {
                    return self.location_path();
                }
                let primary = self.primary()?;
                self.filtered(primary)
            }
            _ => self.location_path(),
        }
    }

    fn filtered(&mut self, primary: Expr) -> Result<Expr, XPathError> {
        let predicates = self.predicates()?;
        let base = if predicates.is_empty() {
            primary
        } else {
            Expr::Filter(Box::new(primary), predicates)
        };
        let mut steps = Vec::new();
        loop {
            if self.eat(&Token::Slash) {
                steps.push(self.step()?);
            } else if self.eat(&Token::DoubleSlash) {
                steps.push(Step::descendant_or_self());
                steps.push(self.step()?);
            } else {
                break;
            }
        }
        Ok(if steps.is_empty() {
            base
        } else {
            Expr::Path {
                start: Some(Box::new(base)),
                absolute: false,
                steps,
            }
        })
    }

    fn primary(&mut self) -> Result<Expr, XPathError> {
        match self.bump() {
            Some(Token::Literal(s)) => Ok(Expr::Literal(s)),
            Some(Token::Number(n)) => Ok(Expr::Number(n)),
            Some(Token::Open) => {
                let inner = self.or()?;
                self.expect(&Token::Close, "`)`")?;
                Ok(inner)
            }
            Some(Token::Name(name)) => {
                self.expect(&Token::Open, "`(`")?;
                let mut args = Vec::new();
                if !self.eat(&Token::Close) {
                    loop {
                        args.push(self.or()?);
                        if self.eat(&Token::Close) {
                            break;
                        }
                        self.expect(&Token::Comma, "`,` or `)`")?;
                    }
                }
                Ok(Expr::Call(name, args))
            }
            _ => Err(XPathError::new("expected an expression")),
        }
    }

    fn location_path(&mut self) -> Result<Expr, XPathError> {
        let mut steps = Vec::new();
        let absolute = match self.peek() {
            Some(Token::Slash) => {
                self.at += 1;
                if !self.starts_step() {
                    return Ok(Expr::Path {
                        start: None,
                        absolute: true,
                        steps,
                    });
                }
                true
            }
            Some(Token::DoubleSlash) => {
                self.at += 1;
                steps.push(Step::descendant_or_self());
                true
            }
            _ => false,
        };
        steps.push(self.step()?);
        loop {
            if self.eat(&Token::Slash) {
                steps.push(self.step()?);
            } else if self.eat(&Token::DoubleSlash) {
                steps.push(Step::descendant_or_self());
                steps.push(self.step()?);
            } else {
                break;
            }
        }
        Ok(Expr::Path {
            start: None,
            absolute,
            steps,
        })
    }

    fn starts_step(&self) -> bool {
        matches!(
            self.peek(),
            Some(Token::Name(_))
                | Some(Token::Star)
                | Some(Token::At)
                | Some(Token::Dot)
                | Some(Token::DotDot)
                | Some(Token::Axis(_))
        )
    }

    fn step(&mut self) -> Result<Step, XPathError> {
        if self.eat(&Token::Dot) {
            return Ok(Step::new(Axis::Itself, NodeTest::Node));
        }
        if self.eat(&Token::DotDot) {
            return Ok(Step::new(Axis::Parent, NodeTest::Node));
        }
        let axis = match self.peek().cloned() {
            Some(Token::At) => {
                self.at += 1;
                Axis::Attribute
            }
            Some(Token::Axis(name)) => {
                self.at += 1;
                Axis::named(&name)
                    .ok_or_else(|| XPathError::new(format!("the axis `{name}` is not supported")))?
            }
            _ => Axis::Child,
        };
        let test = match self.bump() {
            Some(Token::Star) => NodeTest::Any,
            Some(Token::Name(name)) => {
                if self.peek() == Some(&Token::Open)
                    && matches!(name.as_str(), "node" | "text" | "comment")
                {
                    self.at += 1;
                    self.expect(&Token::Close, "`)`")?;
                    match name.as_str() {
                        "node" => NodeTest::Node,
                        "text" => NodeTest::Text,
                        _ => NodeTest::Comment,
                    }
                } else {
                    NodeTest::Name(name)
                }
            }
            _ => {
                return Err(XPathError::new(
                    "expected a step (a name, `*`, `@name`, `.` or `..`)",
                ))
            }
        };
        let mut step = Step::new(axis, test);
        step.predicates = self.predicates()?;
        Ok(step)
    }

    fn predicates(&mut self) -> Result<Vec<Expr>, XPathError> {
        let mut predicates = Vec::new();
        while self.eat(&Token::OpenBracket) {
            predicates.push(self.or()?);
            self.expect(&Token::CloseBracket, "`]`")?;
        }
        Ok(predicates)
    }
}
