//! XDT conformance: each case in fixtures/xdt/<case>/ holds `source.config`, the transform
//! (`transform.config`, or `transform1.config`, `transform2.config`… applied in order),
//! `expected.config` (the output, byte for byte) and `expected.log` (the log in Microsoft's
//! wording). Each test names where its expectation comes from: "docs" is Microsoft's
//! "Web.config Transformation Syntax for Web Project Deployment Using Visual Studio"
//! (learn.microsoft.com), "engine" is the observable behaviour of Microsoft.Web.XmlTransform
//! (its formatting-preserving document and its log messages).
//!
//! Every case is checked twice: through the library, and through the binary
//! (`iisconf transform source.config transform.config --log …` in the case's folder), whose
//! output, log and exit code must be the same.
//!
//! `XDT_BLESS=1 cargo test --test xdt_conformance` rewrites the expected files from the
//! current output (to be reviewed before committing).

use iisconf::xdt::{Severity, Transform};
use iisconf::xml::Document;
use std::path::{Path, PathBuf};
use std::process::Command;

fn case_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/xdt")
        .join(name)
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The transforms of a case, in order.
fn transforms(dir: &Path) -> Vec<PathBuf> {
    let single = dir.join("transform.config");
    if single.is_file() {
        return vec![single];
    }
    (1..)
        .map(|i| dir.join(format!("transform{i}.config")))
        .take_while(|p| p.is_file())
        .collect()
}

/// Applies the case's transforms; returns (output or `None` on error, log).
fn run(name: &str) -> (Option<Vec<u8>>, String) {
    let dir = case_dir(name);
    let mut document = Document::parse(&read(&dir.join("source.config")))
        .unwrap_or_else(|e| panic!("{name}: source: {e}"));
    let mut log = String::new();
    let mut failed = false;
    let mut outcome = iisconf::xdt::Outcome::default();
    for path in transforms(&dir) {
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let transform =
            Transform::parse(&read(&path), &file, &[]).unwrap_or_else(|e| panic!("{name}: {e}"));
        outcome = transform.apply_after(&mut document, &outcome);
        log.push_str(&outcome.log.render(&file, "source.config"));
        failed |= outcome.log.count(Severity::Error) > 0;
    }
    let output = (!failed).then(|| document.to_bytes());
    (output, log)
}

/// Checks a case against its expected files (or writes them with `XDT_BLESS=1`).
fn check(name: &str) {
    let dir = case_dir(name);
    let (output, log) = run(name);
    let bless = std::env::var_os("XDT_BLESS").is_some();
    let expected_config = dir.join("expected.config");
    let expected_log = dir.join("expected.log");
    if bless {
        match &output {
            Some(bytes) => std::fs::write(&expected_config, bytes),
            None => std::fs::remove_file(&expected_config).or(Ok(())),
        }
        .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&expected_log, &log).unwrap_or_else(|e| panic!("{e}"));
        return;
    }
    let want_log = String::from_utf8(read(&expected_log)).unwrap_or_default();
    pretty_assertions::assert_eq!(log, want_log, "{name}: log");
    match output {
        Some(bytes) => {
            let want = read(&expected_config);
            if bytes != want {
                pretty_assertions::assert_eq!(
                    String::from_utf8_lossy(&bytes),
                    String::from_utf8_lossy(&want),
                    "{name}: output"
                );
                panic!("{name}: output differs in its bytes (encoding)");
            }
            Document::parse(&bytes)
                .unwrap_or_else(|e| panic!("{name}: output does not parse: {e}"));
        }
        None => assert!(
            !expected_config.exists(),
            "{name}: the transform failed but an output is expected"
        ),
    }
    check_binary(name, &want_log);
}

