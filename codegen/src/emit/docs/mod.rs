//! Markdown reference pages and the README's coverage table, rendered from templates with
//! minijinja. The rows handed to the templates are built in `rows`.

mod rows;

use minijinja::{context, Environment, UndefinedBehavior};
use serde::Serialize;

use crate::ir;

const PLATFORM_TEMPLATE: &str = include_str!("../../../templates/platform.md.j2");
const COVERAGE_TEMPLATE: &str = include_str!("../../../templates/coverage.md.j2");

#[derive(Serialize)]
struct CoverageRow {
    title: String,
    module: String,
    listed: usize,
    documented: usize,
    generated: usize,
    tested: usize,
}

/// The coverage table of every platform: endpoints the documents list, those transcribed and
/// generated (every operation of the IR is emitted as a client method), and those a test
/// calls, as `tested(platform, group, method)` says.
pub fn emit_coverage(
    api: &ir::Api,
    tested: &dyn Fn(&str, &str, &str) -> bool,
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
                generated: documented,
                tested: operations()
                    .filter(|(g, op)| tested(&p.module, &g.module, &op.method_name))
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

/// The reference page of one platform: bases, then per group each operation with its
/// parameters, response and an example call, then the group's types.
pub fn emit_platform_doc(platform: &ir::Platform) -> Result<String, minijinja::Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.add_template("platform.md", PLATFORM_TEMPLATE)?;
    let page = rows::page(platform);
    let rendered = env
        .get_template("platform.md")?
        .render(context! { page => page })?;
    Ok(format!("{}\n", rendered.trim_end()))
}
