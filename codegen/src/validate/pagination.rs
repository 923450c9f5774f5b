//! Pagination declarations: every path points at a real field of the right type.

use super::types;
use super::{At, PlatformLowering};
use crate::ir::{self, Type};
use crate::load::Loaded;
use crate::names;
use crate::spec;

impl PlatformLowering<'_> {
    pub(super) fn lower_pagination(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: At<'_>,
        pagination: &spec::Pagination,
        method: &str,
        params: &[ir::Param],
        response: &[ir::Field],
    ) -> Option<ir::Pagination> {
        let spec::Pagination {
            style,
            request,
            items,
            next,
            has_more,
            size,
            total_page,
            total_count,
        } = pagination;
        let inputs: Vec<&ir::Field> = params
            .iter()
            .filter(|p| p.location != ir::ParamLocation::Path)
            .map(|p| &p.field)
            .collect();
        // Every part is checked even after one fails, so that one run reports all of them.
        let request = self.settable_path(group, at.key("request"), request, &inputs);
        if let Some(request) = &request {
            let integer = matches!(request.ty, Type::Int32 | Type::Int64);
            let fits = match style {
                spec::PaginationStyle::Cursor => integer || request.ty == Type::String,
                spec::PaginationStyle::Offset | spec::PaginationStyle::Page => integer,
            };
            if !fits {
                let message =
                    "the page parameter must be an `int32` or `int64` (or a `string` cursor)";
                self.error(at.key("request").locate(group), message);
            }
        }
        let response: Vec<&ir::Field> = response.iter().collect();
        let response = response.as_slice();
        let items = self.path(group, at.key("items"), items, response);
        let item_type = match items.as_ref().map(|items| &items.ty) {
            Some(Type::List(item_type)) => Some((**item_type).clone()),
            Some(_) => {
                let message = "`items` must point at a `list<T>` in the response";
                self.error(at.key("items").locate(group), message);
                None
            }
            None => None,
        };
        let next = self.lower_next(
            group,
            at,
            *style,
            next.as_deref(),
            request.as_ref(),
            response,
        );
        let has_more = has_more.as_ref().and_then(|path| {
            let flag = self.path(group, at.key("has_more"), path, response)?;
            if flag.ty != Type::Boolean {
                self.error(
                    at.key("has_more").locate(group),
                    "`has_more` must point at a `boolean`",
                );
            }
            Some(flag)
        });
        let size = size.as_ref().and_then(|path| {
            let size = self.settable_path(group, at.key("size"), path, &inputs)?;
            if !matches!(size.ty, Type::Int32 | Type::Int64) {
                self.error(
                    at.key("size").locate(group),
                    "`size` must point at an integer parameter",
                );
            }
            Some(size)
        });
        if total_page.is_some() && *style != spec::PaginationStyle::Page {
            let message = "`total_page` ends a `page` listing; this listing does not count pages";
            self.error(at.key("total_page").locate(group), message)
                .help("use `total_count` to end on the number of items");
        }
        let mut count = |key: &str, path: &Option<String>| {
            let path = path.as_ref()?;
            let count = self.path(group, at.key(key), path, response)?;
            if !matches!(count.ty, Type::Int32 | Type::Int64) {
                self.error(
                    at.key(key).locate(group),
                    format!("`{key}` must point at an `int32` or `int64` in the response"),
                );
                return None;
            }
            Some(count)
        };
        let total_page = count("total_page", total_page);
        let total_count = count("total_count", total_count);
        Some(ir::Pagination {
            total_page,
            total_count,
            stream_method: names::stream_method(method),
            pages_method: names::pages_method(method),
            style: (*style).into(),
            request: request?,
            items: items?,
            item_type: item_type?,
            next,
            has_more,
            size,
        })
    }

    fn lower_next(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: At<'_>,
        style: spec::PaginationStyle,
        next: Option<&str>,
        request: Option<&ir::FieldPath>,
        response: &[&ir::Field],
    ) -> Option<ir::FieldPath> {
        match (style, next) {
            (spec::PaginationStyle::Page, Some(_)) => {
                let message = "a `page` listing counts pages itself and takes no `next`";
                self.error(at.key("next").locate(group), message);
                None
            }
            (spec::PaginationStyle::Cursor, None) => {
                let message =
                    "a `cursor` listing needs `next`, the response member with the next cursor";
                self.error(at.locate(group), message);
                None
            }
            (_, Some(path)) => {
                let next = self.path(group, at.key("next"), path, response)?;
                if request.is_some_and(|request| request.ty != next.ty) {
                    let message = "`next` must have the type of the `request` parameter it fills";
                    self.error(at.key("next").locate(group), message);
                }
                Some(next)
            }
            (_, None) => None,
        }
    }

    /// A request path the generated code can write to: every step but the last is required.
    fn settable_path(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: At<'_>,
        path: &str,
        roots: &[&ir::Field],
    ) -> Option<ir::FieldPath> {
        let resolved = self.path(group, at, path, roots)?;
        let (_, parents) = resolved.steps.split_last()?;
        if parents.iter().any(|step| !step.required) {
            self.error(
                at.locate(group),
                format!("every field on the way to `{path}` must be required"),
            )
            .help("the generated code sets the page parameter inside those fields");
            return None;
        }
        Some(resolved)
    }

    /// Resolves a dotted wire path, starting at `roots` and descending through models.
    fn path(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: At<'_>,
        path: &str,
        roots: &[&ir::Field],
    ) -> Option<ir::FieldPath> {
        let mut steps = Vec::new();
        let mut fields = Fields::Lowered(roots);
        let mut ty = None;
        for name in path.split('.') {
            let Some((rust_name, required, field_ty)) = fields.find(name, &self.named.types) else {
                let known: Vec<String> = fields
                    .wire_names()
                    .map(|wire| format!("`{wire}`"))
                    .collect();
                self.error(
                    at.locate(group),
                    format!("`{path}`: there is no field `{name}` here"),
                )
                .help(format!("the fields at this point are {}", known.join(", ")));
                return None;
            };
            steps.push(ir::PathStep {
                wire_name: name.to_owned(),
                rust_name,
                required,
            });
            fields = match &field_ty {
                // Read from the specs: the group that lowers the model may come later.
                Type::Model(r) => self
                    .named
                    .models
                    .get(r.name.as_str())
                    .map_or(Fields::None, |m| Fields::Spec(&m.fields)),
                _ => Fields::None,
            };
            ty = Some(field_ty);
        }
        Some(ir::FieldPath { steps, ty: ty? })
    }
}

