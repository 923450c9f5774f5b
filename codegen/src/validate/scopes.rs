//! Every Rust name and cargo feature the generated crate declares, checked scope by scope once
//! the IR has decided them: two declarations of one name in one scope are a located diagnostic
//! naming both places (or naming what the generated layout itself declares there).
//!
//! Duplicates within one kind of spec entry (two operations with one id, two models with one
//! name) are reported where they are lowered; what is checked here is what appears only once
//! names are derived: an operation `list_stream` beside the stream method of `list`, operations
//! `get_v2` and `get_v_2` whose request types are both `GetV2Request`, a group named like a
//! method of the platform client, a platform whose feature is `mock`, a field `with_validate`
//! beside a field `validate` whose setter is `with_validate`.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::ir;
use crate::load::{Loaded, PlatformSpecs, Specs};
use crate::names;
use crate::spec;

/// Where a name is declared.
enum Origin<'s> {
    /// By the generated crate's own layout: the runtime, the crate root or a client's fixed
    /// methods.
    Layout(&'static str),
    /// By a spec entry, located when reported.
    Spec {
        file: &'s dyn Locate,
        key_path: String,
        what: String,
    },
}

impl Origin<'_> {
    fn what(&self) -> &str {
        match self {
            Origin::Layout(what) => what,
            Origin::Spec { what, .. } => what,
        }
    }
}

/// A spec file that can locate a key path.
trait Locate {
    fn locate_key(&self, key_path: &str) -> Location;
}

impl<T> Locate for Loaded<T> {
    fn locate_key(&self, key_path: &str) -> Location {
        self.locate(key_path)
    }
}

/// The names of one Rust scope (or the crate's feature table).
struct Scope<'s> {
    /// What the names are, for messages (`method of the group client `ReportClient``).
    kind: String,
    declared: FxHashMap<String, Origin<'s>>,
}

impl<'s> Scope<'s> {
    fn new(kind: impl Into<String>, layout: &[(&str, &'static str)]) -> Self {
        let declared = layout
            .iter()
            .map(|(name, what)| ((*name).to_owned(), Origin::Layout(what)))
            .collect();
        Self {
            kind: kind.into(),
            declared,
        }
    }

    /// Declares `name`; a second declaration is reported at its own place, with the first.
    fn declare(&mut self, name: &str, origin: Origin<'s>, diagnostics: &mut Diagnostics) {
        let Some(first) = self.declared.get(name) else {
            self.declared.insert(name.to_owned(), origin);
            return;
        };
        let Origin::Spec {
            file,
            key_path,
            what,
        } = &origin
        else {
            return;
        };
        let message = format!(
            "`{name}` is declared twice as {}: by {what} and by {}",
            self.kind,
            first.what()
        );
        let mut diagnostic = Diagnostic::new(file.locate_key(key_path), message);
        match first {
            Origin::Spec { file, key_path, .. } => {
                diagnostic.related(
                    file.locate_key(key_path),
                    format!("{} is here", first.what()),
                );
                diagnostic.help("rename one of them; the generated crate cannot declare both");
            }
            Origin::Layout(_) => {
                diagnostic.help("the generated code declares this name itself; choose another");
            }
        }
        diagnostics.push(diagnostic);
    }
}

fn spec_origin<'s>(file: &'s dyn Locate, key_path: String, what: String) -> Origin<'s> {
    Origin::Spec {
        file,
        key_path,
        what,
    }
}

/// The crate's cargo features: each platform's two and each group's one, beside the features
/// the crate declares for itself.
pub(super) fn check_crate(api: &ir::Api, specs: &Specs, diagnostics: &mut Diagnostics) {
    let mut features = Scope::new("a cargo feature", names::CRATE_FEATURES);
    for (platform, platform_specs) in api.platforms.iter().zip(&specs.platforms) {
        let service: &dyn Locate = &platform_specs.service;
        features.declare(
            &platform.feature,
            spec_origin(
                service,
                "platform".to_owned(),
                format!("platform `{}`", platform.module),
            ),
            diagnostics,
        );
        features.declare(
            &platform.base_feature,
            spec_origin(
                service,
                "platform".to_owned(),
                format!("the module feature of platform `{}`", platform.module),
            ),
            diagnostics,
        );
        for group in &platform.groups {
            let Some(file) = group_file(platform_specs, group) else {
                continue;
            };
            features.declare(
                &group.feature,
                spec_origin(
                    file,
                    "group".to_owned(),
                    format!("group `{}`", group.module),
                ),
                diagnostics,
            );
        }
    }
}