/// Runs the case through `iisconf transform` in its folder: the log file must be the
/// expected log line for line, stdout the expected output, the exit code 0 (applied) or 1
/// (a transform error, nothing written).
fn check_binary(name: &str, want_log: &str) {
    let dir = case_dir(name);
    let temp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let log_path = temp.path().join("transform.log");
    let names: Vec<String> = transforms(&dir)
        .iter()
        .filter_map(|p| p.file_name().map(|f| f.to_string_lossy().into_owned()))
        .collect();
    let out = Command::new(env!("CARGO_BIN_EXE_iisconf"))
        .current_dir(&dir)
        .arg("transform")
        .arg("source.config")
        .args(&names)
        .arg("--log")
        .arg(&log_path)
        .output()
        .unwrap_or_else(|e| panic!("{name}: cannot run iisconf: {e}"));
    let log = String::from_utf8(read(&log_path)).unwrap_or_default();
    let got: Vec<&str> = log.lines().collect();
    let want: Vec<&str> = want_log.lines().collect();
    pretty_assertions::assert_eq!(got, want, "{name}: the binary's log");
    let expected_config = dir.join("expected.config");
    if expected_config.exists() {
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stdout == read(&expected_config),
            "{name}: the binary's output differs"
        );
    } else {
        assert_eq!(
            out.status.code(),
            Some(1),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{name}: nothing is written on error");
    }
}

// Transforms.

/// docs: "Replace — replaces the selected element with the element specified in the
/// transform file; if more than one element is selected, only the first is replaced".
#[test]
fn replace() {
    check("replace");
}

/// docs: Replace acts on the first selected element only (three `add` match); engine logs
/// that it applies to the first match.
#[test]
fn replace_first_only() {
    check("replace-first-only");
}

/// docs: "Insert — adds the element defined in the transform file as a sibling to the
/// selected element or elements; the new element is added at the end of any collection".
#[test]
fn insert() {
    check("insert");
}

/// docs: "InsertBefore — inserts the element directly before the element selected by the
/// specified XPath expression".
#[test]
fn insert_before() {
    check("insert-before");
}

/// docs: "InsertAfter — inserts the element directly after the element selected by the
/// specified XPath expression".
#[test]
fn insert_after() {
    check("insert-after");
}

/// engine: InsertIfMissing inserts only where no element matches the transform element's
/// path (customErrors exists: untouched; httpRuntime does not: inserted).
#[test]
fn insert_if_missing() {
    check("insert-if-missing");
}

/// engine: Microsoft.Web.XmlTransform's `Insert` and `InsertIfMissing` take their parent
/// as target and are not flagged to apply to every target, so they act on the first parent
/// only, and silently; `InsertIfMissing` inserts only when its own path matches no element
/// anywhere (it tests all the matched children, not those of that parent). Read from the
/// engine's source (XmlElementTransforms.cs and Transform.cs: `ApplyOnce`, `TargetNode`,
/// `TargetChildNodes`). Two `appSettings` parents: `Added` goes into the first only; `B`
/// exists under the second, so nothing is inserted.
#[test]
fn insert_first_parent_only() {
    check("insert-first-parent-only");
}

/// docs: "Remove — removes the selected element; if more than one element is selected, the
/// first element is removed".
#[test]
fn remove() {
    check("remove");
}

/// docs: "RemoveAll — removes the selected element or elements" (with a Condition locator).
#[test]
fn remove_all() {
    check("remove-all");
}

/// docs: "RemoveAttributes — removes specified attributes from the selected elements" (the
/// Release template's `debug` removal).
#[test]
fn remove_attributes() {
    check("remove-attributes");
}

/// docs: "SetAttributes — sets attributes for selected elements to specified values … the
/// attributes named in the argument list; other attributes of the transform element are
/// ignored".
#[test]
fn set_attributes_named() {
    check("set-attributes-named");
}

/// docs: SetAttributes without arguments sets every attribute of the transform element
/// (existing `mode` changed in place, new `defaultRedirect` appended). An element of one
/// attribute counts as one attribute per line for Microsoft's writer
/// (XmlAttributePreservationDict.cs, `ComputeOneAttributePerLine`), so the new attribute
/// goes on a line of its own, one indent unit deeper than the element (XmlFormatter.cs,
/// `CurrentAttributeIndent`).
#[test]
fn set_attributes_all() {
    check("set-attributes-all");
}

