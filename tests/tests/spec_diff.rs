//! `cargo xtask diff`: the verdict of every change between the two prepared versions of a
//! made-up platform in `tests/fixtures/diff/{old,new}/fleet`, snapshots of the text and
//! Markdown reports, and the command run against a real git repository.

use std::path::Path;
use std::process::Command;

// `Doc` and `Limit` are also `Aspect` variants, which the expectations import by name.
use codegen::diff::{
    Aspect, ChangeKind, Doc as D, Limit as L, SpecDiff, Subject, Target, Verdict,
    Verdict::{Breaking, Compatible},
};
use tests::support::{copy_tree, workspace_root};

fn load(version: &str) -> codegen::ir::Api {
    let root = workspace_root().join("tests/fixtures/diff");
    let files = xtask::read_specs(&root, version).expect("fixture readable");
    codegen::check(&files).unwrap_or_else(|d| panic!("{version} specs are invalid:\n{d}"))
}

fn fixture_diff() -> SpecDiff {
    codegen::diff::diff(&load("old"), &load("new"))
}

type Expected = (Subject, Target, Aspect, ChangeKind, Verdict);

fn platform() -> Subject {
    Subject::Platform
}
fn base(id: &str) -> Subject {
    Subject::Base(id.into())
}
fn group(module: &str) -> Subject {
    Subject::Group(module.into())
}
fn op(group: &str, id: &str) -> Subject {
    Subject::Operation {
        group: group.into(),
        id: id.into(),
    }
}
fn model(name: &str) -> Subject {
    Subject::Model(name.into())
}
fn enumeration(name: &str) -> Subject {
    Subject::Enum(name.into())
}
fn union(name: &str) -> Subject {
    Subject::Union(name.into())
}
fn request(wire: &str) -> Target {
    Target::Request(wire.into())
}
fn response(wire: &str) -> Target {
    Target::Response(wire.into())
}
fn field(wire: &str) -> Target {
    Target::Field(wire.into())
}
fn value(wire: &str) -> Target {
    Target::Value(wire.into())
}
fn variant(tag: &str) -> Target {
    Target::Variant(tag.into())
}

const ITSELF: Target = Target::Itself;

