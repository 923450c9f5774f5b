//! Markdown reference pages, rendered from templates with minijinja.

use minijinja::{context, Environment, UndefinedBehavior};
use serde::Serialize;

use crate::ir::{self, AuthLocation, EnvelopeStyle};

const PLATFORM_TEMPLATE: &str = include_str!("../../templates/platform.md.j2");
const COVERAGE_TEMPLATE: &str = include_str!("../../templates/coverage.md.j2");

#[derive(Serialize)]
struct CoverageRow {
    title: String,
    module: String,
    listed: usize,
    documented: usize,
    generated: usize,
    tested: usize,
}

/// What is known about one operation outside the specs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    /// The checked-in crate has its client method.
    pub generated: bool,
    /// A test calls it.
    pub tested: bool,
}

/// The coverage table of every platform: endpoints the documents list, those transcribed,
/// and, from `status(platform, group, method)`, those generated and those a test calls.
pub fn emit_coverage(
    api: &ir::Api,
    status: &dyn Fn(&str, &str, &str) -> Coverage,
) -> Result<String, minijinja::Error> {
    let platforms: Vec<CoverageRow> = api
        .platforms
        .iter()
        .map(|p| {
            let operations = || {
                p.groups
                    .iter()
                    .flat_map(|g| g.operations.iter().map(move |op| (g, op)))
            };
            let documented = operations().count();
            CoverageRow {
                title: p.title.clone(),
                module: p.module.clone(),
                listed: documented + p.undocumented.len(),
                documented,
                generated: operations()
                    .filter(|(g, op)| status(&p.module, &g.module, &op.method_name).generated)
                    .count(),
                tested: operations()
                    .filter(|(g, op)| status(&p.module, &g.module, &op.method_name).tested)
                    .count(),
            }
        })
        .collect();
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.add_template("coverage.md", COVERAGE_TEMPLATE)?;
    env.get_template("coverage.md")?
        .render(context! { platforms => platforms })
}

#[derive(Serialize)]
struct BaseRow {
    id: String,
    url: String,
    auth: String,
    envelope: String,
}

#[derive(Serialize)]
struct GroupRows {
    module: String,
    operations: Vec<OperationRow>,
}

#[derive(Serialize)]
struct OperationRow {
    method: String,
    http: String,
    summary: String,
}

/// The reference page of one platform.
pub fn emit_platform_doc(platform: &ir::Platform) -> Result<String, minijinja::Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.add_template("platform.md", PLATFORM_TEMPLATE)?;
    let bases: Vec<BaseRow> = platform.bases.iter().map(base_row).collect();
    let groups: Vec<GroupRows> = platform
        .groups
        .iter()
        .map(|g| GroupRows {
            module: g.module.clone(),
            operations: g
                .operations
                .iter()
                .map(|op| OperationRow {
                    method: op.method_name.clone(),
                    http: format!("{} {}", op.http_method.as_str(), op.path_template()),
                    summary: op.summary.clone(),
                })
                .collect(),
        })
        .collect();
    let operation_count: usize = platform.groups.iter().map(|g| g.operations.len()).sum();
    let model_count: usize = platform.groups.iter().map(|g| g.models.len()).sum();
    let rendered = env.get_template("platform.md")?.render(context! {
        spec_file => platform.spec_file,
        title => platform.title,
        module => platform.module,
        description => platform.description,
        sources => platform.sources,
        bases => bases,
        groups => groups,
        operation_count => operation_count,
        model_count => model_count,
    })?;
    Ok(format!("{}\n", rendered.trim_end()))
}

fn base_row(base: &ir::Base) -> BaseRow {
    let auth = match base.auth {
        AuthLocation::Query => format!("query `{}`", base.auth_name),
        AuthLocation::Header => format!("header `{}`", base.auth_name),
        AuthLocation::None => "none".to_owned(),
    };
    let envelope = match base.envelope.style {
        EnvelopeStyle::BodyCode => format!(
            "`{}`/`{}` in the body",
            base.envelope.code_field, base.envelope.message_field
        ),
        EnvelopeStyle::HttpStatus => format!(
            "HTTP status, `{}`/`{}` in error bodies",
            base.envelope.code_field, base.envelope.message_field
        ),
    };
    BaseRow {
        id: base.id.clone(),
        url: base.url.clone(),
        auth,
        envelope,
    }
}