/// The fields one step of a path can name.
#[derive(Clone, Copy)]
enum Fields<'a> {
    /// Request parameters or response members, already lowered.
    Lowered(&'a [&'a ir::Field]),
    /// Members of a model, as the spec writes them.
    Spec(&'a [spec::Field]),
    /// Nothing: the previous step is not a model.
    None,
}

impl<'a> Fields<'a> {
    /// The Rust name, requiredness and type of the first field with this wire name.
    fn find(self, wire: &str, named: &types::NamedTypes) -> Option<(String, bool, Type)> {
        match self {
            Fields::Lowered(fields) => fields
                .iter()
                .find(|f| f.wire_name == wire)
                .map(|f| (f.rust_name.clone(), f.required, f.ty.clone())),
            Fields::Spec(fields) => fields.iter().find(|f| f.name == wire).map(|f| {
                let ty = types::resolve(&f.ty, named).unwrap_or(Type::Json);
                (names::field_name(&f.name), f.required, ty)
            }),
            Fields::None => None,
        }
    }

    fn wire_names(self) -> impl Iterator<Item = &'a str> {
        let (lowered, spec) = match self {
            Fields::Lowered(fields) => (fields, &[][..]),
            Fields::Spec(fields) => (&[][..], fields),
            Fields::None => (&[][..], &[][..]),
        };
        lowered
            .iter()
            .map(|f| f.wire_name.as_str())
            .chain(spec.iter().map(|f| f.name.as_str()))
    }
}
