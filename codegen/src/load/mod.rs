//! Reading spec files: YAML text -> `spec` structs, with a source position for every key.
//!
//! serde_yaml is deprecated upstream but stable; it is used only here, so that replacing it
//! with a maintained fork touches this one module.

mod lines;
mod positions;

use std::collections::BTreeMap;

pub use positions::Positions;

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::parallel;
use crate::source::SourceFile;
use crate::spec::{GroupFile, ServiceFile};

/// A parsed file together with what is needed to point at its parts.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    /// Path relative to the workspace root.
    pub path: String,
    /// The parsed contents.
    pub spec: T,
    /// The file's text, for indexing positions when a diagnostic needs one.
    text: std::sync::Arc<str>,
    /// Source positions of the file's keys, built on first use: valid specs never need them,
    /// and indexing costs as much as parsing.
    positions: std::sync::OnceLock<Positions>,
}

impl<T> Loaded<T> {
    /// The location of the value at a key path such as `operations[2].id`; falls back to the
    /// nearest enclosing path that has a position, then to the top of the file.
    pub fn locate(&self, key_path: &str) -> Location {
        let positions = self.positions.get_or_init(|| Positions::index(&self.text));
        let (line, column) = positions.find(key_path);
        Location {
            file: self.path.clone(),
            line,
            column,
        }
    }
}

/// All specs of one platform: `specs/<platform>/service.yaml` and its group files.
#[derive(Debug, Clone)]
pub struct PlatformSpecs {
    /// The platform's folder, such as `specs/dingtalk`.
    pub dir: String,
    /// The parsed `service.yaml`.
    pub service: Loaded<ServiceFile>,
    /// Group files in path order.
    pub groups: Vec<Loaded<GroupFile>>,
}

/// Every platform found in the input, in folder order.
#[derive(Debug, Clone, Default)]
pub struct Specs {
    /// The platforms, in folder order.
    pub platforms: Vec<PlatformSpecs>,
}

/// The file name that marks a platform folder's service file.
pub const SERVICE_FILE: &str = "service.yaml";

/// Parses every file and groups them by platform folder. Every file is parsed even after an
/// error, so that one run reports the problems of all files.
pub fn load(files: &[SourceFile]) -> Result<Specs, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let mut services: BTreeMap<String, Loaded<ServiceFile>> = BTreeMap::new();
    // Folders that have a service file, even a broken one (already reported).
    let mut service_dirs = std::collections::BTreeSet::new();
    let mut groups: BTreeMap<String, Vec<Loaded<GroupFile>>> = BTreeMap::new();
    let mut sorted: Vec<&SourceFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    // Parsing is nearly all of loading and each file parses on its own, so files are parsed
    // on several threads; the results come back in path order.
    let parsed = parallel::map(parallel::Work::Light, &sorted, |file| parse_file(file));
    for (file, parsed) in sorted.into_iter().zip(parsed) {
        let dir = match file.path.rsplit_once('/') {
            Some((dir, _)) => dir.to_owned(),
            None => String::new(),
        };
        match parsed {
            Parsed::Service(result) => {
                service_dirs.insert(dir.clone());
                match result {
                    Ok(loaded) => {
                        services.insert(dir, loaded);
                    }
                    Err(err) => diagnostics.push(err),
                }
            }
            Parsed::Group(result) => match result {
                Ok(loaded) => groups.entry(dir).or_default().push(loaded),
                Err(err) => diagnostics.push(err),
            },
        }
    }
    for (dir, files) in &groups {
        if !service_dirs.contains(dir) {
            for group in files {
                let location = Location {
                    file: group.path.clone(),
                    line: 1,
                    column: 1,
                };
                diagnostics.push(
                    Diagnostic::new(location, format!("no `{SERVICE_FILE}` in `{dir}`"))
                        .with_help(format!(
                            "every platform folder needs a `{SERVICE_FILE}` with its bases, auth and envelope"
                        )),
                );
            }
        }
    }
    let platforms = services
        .into_iter()
        .map(|(dir, service)| {
            let groups = groups.remove(&dir).unwrap_or_default();
            PlatformSpecs {
                dir,
                service,
                groups,
            }
        })
        .collect();
    diagnostics.into_result(Specs { platforms })
}

