//! Why a typed server change cannot be made: the object kinds and the errors, worded as
//! appcmd words them so that a front end can print them unchanged.

use crate::EditError;
use iisconf_core::engine::EngineError;

/// The kinds of object the server model holds, named as appcmd names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ObjectKind {
    /// A site (`SITE`).
    Site,
    /// An application (`APP`).
    Application,
    /// A virtual directory (`VDIR`).
    VirtualDirectory,
    /// An application pool (`APPPOOL`).
    ApplicationPool,
}

impl ObjectKind {
    /// appcmd's name of the kind: `SITE`, `APP`, `VDIR`, `APPPOOL`.
    pub fn appcmd_name(self) -> &'static str {
        match self {
            ObjectKind::Site => "SITE",
            ObjectKind::Application => "APP",
            ObjectKind::VirtualDirectory => "VDIR",
            ObjectKind::ApplicationPool => "APPPOOL",
        }
    }

    /// The configuration element an object of the kind is written as.
    pub fn element(self) -> &'static str {
        match self {
            ObjectKind::Site => "site",
            ObjectKind::Application => "application",
            ObjectKind::VirtualDirectory => "virtualDirectory",
            ObjectKind::ApplicationPool => "add",
        }
    }

    /// The attribute that identifies an object of the kind within its collection.
    pub fn key(self) -> &'static str {
        match self {
            ObjectKind::Site | ObjectKind::ApplicationPool => "name",
            ObjectKind::Application | ObjectKind::VirtualDirectory => "path",
        }
    }
}

impl std::fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.appcmd_name())
    }
}

/// Why a server-model change cannot be made. Nothing is written when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The object named does not exist.
    #[error("Cannot find {kind} object with identifier \"{identifier}\".")]
    NotFound {
        /// Its kind.
        kind: ObjectKind,
        /// The identifier as given (`Shop`, `Shop/api`).
        identifier: String,
    },
    /// An object with the same key exists already.
    #[error("Failed to add duplicate collection entry of type '{}' with unique key attribute '{key}' set to '{value}'", .kind.element())]
    Exists {
        /// Its kind.
        kind: ObjectKind,
        /// The key attribute (`name`, `id`, `path`).
        key: &'static str,
        /// The key's value.
        value: String,
    },
    /// A parameter the object needs was not given.
    #[error("Missing required parameter {parameter} for the {kind} object.")]
    Missing {
        /// The object's kind.
        kind: ObjectKind,
        /// The parameter (`name`, `path`, `site.name`).
        parameter: &'static str,
    },
    /// A binding that is not `protocol/bindingInformation` (`http/*:80:`) or a URL
    /// (`http://*:80`).
    #[error("Invalid binding \"{binding}\": {reason}")]
    InvalidBinding {
        /// The binding as given.
        binding: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An application or virtual-directory path that does not start with `/`, or an
    /// identifier that names no path.
    #[error("Invalid {what} \"{path}\": {reason}")]
    InvalidPath {
        /// `application path`, `virtual directory path`, `identifier`.
        what: &'static str,
        /// The path as given.
        path: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A value that cannot be read as its attribute's type.
    #[error("{object}: the {attribute} attribute \"{value}\" is not a valid {expected}")]
    Value {
        /// The object (`SITE "Shop"`).
        object: String,
        /// The attribute.
        attribute: String,
        /// The value as written.
        value: String,
        /// The type expected.
        expected: &'static str,
    },
    /// XML input (appcmd's `/xml` form) that cannot be read.
    #[error("Failed to process input: {0}")]
    Input(String),
    /// The configuration cannot be read or the edit cannot be made.
    #[error(transparent)]
    Edit(#[from] EditError),
}

impl From<EngineError> for ServerError {
    fn from(e: EngineError) -> ServerError {
        ServerError::Edit(EditError::Engine(e))
    }
}
