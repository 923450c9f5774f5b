//! A platform's events: one `Event` enum with a variant per declared event type and `Unknown`,
//! which keeps the payload of any other type, and its `rt::Events` impl (the dispatch on the
//! event type that the runtime's callback and Stream-mode receivers decode with).

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{docs, ident, rust_type};
use crate::ir;
use crate::spec::Delivery;

/// The `Event` enum of the group that declares the platform's events.
pub fn emit_events(events: &ir::Events, module: &str, spec_file: &str) -> TokenStream {
    let ir::Events {
        type_field,
        deliveries,
        description,
        note,
        types,
    } = events;
    let note = note.as_ref().map(|n| format!("Note: {n}"));
    let how = format!(
        "Delivered by {}. Decode one with `rt::Events::from_json` (the JSON of an HTTP callback, whose `{type_field}` names the type) or `rt::Events::decode` (an event type and its payload, as Stream mode delivers them).",
        delivery_list(deliveries)
    );
    let source = format!("Spec: `{spec_file}`, `events`.");
    let type_docs = docs([
        description
            .as_deref()
            .unwrap_or("The events the platform delivers."),
        how.as_str(),
        note.as_deref().unwrap_or(""),
        source.as_str(),
    ]);
    let variants = types.iter().map(|event| {
        let variant = ident(&event.variant);
        let payload = rust_type(&event.payload, module);
        let wire = format!(
            "Event type `{}`; delivered by {}.",
            event.value,
            delivery_list(&event.deliveries)
        );
        let doc = event.doc.as_ref().map(|d| format!("Document: {d}."));
        let note = event.note.as_ref().map(|n| format!("Note: {n}"));
        let doc = docs([
            event.summary.as_str(),
            event.description.as_deref().unwrap_or(""),
            wire.as_str(),
            doc.as_deref().unwrap_or(""),
            note.as_deref().unwrap_or(""),
        ]);
        quote!(#doc #variant(#payload),)
    });
    let decode_arms = types.iter().map(|event| {
        let variant = ident(&event.variant);
        let value = &event.value;
        quote!(#value => Self::#variant(rt::decode_event_payload(event_type, payload)?),)
    });
    let pushed_arms = types.iter().filter_map(|event| {
        let pushes = event.pushes.as_ref()?;
        let variant = ident(&event.variant);
        let field = ident(&pushes.rust_field);
        let name = &pushes.name;
        Some(if pushes.required {
            quote!(Self::#variant(payload) => Some((#name, payload.#field.as_str())),)
        } else {
            quote!(Self::#variant(payload) => payload.#field.as_deref().map(|value| (#name, value)),)
        })
    });
    let pushed_fn = types.iter().any(|e| e.pushes.is_some()).then(|| {
        quote! {
            fn pushed_value(&self) -> Option<(&'static str, &str)> {
                match self {
                    #(#pushed_arms)*
                    _ => None,
                }
            }
        }
    });
    let type_arms = types.iter().map(|event| {
        let variant = ident(&event.variant);
        let value = &event.value;
        quote!(Self::#variant(_) => #value,)
    });
    quote! {
        #type_docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        // An event is decoded, matched and dropped one at a time; boxing the larger payloads
        // would make every match on them clumsier for no gain.
        #[allow(clippy::large_enum_variant)]
        pub enum Event {
            #(#variants)*
            /// An event type this version does not declare, with its payload as received.
            Unknown {
                /// The event type, as the platform names it.
                event_type: String,
                /// The event's JSON.
                payload: ::serde_json::Value,
            },
        }
        impl rt::Events for Event {
            const TYPE_FIELD: &'static str = #type_field;
            fn decode(
                event_type: &str,
                payload: ::serde_json::Value,
            ) -> ::core::result::Result<Self, rt::EventError> {
                ::core::result::Result::Ok(match event_type {
                    #(#decode_arms)*
                    _ => Self::Unknown {
                        event_type: event_type.to_owned(),
                        payload,
                    },
                })
            }
            fn event_type(&self) -> &str {
                match self {
                    #(#type_arms)*
                    Self::Unknown { event_type, .. } => event_type,
                }
            }
            #pushed_fn
        }
    }
}

/// `HTTP callbacks and Stream mode`.
fn delivery_list(deliveries: &[Delivery]) -> String {
    let names: Vec<&str> = deliveries
        .iter()
        .map(|d| match d {
            Delivery::HttpCallback => "HTTP callbacks",
            Delivery::Stream => "Stream mode",
        })
        .collect();
    names.join(" and ")
}
