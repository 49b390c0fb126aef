//! The serde impls written for structs instead of derived: `Deserialize` as one visitor whose `visit_map`
//! matches each key on its text (no field-identifier enum, no `visit_seq`), `Serialize` as one
//! `serialize_struct` call per field. Both reach only non-generic helpers of `runtime::de`, so a type costs
//! rustc its own few lines, not a derive's expansion.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::Ctx;
use crate::ir::*;

/// `#[cfg(feature = "full-serde")]` for the direction a type does not take by default.
fn direction_cfg(used: bool) -> TokenStream {
    if used {
        TokenStream::new()
    } else {
        quote!(#[cfg(feature = "full-serde")])
    }
}

/// A local name that no field of the struct has (`map`, else `map_`, …).
fn free_local(ctx: &Ctx<'_>, base: &str, taken: &BTreeSet<&str>) -> Ident {
    let mut name = base.to_string();
    while taken.contains(name.as_str()) {
        name.push('_');
    }
    ctx.ident(&name)
}

/// `Serialize` and `Deserialize` for a struct; the direction its usage does not take exists with `full-serde`.
pub fn struct_impls(ctx: &Ctx<'_>, def: &TypeDef, s: &Struct, cfg: &TokenStream) -> TokenStream {
    let serialize = serialize_struct(ctx, def, s);
    let deserialize = deserialize_struct(ctx, def, s);
    let ser_cfg = direction_cfg(def.usage.request);
    let de_cfg = direction_cfg(def.usage.response);
    quote! {
        #cfg
        #ser_cfg
        #serialize
        #cfg
        #de_cfg
        #deserialize
    }
}

/// Required properties always, optional ones when `Some` (like `skip_serializing_if = "Option::is_none"`),
/// then the free-form properties.
fn serialize_struct(ctx: &Ctx<'_>, def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ctx.ident(&def.rust_name);
    let wire_name = &def.rust_name;
    if s.free_form && s.fields.is_empty() {
        return quote! {
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serde::Serialize::serialize(&self.properties, serializer)
                }
            }
        };
    }
    // A free-form body with fields too (lowering gives it none today) is written as a map: its fields, then
    // its properties.
    let write = if s.free_form {
        quote!(serialize_entry)
    } else {
        quote!(serialize_field)
    };
    let writes: Vec<TokenStream> = s
        .fields
        .iter()
        .map(|f| {
            let rust = ctx.ident(&f.rust_name);
            let wire = &f.wire_name;
            if f.is_optional() {
                quote! {
                    if let Some(value) = &self.#rust {
                        object.#write(#wire, value)?;
                    }
                }
            } else {
                quote!(object.#write(#wire, &self.#rust)?;)
            }
        })
        .collect();
    let object = if s.free_form {
        quote! {
            use serde::ser::SerializeMap as _;
            let mut object = serializer.serialize_map(None)?;
            #(#writes)*
            for (key, value) in &self.properties {
                object.serialize_entry(key, value)?;
            }
            object.end()
        }
    } else if s.fields.is_empty() {
        quote! {
            use serde::ser::SerializeStruct as _;
            serializer.serialize_struct(#wire_name, 0)?.end()
        }
    } else {
        // The number of properties written: the required ones and the optional ones that are `Some`.
        let required = s.fields.iter().filter(|f| !f.is_optional()).count();
        let mut terms: Vec<TokenStream> = Vec::new();
        if required > 0 {
            let required = Literal::usize_unsuffixed(required);
            terms.push(quote!(#required));
        }
        terms.extend(s.fields.iter().filter(|f| f.is_optional()).map(|f| {
            let rust = ctx.ident(&f.rust_name);
            quote!(usize::from(self.#rust.is_some()))
        }));
        quote! {
            use serde::ser::SerializeStruct as _;
            let mut object = serializer.serialize_struct(#wire_name, #(#terms)+*)?;
            #(#writes)*
            object.end()
        }
    };
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #object
            }
        }
    }
}

/// One visitor whose `visit_map` matches each key; the last of repeated keys wins, unknown keys are
/// skipped, a missing required property is an error naming it, a missing required list of a response is
/// empty. Only objects are accepted (no `visit_seq`).
fn deserialize_struct(ctx: &Ctx<'_>, def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ctx.ident(&def.rust_name);
    let wire_name = &def.rust_name;
    let expecting = format!("struct {}", def.rust_name);
    let taken: BTreeSet<&str> = s.fields.iter().map(|f| f.rust_name.as_str()).collect();
    let map = free_local(ctx, "map", &taken);
    let key = free_local(ctx, "key", &taken);
    let visitor = if def.rust_name == "Visitor" {
        ctx.ident("StructVisitor")
    } else {
        ctx.ident("Visitor")
    };
    let wires = s.fields.iter().map(|f| &f.wire_name);
    let slots = s.fields.iter().map(|f| {
        let rust = ctx.ident(&f.rust_name);
        quote!(let mut #rust = None;)
    });
    let arms = s.fields.iter().map(|f| {
        let rust = ctx.ident(&f.rust_name);
        let wire = &f.wire_name;
        if f.is_optional() {
            // `null` reads as `None` through `Option`'s own impl.
            quote!(#wire => #rust = #map.next_value()?,)
        } else {
            quote!(#wire => #rust = Some(#map.next_value()?),)
        }
    });
    let empty_list =
        |f: &Field| matches!(f.ty, TypeExpr::Array(_)) && !f.lenient && def.usage.response;
    let checks = s
        .fields
        .iter()
        .filter(|f| !f.is_optional() && !empty_list(f))
        .map(|f| {
            let rust = ctx.ident(&f.rust_name);
            let wire = &f.wire_name;
            quote! {
                let Some(#rust) = #rust else {
                    return Err(runtime::de::missing(#wire));
                };
            }
        });
    let inits = s.fields.iter().map(|f| {
        let rust = ctx.ident(&f.rust_name);
        if !f.is_optional() && empty_list(f) {
            quote!(#rust: #rust.unwrap_or_default())
        } else {
            quote!(#rust)
        }
    });
    let (free_form_slot, unknown, free_form_init) = if s.free_form {
        (
            quote!(let mut properties = runtime::JsonObject::new();),
            quote!(_ => {
                let value = #map.next_value()?;
                properties.insert(#key.into_string(), value);
            }),
            quote!(properties),
        )
    } else {
        (
            TokenStream::new(),
            quote!(_ => runtime::de::skip(&mut #map)?,),
            TokenStream::new(),
        )
    };
    let comma = if s.free_form && !s.fields.is_empty() {
        quote!(,)
    } else {
        TokenStream::new()
    };
    let read = if s.fields.is_empty() && !s.free_form {
        quote! {
            while #map.next_key::<serde::de::IgnoredAny>()?.is_some() {
                runtime::de::skip(&mut #map)?;
            }
        }
    } else if s.fields.is_empty() {
        quote! {
            while let Some(#key) = #map.next_key::<runtime::de::Key<'de>>()? {
                let value = #map.next_value()?;
                properties.insert(#key.into_string(), value);
            }
        }
    } else {
        quote! {
            while let Some(#key) = #map.next_key::<runtime::de::Key<'de>>()? {
                match #key.as_str() {
                    #(#arms)*
                    #unknown
                }
            }
        }
    };
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct #visitor;
                impl<'de> serde::de::Visitor<'de> for #visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut #map: A) -> Result<#name, A::Error> {
                        #(#slots)*
                        #free_form_slot
                        #read
                        #(#checks)*
                        Ok(#name { #(#inits),* #comma #free_form_init })
                    }
                }
                deserializer.deserialize_struct(#wire_name, &[#(#wires),*], #visitor)
            }
        }
    }
}