/// One file parsed as what its name says it is.
enum Parsed {
    Service(Result<Loaded<ServiceFile>, Diagnostic>),
    Group(Result<Loaded<GroupFile>, Diagnostic>),
}

fn parse_file(file: &SourceFile) -> Parsed {
    let name = file
        .path
        .rsplit_once('/')
        .map_or(file.path.as_str(), |(_, name)| name);
    if name == SERVICE_FILE {
        Parsed::Service(parse(file))
    } else {
        Parsed::Group(parse(file))
    }
}

fn parse<T: serde::de::DeserializeOwned>(file: &SourceFile) -> Result<Loaded<T>, Diagnostic> {
    if file.text.trim().is_empty() {
        let location = Location {
            file: file.path.clone(),
            line: 1,
            column: 1,
        };
        return Err(Diagnostic::new(location, "the file is empty")
            .with_help("a spec file holds a service or an API group; specs/README.md shows both, or delete the file"));
    }
    match serde_yaml::from_str::<T>(&file.text) {
        Ok(spec) => Ok(Loaded {
            path: file.path.clone(),
            spec,
            text: file.text.as_str().into(),
            positions: std::sync::OnceLock::new(),
        }),
        Err(err) => Err(yaml_error(file, &err)),
    }
}

/// serde_yaml appends " at line L column C" to its messages; the location goes into the
/// diagnostic's own fields instead.
fn yaml_error(file: &SourceFile, err: &serde_yaml::Error) -> Diagnostic {
    let path = file.path.as_str();
    // serde_yaml's own line numbers count breaks this project does not (see `lines`); its byte
    // offset does not depend on them.
    let (line, column) = err
        .location()
        .map_or((1, 1), |l| lines::at_byte(&file.text, l.index()));
    let text = err.to_string();
    let message = match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    };
    let line_has_tab = file
        .text
        .lines()
        .nth(line.saturating_sub(1))
        .is_some_and(|l| l.contains('\t'));
    let help = if line_has_tab {
        Some("YAML indents with spaces; replace the tab characters".to_owned())
    } else if message.contains("unknown field") || message.contains("unknown variant") {
        Some(match closest_expected(&message) {
            Some(candidate) => format!("did you mean `{candidate}`?"),
            None => {
                "remove the key or correct its spelling; specs/README.md lists what a spec may use"
                    .to_owned()
            }
        })
    } else if message.contains("expected struct Source") {
        // The format before sources named their documents' titles listed bare paths.
        Some("a source is `{ file: sources/<document>.txt, title: <its public title>, url: <its address, when known> }`, with the document committed in the platform folder".to_owned())
    } else if message.contains("missing field") {
        Some("add the missing key; specs/README.md shows an example of every construct".to_owned())
    } else if message.contains("EOF while parsing") {
        Some(
            "the file is empty or ends early; see specs/README.md for what a spec file holds"
                .to_owned(),
        )
    } else {
        None
    };
    let location = Location {
        file: path.to_owned(),
        line,
        column,
    };
    let diagnostic = Diagnostic::new(location, message);
    match help {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

/// For serde's "unknown field `requird`, expected one of `name`, `required`, ..." the
/// expected name closest to the unknown one, if it is close.
fn closest_expected(message: &str) -> Option<String> {
    let mut quoted = message.split('`').skip(1).step_by(2);
    let unknown = quoted.next()?;
    quoted
        .map(|candidate| (strsim::damerau_levenshtein(unknown, candidate), candidate))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, candidate)| candidate.to_owned())
}
