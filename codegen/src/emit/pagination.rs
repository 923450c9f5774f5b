//! `Paginated` impls and the `<method>_stream` and `<method>_pages` methods of operations that
//! page through a listing.

use proc_macro2::TokenStream;
use quote::quote;

use super::operations::response_type;
use super::rust::{ident, rust_type, title_text};
use crate::ir::{self, PaginationStyle, Type};

/// The `Paginated` impl of an operation's request.
pub fn emit_paginated(op: &ir::Operation, pagination: &ir::Pagination, group: &str) -> TokenStream {
    let ir::Pagination {
        // The stream and pages methods are emitted on the group client, apart from this impl.
        stream_method: _,
        pages_method: _,
        style,
        request,
        items,
        item_type,
        next,
        has_more,
        size,
        total_page,
        total_count,
    } = pagination;
    let name = ident(&op.request_type);
    let response = response_type(op, group);
    let item = rust_type(item_type, group);
    let cursor = cursor_text(request);
    let take = take_items(items);
    let stop_on_flag = has_more.as_ref().map(|flag| {
        let flag = read(flag);
        quote!(if #flag == Some(&false) { return false; })
    });
    let stop_on_short_page = size.as_ref().map(|size| {
        let place = place(size);
        if last(size).required {
            quote!(if usize::try_from(#place).is_ok_and(|size| items < size) { return false; })
        } else {
            quote!(if #place.and_then(|size| usize::try_from(size).ok()).is_some_and(|size| items < size) { return false; })
        }
    });
    // The page just received was the last numbered one.
    let stop_on_total_page = total_page.as_ref().map(|total| {
        let read_total = read(total);
        let current = widen(current_page(request), &request.ty);
        let total = widen(quote!(total), &total.ty);
        quote! {
            if let Some(&total) = #read_total {
                if #current >= #total { return false; }
            }
        }
    });
    // Every item of the listing has arrived.
    let stop_on_total_count = total_count.as_ref().map(|total| {
        let read_total = read(total);
        let total = widen(quote!(total), &total.ty);
        quote! {
            if let Some(&total) = #read_total {
                if i64::try_from(seen).is_ok_and(|seen| seen >= #total) { return false; }
            }
        }
    });
    // Parameters the chosen end signals do not read get a leading underscore.
    let uses_response =
        has_more.is_some() || next.is_some() || total_page.is_some() || total_count.is_some();
    let uses_items = size.is_some() || (*style == PaginationStyle::Offset && next.is_none());
    let seen_arg = ident(if total_count.is_some() {
        "seen"
    } else {
        "_seen"
    });
    let response_arg = ident(if uses_response {
        "response"
    } else {
        "_response"
    });
    let items_arg = ident(if uses_items { "items" } else { "_items" });
    let step = match (style, next) {
        (_, Some(next)) => follow(request, next),
        (PaginationStyle::Offset, None) => count_on(request, Some(quote!(items)), 0),
        (_, None) => count_on(request, None, 1),
    };
    quote! {
        impl rt::Paginated for #name {
            type Item = #item;
            fn cursor(&self) -> String {
                #cursor
            }
            fn take_items(response: &mut #response) -> Vec<#item> {
                #take
            }
            fn advance(&mut self, #response_arg: &#response, #items_arg: usize, #seen_arg: usize) -> bool {
                #stop_on_flag
                #stop_on_short_page
                #stop_on_total_page
                #stop_on_total_count
                #step
            }
        }
    }
}

/// `<method>_stream` on the group's sub-client.
pub fn emit_stream_method(
    op: &ir::Operation,
    pagination: &ir::Pagination,
    group: &str,
) -> TokenStream {
    let method = ident(&pagination.stream_method);
    let request = ident(&op.request_type);
    let item = rust_type(&pagination.item_type, group);
    let doc = format!(
        " {}: every item of every page, starting at the page `request` asks for. Pages are fetched one after another; the stream ends after the last page or after an error.",
        title_text(&op.summary)
    );
    // Inline for the reason the `rt::client!` methods are: the stream's requests and decoding
    // are compiled where it is used.
    quote! {
        #[doc = #doc]
        #[inline]
        pub fn #method(&self, request: #request) -> rt::ItemStream<#item> {
            self.client.stream(request)
        }
    }
}

/// `<method>_pages` on the group's sub-client: the pages with where to resume.
pub fn emit_pages_method(op: &ir::Operation, pagination: &ir::Pagination) -> TokenStream {
    let method = ident(&pagination.pages_method);
    let request = ident(&op.request_type);
    let summary = format!(
        " {}: every page, starting at the page `request` asks for, each with its items, the rest of its response and `resume_from`, the request for the page after it.",
        title_text(&op.summary)
    );
    let resuming = " To resume after a restart, keep the last page's `resume_from` (the request implements `Serialize`, and `Deserialize` with the `deserialize-requests` feature; `Paginated::cursor` gives its cursor as text) and pass it to this method again: the walk goes on from the next page. `resume_from` is `None` after the last page. Pages are fetched one after another, only when asked for; the stream ends after the last page or after an error.";
    // Inline for the reason the stream method is.
    quote! {
        #[doc = #summary]
        #[doc = ""]
        #[doc = #resuming]
        #[inline]
        pub fn #method(&self, request: #request) -> rt::PageStream<#request> {
            self.client.pages(request)
        }
    }
}

