//! Rate budgets (`rate_limit`) of bases and operations: checked and named.

use super::PlatformLowering;
use crate::ir;
use crate::load::Loaded;
use crate::spec;

impl PlatformLowering<'_> {
    /// Checks the `rate_limit` at key path `at` of `file` and resolves it as the budget named
    /// `key` (`dingtalk:oapi`, `dingtalk:user.get`); `None` after reporting a bad value.
    pub(super) fn lower_rate_limit<T>(
        &mut self,
        file: &Loaded<T>,
        at: &str,
        rate: &spec::RateLimit,
        key: String,
    ) -> Option<ir::RateLimit> {
        let spec::RateLimit {
            per_second,
            burst,
            scope,
            note,
        } = rate;
        let mut valid = true;
        if *per_second == 0 {
            self.error(
                file.locate(&format!("{at}.per_second")),
                "a rate of 0 calls per second allows no call at all",
            )
            .help("write the documented rate (at least 1), or leave `rate_limit` out for no limit");
            valid = false;
        }
        if *burst == 0 {
            self.error(
                file.locate(&format!("{at}.burst")),
                "a burst of 0 lets no call through",
            )
            .help("use at least 1; `burst: 1` spaces the calls evenly, `1 / per_second` apart");
            valid = false;
        }
        valid.then(|| ir::RateLimit {
            per_second: *per_second,
            burst: *burst,
            scope: (*scope).into(),
            key,
            note: note.clone(),
        })
    }
}
