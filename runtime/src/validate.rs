//! Checking documented limits before a request is sent.

use super::InvalidRequest;

/// Implemented by generated request models that carry limits.
pub trait Validate {
    /// Reports the first broken limit to `v`.
    fn check_limits(&self, v: &mut Validator);
}

/// Checks every documented limit of a model or union (such as a message body built by hand),
/// returning the first broken one with its field path.
pub fn validate<T: Validate + ?Sized>(value: &T) -> Result<(), InvalidRequest> {
    let mut v = Validator::default();
    value.check_limits(&mut v);
    v.finish()
}

/// Walks a request and keeps the first broken limit with its field path.
///
/// The path is written only for a broken limit, on the way back up from it (each level puts
/// its field in front), so that a request within its limits is checked without building a
/// string: that was most of `validate()`'s cost.
#[derive(Debug, Default)]
pub struct Validator {
    error: Option<InvalidRequest>,
}

impl Validator {
    /// The first broken limit, if any.
    pub fn finish(self) -> Result<(), InvalidRequest> {
        match self.error {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// Checks a number against `min..=max`.
    #[inline]
    pub fn number(&mut self, field: &str, value: Option<i64>, min: Option<i64>, max: Option<i64>) {
        if let Some(value) = value {
            if min.is_some_and(|min| value < min) || max.is_some_and(|max| value > max) {
                self.fail(field, format!("is {value}, outside {}", range(min, max)));
            }
        }
    }

    /// Checks that a number is at most `max` from a sibling's, either way (a time window such
    /// as "start_time参数和end_time参数最多相隔180天"); `distance` says `max` in the documents'
    /// words ("180 days"). Nothing is checked unless both are set.
    #[inline]
    pub fn apart(
        &mut self,
        field: &str,
        value: Option<i64>,
        from: &str,
        from_value: Option<i64>,
        max: u64,
        distance: &str,
    ) {
        if let (Some(value), Some(from_value)) = (value, from_value) {
            if value.abs_diff(from_value) > max {
                self.fail(field, format!("is more than {distance} from `{from}`"));
            }
        }
    }

    /// Checks a string's length in characters, as the documents count it.
    #[inline]
    pub fn length(&mut self, field: &str, value: Option<&str>, min: Option<u64>, max: Option<u64>) {
        if let Some(value) = value {
            // A UTF-8 string has between a quarter of its bytes and all of them as
            // characters: when both bounds hold for that range, no count is needed.
            let bytes = value.len() as u64;
            if max.is_none_or(|max| bytes <= max) && min.is_none_or(|min| bytes.div_ceil(4) >= min)
            {
                return;
            }
            let n = value.chars().count() as u64;
            if min.is_some_and(|min| n < min) || max.is_some_and(|max| n > max) {
                self.fail(
                    field,
                    format!("has {n} characters, outside {}", range(min, max)),
                );
            }
        }
    }

    /// Checks the number of items of a list.
    #[inline]
    pub fn items(&mut self, field: &str, len: Option<usize>, min: Option<u64>, max: Option<u64>) {
        if let Some(len) = len {
            let n = len as u64;
            if min.is_some_and(|min| n < min) || max.is_some_and(|max| n > max) {
                self.fail(field, format!("has {n} items, outside {}", range(min, max)));
            }
        }
    }

    /// Checks a string against a documented format (`pattern`). Needs the `pattern` feature,
    /// which the generated crate enables for the groups that have such a limit.
    #[cfg(feature = "pattern")]
    pub fn pattern(&mut self, field: &str, value: Option<&str>, pattern: &Pattern) {
        let Some(value) = value else { return };
        if self.error.is_some() {
            return;
        }
        match pattern.regex() {
            Ok(regex) if regex.is_match(value) => {}
            Ok(_) => self.fail(field, format!("does not match `{}`", pattern.source)),
            // The generator compiled the pattern already; this only guards a hand-made one.
            Err(err) => self.fail(
                field,
                format!("has an unusable pattern `{}`: {err}", pattern.source),
            ),
        }
    }

    /// Checks a nested model.
    #[inline]
    pub fn nested<T: Validate>(&mut self, field: &str, value: Option<&T>) {
        if let (Some(value), None) = (value, &self.error) {
            value.check_limits(self);
            // Checking stops at the first broken limit, so an error now was found below.
            if let Some(error) = &mut self.error {
                error.path.insert(0, '.');
                error.path.insert_str(0, field);
            }
        }
    }

    /// Checks every model of a list.
    #[inline]
    pub fn each<T: Validate>(&mut self, field: &str, values: Option<&[T]>) {
        for (i, value) in values.unwrap_or_default().iter().enumerate() {
            if self.error.is_some() {
                return;
            }
            value.check_limits(self);
            if let Some(error) = &mut self.error {
                error.path.insert_str(0, &format!("{field}[{i}]."));
            }
        }
    }

    fn fail(&mut self, field: &str, reason: String) {
        if self.error.is_none() {
            self.error = Some(InvalidRequest {
                path: field.to_owned(),
                reason,
            });
        }
    }
}

/// A documented format of a string field: a regular expression, compiled on first use and
/// kept (generated code declares one `static` per checked field).
#[cfg(feature = "pattern")]
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    compiled: std::sync::OnceLock<Result<regex::Regex, String>>,
}

#[cfg(feature = "pattern")]
impl Pattern {
    /// A pattern from its source (Rust `regex` syntax); compiled when first checked.
    pub const fn new(source: &'static str) -> Self {
        Self {
            source,
            compiled: std::sync::OnceLock::new(),
        }
    }

    /// The pattern as the spec writes it.
    pub fn source(&self) -> &'static str {
        self.source
    }

    fn regex(&self) -> Result<&regex::Regex, &str> {
        self.compiled
            .get_or_init(|| regex::Regex::new(self.source).map_err(|err| err.to_string()))
            .as_ref()
            .map_err(String::as_str)
    }
}

fn range<T: std::fmt::Display>(min: Option<T>, max: Option<T>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("{min}..={max}"),
        (Some(min), None) => format!("{min}.."),
        (None, Some(max)) => format!("..={max}"),
        (None, None) => "any".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exact rule: the number of characters within the bounds.
    fn within(value: &str, min: Option<u64>, max: Option<u64>) -> bool {
        let n = value.chars().count() as u64;
        min.is_none_or(|min| n >= min) && max.is_none_or(|max| n <= max)
    }

    #[test]
    fn a_length_is_checked_in_characters_whatever_the_bytes_say() {
        // One to four bytes per character, around every bound that matters here.
        let texts = [
            "",
            "a",
            "ab",
            "abcd",
            "é",
            "éé",
            "名",
            "名名名",
            "😀",
            "😀😀",
            "a名😀é",
        ];
        for text in texts {
            for min in [None, Some(0), Some(1), Some(2), Some(3), Some(4), Some(12)] {
                for max in [None, Some(0), Some(1), Some(2), Some(3), Some(4), Some(12)] {
                    let mut v = Validator::default();
                    v.length("f", Some(text), min, max);
                    assert_eq!(
                        v.finish().is_ok(),
                        within(text, min, max),
                        "{text:?} within {min:?}..={max:?}"
                    );
                }
            }
        }
    }
}