/// The names of one platform: the platform client's methods, and per group the group
/// client's methods and the `examples` constants.
pub(super) fn check_platform(
    platform: &ir::Platform,
    specs: &PlatformSpecs,
    diagnostics: &mut Diagnostics,
) {
    let mut client_methods = Scope::new(
        format!(
            "a method of `{}::{}`",
            platform.module,
            names::PLATFORM_CLIENT
        ),
        names::PLATFORM_CLIENT_METHODS,
    );
    // The platform module's constants: one per base, credential and signature. A repeated id
    // is reported where it is lowered, so only its first declaration is declared here.
    let service: &dyn Locate = &specs.service;
    let mut constants = Scope::new(format!("a constant of module `{}`", platform.module), &[]);
    let mut declared_ids = FxHashSet::default();
    let entries = platform
        .bases
        .iter()
        .enumerate()
        .map(|(i, b)| ("bases", "base", i, &b.id, &b.const_name))
        .chain(
            platform
                .credentials
                .iter()
                .enumerate()
                .map(|(i, c)| ("credentials", "credential", i, &c.id, &c.const_name)),
        )
        .chain(
            platform
                .signatures
                .iter()
                .enumerate()
                .map(|(i, s)| ("signatures", "signature", i, &s.id, &s.const_name)),
        );
    for (list, kind, i, id, const_name) in entries {
        if declared_ids.insert((list, id.as_str())) {
            let origin = spec_origin(service, format!("{list}[{i}].id"), format!("{kind} `{id}`"));
            constants.declare(const_name, origin, diagnostics);
        }
    }
    for group in &platform.groups {
        let Some(file) = group_file(specs, group) else {
            continue;
        };
        client_methods.declare(
            &group.module,
            spec_origin(
                file,
                "group".to_owned(),
                format!("the accessor of group `{}`", group.module),
            ),
            diagnostics,
        );
        check_group(group, file, diagnostics);
        check_setters(group, file, diagnostics);
    }
}

fn check_group(group: &ir::Group, file: &Loaded<spec::GroupFile>, diagnostics: &mut Diagnostics) {
    let mut methods = Scope::new(
        format!("a method of `{}`", group.client_type),
        names::GROUP_CLIENT_METHODS,
    );
    let mut examples = Scope::new(
        format!(
            "a constant of `{}::{}`",
            group.module,
            names::EXAMPLES_MODULE
        ),
        &[],
    );
    // The types the generator derives from names; models, enums and unions are checked
    // against these by `check_type_clashes`, and among themselves where they are lowered.
    let mut types = Scope::new(format!("a type of module `{}`", group.module), &[]);
    types.declare(
        &group.client_type,
        spec_origin(
            file,
            "group".to_owned(),
            format!("the client of group `{}`", group.module),
        ),
        diagnostics,
    );
    // Every method first, then the stream and pages methods: an operation is named by its id,
    // and the report points at the pagination that made the other name.
    let indices: Vec<usize> = group
        .operations
        .iter()
        .map(|op| spec_index(file, &op.id))
        .collect();
    for (op, i) in group.operations.iter().zip(&indices) {
        let origin = spec_origin(
            file,
            format!("operations[{i}].id"),
            format!("operation `{}`", op.id),
        );
        methods.declare(&op.method_name, origin, diagnostics);
        let origin = spec_origin(
            file,
            format!("operations[{i}].id"),
            format!("the example of operation `{}`", op.id),
        );
        examples.declare(&op.example_const, origin, diagnostics);
        for (ty, what) in [
            (&op.request_type, "request"),
            (&op.response_type, "response"),
        ] {
            let origin = spec_origin(
                file,
                format!("operations[{i}].id"),
                format!("the {what} type of operation `{}`", op.id),
            );
            types.declare(ty, origin, diagnostics);
        }
    }
    for (op, i) in group.operations.iter().zip(&indices) {
        if let Some(pagination) = &op.pagination {
            for (method, what) in [
                (&pagination.stream_method, "stream"),
                (&pagination.pages_method, "pages"),
            ] {
                let origin = spec_origin(
                    file,
                    format!("operations[{i}].pagination"),
                    format!("the {what} method of paginated operation `{}`", op.id),
                );
                methods.declare(method, origin, diagnostics);
            }
        }
    }
}

/// The constructor and setters of each model a request carries (`rt::builder!`): a setter
/// renamed away from a method every request type has (`validate` -> `with_validate`) may meet
/// a field of that name.
fn check_setters(group: &ir::Group, file: &Loaded<spec::GroupFile>, diagnostics: &mut Diagnostics) {
    for (m, model) in group.models.iter().enumerate().filter(|(_, m)| m.sent) {
        let mut methods = Scope::new(
            format!("a method of `{}`", model.name),
            &[("new", "the constructor")],
        );
        for (f, field) in model.fields.iter().enumerate().filter(|(_, f)| !f.required) {
            let origin = spec_origin(
                file,
                format!("models[{m}].fields[{f}].name"),
                format!("the setter of field `{}`", field.wire_name),
            );
            methods.declare(&field.setter_name, origin, diagnostics);
        }
    }
}

/// The group file an IR group was lowered from.
fn group_file<'s>(
    specs: &'s PlatformSpecs,
    group: &ir::Group,
) -> Option<&'s Loaded<spec::GroupFile>> {
    specs
        .groups
        .iter()
        .find(|file| file.path == group.spec_file)
}

/// The index in the file of the operation with this id (the first: lowering keeps the first
/// of duplicates and reports the others).
fn spec_index(file: &Loaded<spec::GroupFile>, id: &str) -> usize {
    file.spec
        .operations
        .iter()
        .position(|op| op.id == id)
        .unwrap_or_default()
}