/// engine: CommentOut replaces the selected element by a comment holding its markup.
#[test]
fn comment_out() {
    check("comment-out");
}

/// engine: CommentOut takes Transform's default flags (not ApplyTransformToAllTargetNodes),
/// so of three selected `add` elements only the first is commented out; unlike Replace and
/// Remove it does not warn about the others.
#[test]
fn comment_out_first_only() {
    check("comment-out-first-only");
}

/// App Service's XDT extension: InsertOrAppendAttribute(name) appends the transform's value
/// to an existing attribute, or inserts the attribute when it is missing.
#[test]
fn insert_or_append_attribute() {
    check("insert-or-append-attribute");
}

// Locators.

/// docs: "Match — selects the element or elements that have a matching value for the
/// specified attribute or attributes; multiple names are separated by commas".
#[test]
fn locator_match_two() {
    check("locator-match-two");
}

/// docs: "Condition — specifies an XPath expression that is appended to the element's
/// XPath expression".
#[test]
fn locator_condition() {
    check("locator-condition");
}

/// docs: "XPath — specifies an absolute XPath expression applied to the development
/// Web.config" (with `contains()`).
#[test]
fn locator_xpath_contains() {
    check("locator-xpath-contains");
}

/// docs: an element's path is built from its ancestors in the transform (a transform on
/// `forms` below `authentication`).
#[test]
fn nested_locator() {
    check("nested-locator");
}

// Warnings and errors.

/// engine: a transform whose locator matches nothing is a warning naming the outermost path
/// that matched nothing, and is not executed.
#[test]
fn warning_no_match() {
    check("warning-no-match");
}

/// engine: a locator whose match an earlier transform of the same file removed or changed
/// is the second missing-target warning (Transform.cs, `HandleMissingTarget` with
/// `existedInOriginal`); a path that never matched keeps the first.
#[test]
fn warning_removed_by_previous() {
    check("warning-removed-by-previous");
}

/// engine: arguments given to a transform that takes none are a warning at the
/// `xdt:Transform` attribute, "… does not expect arguments; ignoring", given after the
/// `Applying to` line (XmlElementTransforms.cs, `CommonErrors.ExpectNoArguments`); the
/// transform still applies and the result is written.
#[test]
fn warning_arguments_ignored() {
    check("warning-arguments-ignored");
}

/// engine: `xdt:SupressWarnings="true"` (Microsoft's spelling) on a transform's element
/// logs that transform's warnings as plain messages, and only that transform's: the next
/// one warns again (XmlTransformation.cs, `HandleElement`, read with Convert.ToBoolean;
/// XmlTransformationLogger.cs, `LogWarning`). The attribute never reaches the output.
#[test]
fn suppress_warnings() {
    check("suppress-warnings");
}

/// engine: an unknown transform name is an error at its `xdt:Transform` attribute
/// (NamedTypeFactory.cs, wrapped at the attribute in XmlElementContext.cs); an unknown
/// locator is found only when the transform's path is built, inside `Execute`, so its error
/// at the `xdt:Locator` attribute is followed by "Not executing …" (Transform.cs); nothing
/// is written. Arguments given to a transform that takes none are only a warning
/// (XmlTransforms.cs, `CommonErrors.ExpectNoArguments`).
#[test]
fn error_unknown_transform() {
    check("error-unknown-transform");
}

/// engine: for Insert (and InsertBefore, InsertAfter, InsertIfMissing) a parent that matches
/// nothing is an error, not a warning (XmlTransforms.cs: the inserts are built with
/// `MissingTargetMessage.Error`); the insert is not executed, the others still run, and
/// nothing is written. The context named is found as XmlElementContext.cs
/// `HasTargetParent` walks up the parent paths: `system.webServer` is missing, so the
/// error names `modules` (the context whose parent path matched nothing) at its position.
#[test]
fn error_insert_no_parent() {
    check("error-insert-no-parent");
}

/// engine: InsertBefore whose XPath selects nothing is an error at the `xdt:Transform`
/// attribute in Microsoft's words ("'…' does not evaluate to an element",
/// XmlTransforms.cs `InsertBase.SiblingElement`, Resources.resx `InsertBadXPath`), and the
/// section ends "Error during InsertBefore" (Transform.cs, `Execute`).
#[test]
fn error_insert_before_no_match() {
    check("error-insert-before-no-match");
}