/// Every change between `old/` and `new/`, with the verdict a user of the generated crate
/// would give it. Written by hand from the rules in `codegen/src/diff/mod.rs`.
fn expected() -> Vec<Expected> {
    use Aspect::*;
    use ChangeKind::*;
    vec![
        // The platform.
        (platform(), ITSELF, Doc(D::Description), Changed, Compatible),
        (
            platform(),
            Target::Undocumented("Vehicles / Export vehicles".into()),
            Presence,
            Removed,
            Compatible,
        ),
        (
            platform(),
            Target::Undocumented("Fleets / Merge fleets".into()),
            Presence,
            Added,
            Compatible,
        ),
        // Bases: the URL, the envelope and error codes are runtime data.
        (base("legacy"), ITSELF, Presence, Removed, Breaking),
        (base("main"), ITSELF, Url, Changed, Compatible),
        (base("main"), ITSELF, Envelope, Changed, Compatible),
        (
            base("main"),
            Target::ErrorCode("1002".into()),
            Meaning,
            Changed,
            Compatible,
        ),
        (
            base("main"),
            Target::ErrorCode("1003".into()),
            Presence,
            Added,
            Compatible,
        ),
        (base("v2"), ITSELF, Presence, Added, Compatible),
        // Groups.
        (group("drivers"), ITSELF, Presence, Added, Compatible),
        (group("trips"), ITSELF, Presence, Removed, Breaking),
        (
            group("vehicles"),
            ITSELF,
            Doc(D::Description),
            Changed,
            Compatible,
        ),
        // Operations added and removed.
        (op("trips", "list"), ITSELF, Presence, Removed, Breaking),
        (
            op("vehicles", "archive"),
            ITSELF,
            Presence,
            Added,
            Compatible,
        ),
        (
            op("vehicles", "delete"),
            ITSELF,
            Presence,
            Removed,
            Breaking,
        ),
        // Method, path and parameter location: wire changes.
        (op("vehicles", "get"), ITSELF, Method, Changed, Compatible),
        (op("vehicles", "get"), ITSELF, Path, Changed, Compatible),
        (
            op("vehicles", "get"),
            ITSELF,
            Doc(D::Note),
            Added,
            Compatible,
        ),
        // GET is idempotent by default and POST is not.
        (
            op("vehicles", "get"),
            ITSELF,
            Idempotent,
            Changed,
            Compatible,
        ),
        (
            op("vehicles", "get"),
            request("id"),
            Location,
            Changed,
            Compatible,
        ),
        (
            op("vehicles", "get"),
            response("vehicle"),
            Lenient,
            Added,
            Compatible,
        ),
        // Pagination added and removed.
        (
            op("vehicles", "history"),
            ITSELF,
            Pagination,
            Added,
            Compatible,
        ),
        (
            op("vehicles", "positions"),
            ITSELF,
            Pagination,
            Removed,
            Breaking,
        ),
        // A limit of a field only received is documentation; lenient decoding taken away
        // from a received field breaks responses that decoded before.
        (
            op("vehicles", "positions"),
            response("count"),
            Limit(L::Max),
            Tightened,
            Compatible,
        ),
        (
            op("vehicles", "positions"),
            response("count"),
            Lenient,
            Removed,
            Breaking,
        ),
        // Request parameters.
        (
            op("vehicles", "list"),
            ITSELF,
            Doc(D::Description),
            Added,
            Compatible,
        ),
        (
            op("vehicles", "list"),
            request("color"),
            Presence,
            Removed,
            Breaking,
        ),
        (
            op("vehicles", "list"),
            request("fleet_id"),
            Presence,
            Added,
            Breaking,
        ),
        (
            op("vehicles", "list"),
            request("keyword"),
            Limit(L::MaxLength),
            Loosened,
            Compatible,
        ),
        (
            op("vehicles", "list"),
            request("keyword"),
            Doc(D::Example),
            Changed,
            Compatible,
        ),
        (
            op("vehicles", "list"),
            request("lang"),
            Default,
            Changed,
            Compatible,
        ),
        (
            op("vehicles", "list"),
            request("min_year"),
            Limit(L::Min),
            Added,
            Breaking,
        ),
        (
            op("vehicles", "list"),
            request("owner"),
            Required,
            Changed,
            Breaking,
        ),
        (
            op("vehicles", "list"),
            request("page_size"),
            Limit(L::Max),
            Tightened,
            Breaking,
        ),
        (
            op("vehicles", "list"),
            request("q"),
            Location,
            Changed,
            Compatible,
        ),
        (
            op("vehicles", "list"),
            request("region"),
            Presence,
            Added,
            Compatible,
        ),
        (
            op("vehicles", "list"),
            request("since"),
            Type,
            Changed,
            // `timestamp_ms` is `Millis` in Rust, no longer `i64`.
            Breaking,
        ),
        (
            op("vehicles", "list"),
            request("tag"),
            Type,
            Changed,
            Breaking,
        ),
        // Response members.
        (
            op("vehicles", "list"),
            response("legacy_count"),
            Presence,
            Removed,
            Breaking,
        ),
        (
            op("vehicles", "list"),
            response("next_page"),
            Required,
            Changed,
            Breaking,
        ),
        (
            op("vehicles", "list"),
            response("total"),
            Presence,
            Added,
            Compatible,
        ),
        (
            op("vehicles", "list"),
            response("updated_at"),
            Nullable,
            Changed,
            Breaking,
        ),
        // Auth, stability, idempotent, send_default.
        (op("vehicles", "ping"), ITSELF, Auth, Changed, Compatible),
        (
            op("vehicles", "ping"),
            ITSELF,
            Stability,
            Changed,
            Compatible,
        ),
        (
            op("vehicles", "ping"),
            ITSELF,
            Idempotent,
            Changed,
            Compatible,
        ),
        (
            op("vehicles", "ping"),
            ITSELF,
            Doc(D::Summary),
            Changed,
            Compatible,
        ),
        (
            op("vehicles", "ping"),
            request("User-Agent"),
            SendDefault,
            Changed,
            Compatible,
        ),
        (op("vehicles", "update"), ITSELF, Base, Changed, Compatible),
        (op("vehicles", "update"), ITSELF, Auth, Changed, Breaking),
        // A renamed model: removal, addition, and a type change where it is used.
        (model("Driver"), ITSELF, Presence, Removed, Breaking),
        (model("Operator"), ITSELF, Presence, Added, Compatible),
        (model("Vehicle"), field("driver"), Type, Changed, Breaking),
        // A model that moves to another group and starts being sent.
        (model("Location"), ITSELF, DefiningGroup, Changed, Breaking),
        (model("Location"), ITSELF, Sent, Changed, Compatible),
        // Fields of a model only received.
        (model("Vehicle"), field("mileage"), Type, Changed, Breaking),
        (
            model("Vehicle"),
            field("nickname"),
            Presence,
            Removed,
            Breaking,
        ),
        (
            model("Vehicle"),
            field("plate"),
            Limit(L::MaxLength),
            Added,
            Compatible,
        ),
        (model("Vehicle"), field("vin"), Presence, Added, Compatible),
        // Fields of a model sent in requests.
        (
            model("VehicleFilter"),
            field("brand"),
            Doc(D::Description),
            Added,
            Compatible,
        ),
        (
            model("VehicleFilter"),
            field("electric"),
            Presence,
            Added,
            Compatible,
        ),
        (
            model("VehicleFilter"),
            field("fuel"),
            Presence,
            Added,
            Breaking,
        ),
        (
            model("VehicleFilter"),
            field("models"),
            Limit(L::MinItems),
            Added,
            Breaking,
        ),
        (
            model("VehicleFilter"),
            field("year"),
            Presence,
            Removed,
            Breaking,
        ),
        // Enums.
        (enumeration("Fuel"), ITSELF, Presence, Added, Compatible),
        (
            enumeration("Priority"),
            ITSELF,
            ValueType,
            Changed,
            Breaking,
        ),
        (
            enumeration("Status"),
            value("active"),
            Doc(D::Description),
            Changed,
            Compatible,
        ),
        (
            enumeration("Status"),
            value("maintenance"),
            Presence,
            Added,
            Compatible,
        ),
        (
            enumeration("Status"),
            value("parked"),
            VariantName,
            Changed,
            Breaking,
        ),
        (
            enumeration("Status"),
            value("retired"),
            Presence,
            Removed,
            Breaking,
        ),
        // Unions.
        (union("Payload"), ITSELF, Tag, Changed, Compatible),
        (
            union("Payload"),
            variant("audio"),
            Presence,
            Removed,
            Breaking,
        ),
        (union("Payload"), variant("photo"), Type, Changed, Breaking),
        (
            union("Payload"),
            variant("photo"),
            Supported,
            Changed,
            Compatible,
        ),
        (
            union("Payload"),
            variant("video"),
            Presence,
            Added,
            Compatible,
        ),
    ]
}

