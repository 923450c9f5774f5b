//! Type expressions in specs (`string`, `list<int64>`, `csv<int32>`, `PageVo`) and their
//! resolution against the models of a platform.

use rustc_hash::FxHashMap;

use crate::ir::{Type, TypeRef};

/// The scalar type names a spec may use, in the order `specs/README.md` lists them.
pub const SCALARS: &[&str] = &[
    "string",
    "boolean",
    "int32",
    "int64",
    "float64",
    "timestamp_ms",
    "datetime",
    "secret",
    "json",
    "file",
];

/// The type constructors a spec may use.
pub const CONSTRUCTORS: &[&str] = &["list", "map", "csv"];

/// Why a type expression could not be resolved; `help` says what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeError {
    pub message: String,
    pub help: String,
}

/// What a named type of a platform is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A model (object).
    Model,
    /// An enum.
    Enum,
    /// A union.
    Union,
}

/// The named types of a platform: name -> (defining group, kind). Hashed, since every field's
/// type is looked up here; suggestions for unknown names do not depend on the map's order.
pub type NamedTypes<'a> = FxHashMap<&'a str, (&'a str, Kind)>;

/// Resolves `expr`, looking up named types in `models`.
pub fn resolve(expr: &str, models: &NamedTypes<'_>) -> Result<Type, TypeError> {
    let expr = expr.trim();
    if let Some(open) = expr.find('<') {
        let Some(inner) = expr[open + 1..].strip_suffix('>') else {
            return Err(TypeError {
                message: format!("malformed type `{expr}`"),
                help: "write a constructor as `list<T>`, `map<T>` or `csv<T>`".to_owned(),
            });
        };
        let inner_type = resolve(inner, models)?;
        if inner_type == Type::File {
            return Err(TypeError {
                message: format!("`{expr}`: a `file` is one part of a multipart body"),
                help: "declare one `file` body member per part".to_owned(),
            });
        }
        return match &expr[..open] {
            "list" => Ok(Type::List(Box::new(inner_type))),
            "map" => Ok(Type::Map(Box::new(inner_type))),
            "csv" => match inner_type {
                Type::String | Type::Int32 | Type::Int64 => Ok(Type::Csv(Box::new(inner_type))),
                _ => Err(TypeError {
                    message: format!("`{expr}` cannot be carried in a comma-separated string"),
                    help: "use `csv<string>`, `csv<int32>` or `csv<int64>`".to_owned(),
                }),
            },
            other => Err(unknown(other, CONSTRUCTORS.iter().copied(), "constructor")),
        };
    }
    let scalar = match expr {
        "string" => Type::String,
        "boolean" => Type::Boolean,
        "int32" => Type::Int32,
        "int64" => Type::Int64,
        "float64" => Type::Float64,
        "timestamp_ms" => Type::TimestampMs,
        "datetime" => Type::DateTime,
        "secret" => Type::Secret,
        "json" => Type::Json,
        "file" => Type::File,
        name => match models.get(name) {
            Some(&(group, kind)) => {
                let reference = TypeRef {
                    group: group.to_owned(),
                    name: name.to_owned(),
                };
                match kind {
                    Kind::Model => Type::Model(reference),
                    Kind::Enum => Type::Enum(reference),
                    Kind::Union => Type::Union(reference),
                }
            }
            None => {
                let known = SCALARS.iter().copied().chain(models.keys().copied());
                return Err(unknown(name, known, "type"));
            }
        },
    };
    Ok(scalar)
}

fn unknown<'a>(name: &str, known: impl Iterator<Item = &'a str>, what: &str) -> TypeError {
    let best = known
        .map(|candidate| {
            (
                strsim::damerau_levenshtein(&name.to_lowercase(), &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= 2)
        .min();
    let help = match best {
        Some((_, candidate)) => format!("did you mean `{candidate}`?"),
        None => format!(
            "use a scalar ({}), `list<T>`, `map<T>`, `csv<T>` or the name of a model of this platform",
            SCALARS.join(", ")
        ),
    };
    TypeError {
        message: format!("unknown {what} `{name}`"),
        help,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn models() -> NamedTypes<'static> {
        NamedTypes::from_iter([("PageVo", ("report", Kind::Model))])
    }

    #[test]
    fn resolves_scalars_and_constructors() {
        assert_eq!(resolve("string", &models()), Ok(Type::String));
        assert_eq!(
            resolve("list<int64>", &models()),
            Ok(Type::List(Box::new(Type::Int64)))
        );
        assert_eq!(
            resolve("csv<int32>", &models()),
            Ok(Type::Csv(Box::new(Type::Int32)))
        );
        let page = Type::Model(TypeRef {
            group: "report".to_owned(),
            name: "PageVo".to_owned(),
        });
        assert_eq!(
            resolve("map<list<PageVo>>", &models()),
            Ok(Type::Map(Box::new(Type::List(Box::new(page)))))
        );
    }

    #[test]
    fn suggests_close_names() {
        let err = resolve("Sting", &models()).unwrap_err();
        assert_eq!(err.message, "unknown type `Sting`");
        assert_eq!(err.help, "did you mean `string`?");
        let err = resolve("list<PageV>", &models()).unwrap_err();
        assert_eq!(err.help, "did you mean `PageVo`?");
        let err = resolve("csv<boolean>", &models()).unwrap_err();
        assert!(err.message.contains("comma-separated"), "{}", err.message);
        let err = resolve("lst<string>", &models()).unwrap_err();
        assert_eq!(err.message, "unknown constructor `lst`");
    }
}