/// engine: InsertBefore whose XPath selects an attribute, not an element, is an error
/// (XmlTransforms.cs `InsertBase.SiblingElement`, Resources.resx `InsertBadXPathResult`).
#[test]
fn error_insert_before_not_element() {
    check("error-insert-before-not-element");
}

/// XmlTransforms.cs (`InsertBase.SiblingElement`: `TargetNode.SelectNodes(xpath)`): the
/// argument of InsertBefore and InsertAfter is evaluated with the target parent as its
/// context node, so the relative paths of Microsoft's samples work
/// (`InsertBefore(add[@key='…'])`, and `InsertAfter(system.web)` on the root's child).
#[test]
fn insert_before_after_relative() {
    check("insert-before-after-relative");
}

/// XmlTransforms.cs (`InsertBase.SiblingElement`) and Transform.cs (`Execute`): a missing
/// argument ("InsertBefore requires an XPath argument"), too many ("Too many arguments to
/// InsertAfter") and no match are errors raised as the transform executes, after its
/// "Applying to" line, each ending in "Error during …"; nothing is written.
#[test]
fn error_insert_before_arguments() {
    check("error-insert-before-arguments");
}

/// XmlLocators.cs (`XPath.ParentPath` returns the locator's own path) and XmlTransforms.cs
/// (Insert uses the parent as target): an Insert located by XPath inserts into what the
/// XPath selects, the one application whose path contains 7.4.
#[test]
fn locator_xpath_insert() {
    check("locator-xpath-insert");
}

/// XmlTransformation.cs (`PreprocessTransformDocument`): every element of the XDT namespace
/// other than `Import` is the warning "Unknown tag 'xdt:Foo'" (the name as written),
/// logged while the transform is read, before any transform runs.
#[test]
fn log_unknown_tag() {
    check("log-unknown-tag");
}

/// NamedTypeFactory.cs (`Construct`): a name that is a type of the namespace but not a
/// Transform ("'Microsoft.Web.XmlTransform.Match' is not a type of Transform") or not a
/// Locator is an error at its attribute; XmlTransformation.cs (`HandleElement`): the
/// elements inside an element whose transform cannot be built are not visited (the Insert
/// below `appSettings` does not run).
#[test]
fn log_not_a_type() {
    check("log-not-a-type");
}

/// XmlElementContext.cs (`ParseNameAndArguments`, its pattern `\A\s*(\w+)(\s*\((.*)\))?\s*\Z`)
/// and Resources.resx (`XMLTRANSFORMATION_BadAttributeValue`): "SetAttributes:value",
/// "SetAttributes(value" and "#SetAttributes#" are each the error "Transform and Locator
/// attributes must contain only a type name, or a type name followed by a list of
/// attributes in parentheses." at the attribute; a malformed locator gives the same error
/// when its transform executes, then "Not executing".
#[test]
fn log_bad_attribute_value() {
    check("log-bad-attribute-value");
}

/// XmlTransformation.cs (`TransformLoop`, `HandleElement`) and Transform.cs (`Execute`):
/// the log follows the document: an execution, an unreadable transform, a warning of a
/// transform that matches nothing, a locator error with its "Not executing", an invalid
/// `SupressWarnings` (an error at the element), then the next execution.
#[test]
fn log_order() {
    check("log-order");
}

/// XmlFileInfoDocument.cs (`CloneNodeFromOtherDocument`): an inserted element keeps the
/// line info of the transform element it was copied from, so a later transform applying
/// to it logs "Applying to 'add' element (source line 4, 6)", not "no source line info";
/// the elements inside the copy keep their line, their column moved by the copy's column
/// less 2.
#[test]
fn log_inserted_position() {
    check("log-inserted-position");
}