fn actual(diff: &SpecDiff) -> Vec<Expected> {
    diff.changes()
        .map(|(platform, subject, change)| {
            assert_eq!(platform, "fleet");
            (
                subject.clone(),
                change.target.clone(),
                change.aspect,
                change.kind,
                change.verdict,
            )
        })
        .collect()
}

#[test]
fn every_change_gets_the_expected_verdict() {
    let diff = fixture_diff();
    let mut expected = expected();
    let mut actual = actual(&diff);
    expected.sort();
    actual.sort();
    let missing: Vec<_> = expected.iter().filter(|e| !actual.contains(e)).collect();
    let unexpected: Vec<_> = actual.iter().filter(|a| !expected.contains(a)).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "missing: {missing:#?}\nunexpected: {unexpected:#?}"
    );
    assert_eq!(expected, actual);
    assert!(actual.len() >= 20);
    let breaking = expected.iter().filter(|e| e.4 == Breaking).count();
    assert_eq!(diff.breaking_count(), breaking);
    assert_eq!(diff.compatible_count(), expected.len() - breaking);
}

#[test]
fn a_version_compared_with_itself_has_no_changes() {
    let api = load("new");
    let diff = codegen::diff::diff(&api, &api);
    assert!(diff.is_empty());
    assert_eq!(diff.breaking_count(), 0);
    let text = codegen::diff::render_text(&diff, "HEAD").expect("renders");
    assert_eq!(text, "No spec changes since HEAD.\n");
}

#[test]
fn swapping_the_versions_swaps_additions_and_removals() {
    let forward = fixture_diff();
    let backward = codegen::diff::diff(&load("new"), &load("old"));
    let presence = |diff: &SpecDiff, kind: ChangeKind| {
        let mut found: Vec<(Subject, Target)> = diff
            .changes()
            .filter(|(_, _, c)| c.aspect == Aspect::Presence && c.kind == kind)
            .map(|(_, s, c)| (s.clone(), c.target.clone()))
            .collect();
        found.sort();
        found
    };
    assert_eq!(
        presence(&forward, ChangeKind::Added),
        presence(&backward, ChangeKind::Removed)
    );
    assert_eq!(
        presence(&forward, ChangeKind::Removed),
        presence(&backward, ChangeKind::Added)
    );
}

