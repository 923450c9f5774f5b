//! Pagination declarations: every path points at a real field of the right type.

use super::PlatformLowering;
use crate::ir::{self, Type};
use crate::load::Loaded;
use crate::names;
use crate::spec;
use crate::types;

impl PlatformLowering<'_> {
    pub(super) fn lower_pagination(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: &str,
        pagination: &spec::Pagination,
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
        } = pagination;
        let inputs: Vec<ir::Field> = params
            .iter()
            .filter(|p| p.location != ir::ParamLocation::Path)
            .map(|p| p.field.clone())
            .collect();
        // Every part is checked even after one fails, so that one run reports all of them.
        let request = self.settable_path(group, &format!("{at}.request"), request, &inputs);
        if let Some(request) = &request {
            let integer = matches!(request.ty, Type::Int32 | Type::Int64);
            let fits = match style {
                spec::PaginationStyle::Cursor => integer || request.ty == Type::String,
                spec::PaginationStyle::Offset | spec::PaginationStyle::Page => integer,
            };
            if !fits {
                let message =
                    "the page parameter must be an `int32` or `int64` (or a `string` cursor)";
                self.error(group.locate(&format!("{at}.request")), message);
            }
        }
        let items = self.path(group, &format!("{at}.items"), items, response);
        let item_type = match items.as_ref().map(|items| &items.ty) {
            Some(Type::List(item_type)) => Some((**item_type).clone()),
            Some(_) => {
                let message = "`items` must point at a `list<T>` in the response";
                self.error(group.locate(&format!("{at}.items")), message);
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
            let flag = self.path(group, &format!("{at}.has_more"), path, response)?;
            if flag.ty != Type::Boolean {
                self.error(
                    group.locate(&format!("{at}.has_more")),
                    "`has_more` must point at a `boolean`",
                );
            }
            Some(flag)
        });
        let size = size.as_ref().and_then(|path| {
            let size = self.settable_path(group, &format!("{at}.size"), path, &inputs)?;
            if !matches!(size.ty, Type::Int32 | Type::Int64) {
                self.error(
                    group.locate(&format!("{at}.size")),
                    "`size` must point at an integer parameter",
                );
            }
            Some(size)
        });
        Some(ir::Pagination {
            style: *style,
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
        at: &str,
        style: spec::PaginationStyle,
        next: Option<&str>,
        request: Option<&ir::FieldPath>,
        response: &[ir::Field],
    ) -> Option<ir::FieldPath> {
        match (style, next) {
            (spec::PaginationStyle::Page, Some(_)) => {
                let message = "a `page` listing counts pages itself and takes no `next`";
                self.error(group.locate(&format!("{at}.next")), message);
                None
            }
            (spec::PaginationStyle::Cursor, None) => {
                let message =
                    "a `cursor` listing needs `next`, the response member with the next cursor";
                self.error(group.locate(at), message);
                None
            }
            (_, Some(path)) => {
                let next = self.path(group, &format!("{at}.next"), path, response)?;
                if request.is_some_and(|request| request.ty != next.ty) {
                    let message = "`next` must have the type of the `request` parameter it fills";
                    self.error(group.locate(&format!("{at}.next")), message);
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
        at: &str,
        path: &str,
        roots: &[ir::Field],
    ) -> Option<ir::FieldPath> {
        let resolved = self.path(group, at, path, roots)?;
        let (_, parents) = resolved.steps.split_last()?;
        if parents.iter().any(|step| !step.required) {
            self.error(
                group.locate(at),
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
        at: &str,
        path: &str,
        roots: &[ir::Field],
    ) -> Option<ir::FieldPath> {
        let mut steps = Vec::new();
        let mut fields: Vec<(String, String, bool, Type)> = roots
            .iter()
            .map(|f| {
                (
                    f.wire_name.clone(),
                    f.rust_name.clone(),
                    f.required,
                    f.ty.clone(),
                )
            })
            .collect();
        let mut ty = None;
        for name in path.split('.') {
            let Some((_, rust_name, required, field_ty)) =
                fields.iter().find(|(wire, ..)| wire == name).cloned()
            else {
                let known: Vec<String> = fields
                    .iter()
                    .map(|(wire, ..)| format!("`{wire}`"))
                    .collect();
                self.error(
                    group.locate(at),
                    format!("`{path}`: there is no field `{name}` here"),
                )
                .help(format!("the fields at this point are {}", known.join(", ")));
                return None;
            };
            steps.push(ir::PathStep {
                rust_name,
                required,
            });
            fields = match &field_ty {
                Type::Model(r) => self.model_fields(&r.name),
                _ => Vec::new(),
            };
            ty = Some(field_ty);
        }
        Some(ir::FieldPath { steps, ty: ty? })
    }

    /// The fields of a model, read from the specs (the group lowering them may come later).
    fn model_fields(&self, name: &str) -> Vec<(String, String, bool, Type)> {
        let model = self
            .specs
            .groups
            .iter()
            .flat_map(|g| &g.spec.models)
            .find(|m| m.name == name);
        model
            .map(|m| {
                m.fields
                    .iter()
                    .map(|f| {
                        let ty = types::resolve(&f.ty, &self.named).unwrap_or(Type::Json);
                        (f.name.clone(), names::field_name(&f.name), f.required, ty)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}