/// XmlFileInfoDocument.cs (`CloneNodeFromOtherDocument`): the line info an inserted element
/// takes from its transform file stays with it when the next transform file is applied to
/// the same document, so that file's log names it "(source line 4, 6)" too.
#[test]
fn log_inserted_position_chained() {
    check("log-inserted-position-chained");
}

/// XmlElementContext.cs (`HasTargetParent`) and Transform.cs (`HandleMissingTarget`): an
/// insert whose parent matches nothing, under a grandparent that exists, is the error at
/// the insert's own element naming its own path; InsertIfMissing, an insert, is the same.
#[test]
fn error_insert_parent_missing() {
    check("error-insert-parent-missing");
}

/// XmlElementContext.cs (`ConstructXPath`) and XmlLocators.cs: a locator whose arguments
/// are wrong ("Condition requires exactly 1 arguments", "Match requires at least 1
/// arguments", "No attribute 'name' exists for the Match Locator") is reported at the
/// element, when a transform at or below it executes; each transform below it reports it
/// again and does not run.
#[test]
fn locator_error_children() {
    check("locator-error-children");
}

// Formatting (engine: the formatting-preserving document keeps untouched bytes).

/// engine: set and added attributes follow an element written one attribute per line.
#[test]
fn format_attributes_one_per_line() {
    check("format-attributes-one-per-line");
}

/// engine: a removed attribute takes its leading whitespace (its line) with it.
#[test]
fn format_remove_attribute_one_per_line() {
    check("format-remove-attribute-one-per-line");
}

/// engine: on one line, the whitespace between other attributes (double spaces, a tab) is
/// kept; an added attribute follows the last one after one space (XmlAttributePreservingWriter.cs,
/// `WriteQueuedAttribute`), the removed `extra` taking its tab with it
/// (XmlAttributePreservationDict.cs, `UpdatePreservationInfo`).
#[test]
fn format_attributes_one_line() {
    check("format-attributes-one-line");
}

/// XmlFileInfoDocument.cs (a copied element has no layout of its own) and
/// XmlAttributePreservingWriter.cs (`WriteQueuedAttribute`): an element written anew by
/// Insert or Replace separates its attributes by one space (the transform's spaces, tabs
/// and line breaks between them are not kept) and ends `" />"`; an attribute that would
/// take the line to 160 characters goes on a new line at the attribute indent.
#[test]
fn format_new_element() {
    check("format-new-element");
}

/// XmlAttributePreservationDict.cs (`UpdatePreservationInfo`): when the first attribute is
/// removed, the next one takes over its whitespace (`<compilation  targetFramework…`
/// keeps its two spaces; `maxRequestLength` moves up to the element's line).
#[test]
fn format_remove_first_attribute() {
    check("format-remove-first-attribute");
}

/// engine: inserting into `<appSettings />` opens it up and indents the child one level
/// deeper.
#[test]
fn format_insert_into_self_closing() {
    check("format-insert-into-self-closing");
}

/// engine: inserting into an element with only whitespace inside.
#[test]
fn format_insert_into_empty() {
    check("format-insert-into-empty");
}

/// engine: an inserted element is indented like its new siblings (4 spaces here, 2 in the
/// transform), comments inside it included; the comment already there stays.
#[test]
fn format_insert_with_comments() {
    check("format-insert-with-comments");
}

/// engine: CRLF line endings stay CRLF, inserted lines included.
#[test]
fn format_crlf() {
    check("format-crlf");
}

/// engine: a UTF-8 byte-order mark is kept.
#[test]
fn format_bom() {
    check("format-bom");
}

/// engine: UTF-16 stays UTF-16 with its byte-order mark.
#[test]
fn format_utf16() {
    check("format-utf16");
}

/// engine (as the Visual Studio pipeline chains Web.Release.config after Web.config
/// edits): the second transform sees the first one's result.
#[test]
fn chained() {
    check("chained");
}

/// engine: a transform that selects nothing changes no byte.
#[test]
fn selecting_nothing_changes_no_byte() {
    let source = read(&case_dir("warning-no-match").join("source.config"));
    let (output, _) = run("warning-no-match");
    assert_eq!(output.as_deref(), Some(source.as_slice()));
}
