//! Compile time of single cargo features of the generated crate, before and after a change of
//! the specs. The "before" crate is what today's generator writes for the specs of an earlier
//! commit, so the figure isolates what the spec change costs a user of the feature (and shows
//! that a group's feature does not pay for groups it does not enable).

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use super::cargo::{run, Project};
use super::ours::{self, Platforms};
use super::{generate, median, progress, Subject, COLD_RUNS};

/// The features measured: a whole platform and one group alone.
pub const FEATURES: [&str; 2] = ["dingtalk", "dingtalk-blackboard"];

/// The commit the "before" crate is generated from when `--baseline` is not given: the last
/// commit before the contacts and work-notification groups (issue #14).
pub const DEFAULT_BASELINE: &str = "986180e";

/// One feature's cold compile, before and after.
#[derive(Debug, Clone)]
pub struct FeatureRow {
    /// The cargo feature (built with `--no-default-features --features <feature>`).
    pub feature: String,
    /// Median cold build of the crate generated from the baseline's specs, in seconds.
    pub before_s: f64,
    /// Median cold build of the checked-in crate, in seconds.
    pub after_s: f64,
}

/// Measures [`FEATURES`] on the crate generated from the specs at `baseline` (a git revision)
/// and on the checked-in crate. Returns the baseline's short hash and the rows.
pub fn measure(root: &Path, baseline: &str) -> Result<(String, Vec<FeatureRow>)> {
    let bench = root.join("target/bench");
    let short = git_short_hash(root, baseline)?;
    let label = format!("features, before = {short}");
    progress(&label, "generating the baseline crate");
    let specs_root = bench.join("baseline-specs");
    extract_specs(root, baseline, &specs_root)?;
    let before_specs = crate::read_specs(&specs_root, "specs")?;
    let (before_files, _) = generate(&before_specs)?;
    let before_dir = bench.join("features-before");
    let after_dir = bench.join("features-after");
    ours::stage(root, &before_dir, &Platforms::Generated(before_files))?;
    ours::stage(root, &after_dir, &Platforms::CheckedIn)?;

    let mut rows = Vec::new();
    for feature in FEATURES {
        let subject = |dir: &Path, target: &str| Subject {
            project: Project {
                dir: dir.to_path_buf(),
                target_dir: bench.join(target),
                build_args: ["--no-default-features", "--features", feature]
                    .map(str::to_owned)
                    .to_vec(),
            },
            package: ours::PACKAGE,
        };
        let before = subject(&before_dir, "target-features-before");
        let after = subject(&after_dir, "target-features-after");
        progress(&label, &format!("`{feature}`: building dependencies"));
        before.build_dependencies()?;
        after.build_dependencies()?;
        // Interleaved, so that a machine slowing down or speeding up during the runs moves
        // both figures alike.
        let (mut before_s, mut after_s) = (Vec::new(), Vec::new());
        for run in 1..=COLD_RUNS {
            progress(
                &label,
                &format!("`{feature}`: cold builds {run} of {COLD_RUNS}"),
            );
            before_s.push(before.cold_once()?.seconds);
            after_s.push(after.cold_once()?.seconds);
        }
        rows.push(FeatureRow {
            feature: feature.to_owned(),
            before_s: median(&mut before_s).unwrap_or_default(),
            after_s: median(&mut after_s).unwrap_or_default(),
        });
    }
    Ok((short, rows))
}

fn git_short_hash(root: &Path, revision: &str) -> Result<String> {
    let output = run(Command::new("git")
        .args(["rev-parse", "--short"])
        .arg(format!("{revision}^{{commit}}"))
        .current_dir(root))?;
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Writes the `specs/` folder of `revision` (sources included) under `dest`.
fn extract_specs(root: &Path, revision: &str, dest: &Path) -> Result<()> {
    if dest.exists() {
        std::fs::remove_dir_all(dest)
            .with_context(|| format!("cannot remove {}", dest.display()))?;
    }
    std::fs::create_dir_all(dest).with_context(|| format!("cannot create {}", dest.display()))?;
    let archive = run(Command::new("git")
        .args(["archive", "--format=tar", revision, "specs"])
        .current_dir(root))?;
    let mut tar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(dest)
        .stdin(Stdio::piped())
        .spawn()
        .context("cannot run `tar`")?;
    tar.stdin
        .take()
        .context("tar has no stdin")?
        .write_all(&archive.stdout)
        .context("cannot pass the archive to `tar`")?;
    let status = tar.wait().context("cannot wait for `tar`")?;
    if !status.success() {
        bail!("`tar -x` of the specs of {revision} failed ({status})");
    }
    Ok(())
}