#[test]
fn the_reports_are_stable() {
    let diff = fixture_diff();
    let text = codegen::diff::render_text(&diff, "old").expect("text renders");
    let markdown = codegen::diff::render_markdown(&diff, "old").expect("markdown renders");
    assert_eq!(
        markdown,
        codegen::diff::render_markdown(&fixture_diff(), "old").expect("renders"),
        "the report depends on more than its input"
    );
    insta::assert_snapshot!("text", text);
    insta::assert_snapshot!("markdown", markdown);
}

/// Runs git in `dir` with a fixed identity, so the test needs no user configuration.
fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=spec diff test",
            "-c",
            "user.email=test@example.com",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?} failed");
}

/// A git repository whose `HEAD` holds the old specs and whose working tree the new ones.
fn repository_with_a_change() -> tempfile::TempDir {
    let repo = tempfile::tempdir().expect("temp dir");
    let root = repo.path();
    let fixtures = workspace_root().join("tests/fixtures/diff");
    copy_tree(&fixtures.join("old"), &root.join("specs"));
    git(root, &["init", "--quiet"]);
    git(root, &["add", "specs"]);
    git(root, &["commit", "--quiet", "-m", "old specs"]);
    std::fs::remove_dir_all(root.join("specs")).expect("remove old specs");
    copy_tree(&fixtures.join("new"), &root.join("specs"));
    repo
}

#[test]
fn xtask_diff_compares_a_git_ref_with_the_working_tree() {
    let repo = repository_with_a_change();
    let root = repo.path();
    let expected_breaking = expected().iter().filter(|e| e.4 == Breaking).count();

    let options = xtask::diff::DiffOptions::default();
    let report = xtask::diff::compare(root, &options).expect("diff runs");
    assert_eq!(report.diff, fixture_diff());
    assert_eq!(report.diff.breaking_count(), expected_breaking);
    assert!(report.passed, "passed without --fail-on-breaking");
    assert!(report.rendered.starts_with("Spec changes since HEAD: "));

    let strict = xtask::diff::DiffOptions {
        fail_on_breaking: true,
        format: xtask::diff::Format::Markdown,
        ..xtask::diff::DiffOptions::default()
    };
    let report = xtask::diff::compare(root, &strict).expect("diff runs");
    assert!(
        !report.passed,
        "--fail-on-breaking passed with breaking changes"
    );
    assert!(!xtask::diff::run(root, &strict).expect("diff runs"));
    assert!(report.rendered.starts_with("## Spec changes since `HEAD`"));

    // Once the change is committed there is nothing left to report, and nothing fails.
    git(root, &["add", "-A", "specs"]);
    git(root, &["commit", "--quiet", "-m", "new specs"]);
    let report = xtask::diff::compare(root, &strict).expect("diff runs");
    assert!(report.diff.is_empty());
    assert!(report.passed);
    let report = xtask::diff::compare(
        root,
        &xtask::diff::DiffOptions {
            base: "HEAD~1".into(),
            ..strict
        },
    )
    .expect("diff runs");
    assert_eq!(report.diff.breaking_count(), expected_breaking);
}

#[test]
fn xtask_diff_reports_a_base_that_cannot_be_compared() {
    let repo = repository_with_a_change();
    let root = repo.path();
    let options = |base: &str| xtask::diff::DiffOptions {
        base: base.into(),
        ..xtask::diff::DiffOptions::default()
    };

    let err = xtask::diff::compare(root, &options("no-such-branch")).expect_err("unknown ref");
    assert!(
        format!("{err:#}").contains("`no-such-branch` does not name a commit"),
        "{err:#}"
    );

    // A base whose specs do not load names the ref and the broken file.
    let service = root.join("specs/fleet/service.yaml");
    let good = std::fs::read_to_string(&service).expect("read");
    std::fs::write(&service, good.replace("title: Fleet", "titel: Fleet")).expect("write");
    git(root, &["commit", "--quiet", "-am", "a broken spec"]);
    std::fs::write(&service, good).expect("write");
    let err = xtask::diff::compare(root, &options("HEAD")).expect_err("broken base");
    let message = format!("{err:#}");
    assert!(
        message.contains("the specs at `HEAD` do not load"),
        "{message}"
    );
    assert!(message.contains("specs/fleet/service.yaml"), "{message}");
}