fn last(path: &ir::FieldPath) -> &ir::PathStep {
    // Validation resolves at least one step for every path.
    path.steps
        .last()
        .unwrap_or_else(|| unreachable!("a resolved path has a step"))
}

/// `self.a.b`: a request place; every step but the last is required.
fn place(path: &ir::FieldPath) -> TokenStream {
    let steps = path.steps.iter().map(|s| ident(&s.rust_name));
    quote!(self #(.#steps)*)
}

/// An `int32` or `int64` value as an `i64` (clippy rejects converting an `i64` to itself).
fn widen(value: TokenStream, ty: &Type) -> TokenStream {
    match ty {
        Type::Int64 => value,
        _ => quote!(i64::from(#value)),
    }
}

/// The page number the request just asked for; an unset page is the first, page 1.
fn current_page(request: &ir::FieldPath) -> TokenStream {
    let place = place(request);
    if last(request).required {
        quote!(#place)
    } else {
        quote!(#place.unwrap_or(1))
    }
}

/// `Option<&T>` of a response path, through optional steps; the response itself for a path
/// with no steps (a payload that is the listing).
fn read(path: &ir::FieldPath) -> TokenStream {
    let mut steps = path.steps.iter();
    let Some(first) = steps.next() else {
        return quote!(Some(response));
    };
    let name = ident(&first.rust_name);
    let mut expr = if first.required {
        quote!(Some(&response.#name))
    } else {
        quote!(response.#name.as_ref())
    };
    for step in steps {
        let name = ident(&step.rust_name);
        expr = if step.required {
            quote!(#expr.map(|value| &value.#name))
        } else {
            quote!(#expr.and_then(|value| value.#name.as_ref()))
        };
    }
    expr
}

/// Moves the items out of the response.
fn take_items(path: &ir::FieldPath) -> TokenStream {
    let Some((leaf, parents)) = path.steps.split_last() else {
        return quote!(::std::mem::take(response));
    };
    let leaf_name = ident(&leaf.rust_name);
    let mut parents = parents.iter();
    let Some(first) = parents.next() else {
        return if leaf.required {
            quote!(::std::mem::take(&mut response.#leaf_name))
        } else {
            quote!(response.#leaf_name.take().unwrap_or_default())
        };
    };
    let name = ident(&first.rust_name);
    let mut expr = if first.required {
        quote!(Some(&mut response.#name))
    } else {
        quote!(response.#name.as_mut())
    };
    for step in parents {
        let name = ident(&step.rust_name);
        expr = if step.required {
            quote!(#expr.map(|value| &mut value.#name))
        } else {
            quote!(#expr.and_then(|value| value.#name.as_mut()))
        };
    }
    if leaf.required {
        quote!(#expr.map(|value| ::std::mem::take(&mut value.#leaf_name)).unwrap_or_default())
    } else {
        quote!(#expr.and_then(|value| value.#leaf_name.take()).unwrap_or_default())
    }
}

/// The request's cursor as text.
fn cursor_text(request: &ir::FieldPath) -> TokenStream {
    let place = place(request);
    match (last(request).required, &request.ty) {
        (true, Type::String) => quote!(#place.clone()),
        (true, _) => quote!(#place.to_string()),
        (false, Type::String) => quote!(#place.clone().unwrap_or_default()),
        (false, _) => quote!(#place.map(|value| value.to_string()).unwrap_or_default()),
    }
}

/// Takes the next cursor from the response; absent or empty means the end.
fn follow(request: &ir::FieldPath, next: &ir::FieldPath) -> TokenStream {
    let place = place(request);
    let next = read(next);
    let (empty, value) = match request.ty {
        Type::String => (
            quote!(if next.is_empty() {
                return false;
            }),
            quote!(next.clone()),
        ),
        _ => (TokenStream::new(), quote!(*next)),
    };
    let value = if last(request).required {
        value
    } else {
        quote!(Some(#value))
    };
    quote! {
        let Some(next) = #next else { return false; };
        #empty
        #place = #value;
        true
    }
}

/// Advances a numeric position by `amount` (the items received), or by one page; an unset
/// position is `unset` (offset 0, page 1, as the documents describe).
fn count_on(request: &ir::FieldPath, amount: Option<TokenStream>, unset: i32) -> TokenStream {
    let place = place(request);
    let ty = rust_type(&request.ty, "");
    let unset = proc_macro2::Literal::i32_unsuffixed(unset);
    let (current, store) = if last(request).required {
        (quote!(#place), quote!(next))
    } else {
        (quote!(#place.unwrap_or(#unset)), quote!(Some(next)))
    };
    let step = match amount {
        Some(amount) => quote! {
            let Ok(step) = #ty::try_from(#amount) else { return false; };
            let Some(next) = #current.checked_add(step) else { return false; };
        },
        None => quote! {
            let Some(next) = #current.checked_add(1) else { return false; };
        },
    };
    quote! {
        #step
        #place = #store;
        true
    }
}
