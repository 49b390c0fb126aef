//! Type definitions: structs (with serde renames and constructors), open enums, coproducts, parameter
//! sets, aliases and identifier newtypes, plus their `Validate` and `Interval` impls.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::Ctx;
use crate::ir::*;

pub fn type_def(ctx: &Ctx<'_>, def: &TypeDef) -> TokenStream {
    let from = ctx.module_of(&def.id);
    let cfg = ctx.item_cfg(&def.features, def.id.page());
    let name = ctx.ident(&def.rust_name);
    let doc = if def.doc.is_empty() {
        let mut notes = vec![format!("{}.", super::escape_text(&def.title))];
        notes.extend(type_notes(ctx, def));
        ctx.doc_with(&def.doc, &notes)
    } else {
        ctx.doc_with(&def.doc, &type_notes(ctx, def))
    };
    // Each kind places `#[deprecated]` after its last doc line.
    let deprecated = deprecated_attr(def);
    let mut out = match &def.kind {
        TypeKind::Struct(s) => struct_def(ctx, def, s, from, &cfg, &doc),
        TypeKind::Enum(e) => enum_def(ctx, def, e, &cfg, &doc),
        TypeKind::Coproduct(c) => coproduct_def(ctx, def, c, from, &cfg, &doc),
        TypeKind::UpdateValue(_) => TokenStream::new(),
        TypeKind::Map(value) => {
            let value = ctx.expr(value, from);
            quote! {
                #doc
                #deprecated
                #cfg
                pub type #name = std::collections::BTreeMap<String, #value>;
            }
        }
        TypeKind::Alias(target) => {
            let target = ctx.expr(target, from);
            quote! {
                #doc
                #deprecated
                #cfg
                pub type #name = #target;
            }
        }
        TypeKind::OneOf(variants) => one_of_def(ctx, def, variants, from, &cfg, &doc),
    };
    out.extend(super::fetch::fetch_impls(ctx, def, &cfg));
    out
}

/// `#[deprecated(note = …)]` with the docs' note, when the docs deprecate the type.
fn deprecated_attr(def: &TypeDef) -> TokenStream {
    match &def.deprecated {
        Some(note) => quote!(#[deprecated(note = #note)]),
        None => TokenStream::new(),
    }
}

fn type_notes(ctx: &Ctx<'_>, def: &TypeDef) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(copy) = &def.relaxed_copy
        && let Some(original) = ctx.api.types.get(&copy.of)
    {
        let module = ctx
            .api
            .page(original.id.page())
            .map(|p| p.module.clone())
            .unwrap_or_default();
        notes.push(format!(
            "`{module}::{}` as the deprecated operation `{}` decodes it: its response example leaves out (or sends `null` or another kind of value for) properties the table requires, so here they are optional (or lenient), while live operations keep the table's contract.",
            original.rust_name, copy.operation
        ));
    }
    if let TypeKind::Struct(s) = &def.kind
        && s.construction == Construction::Flags
        && let Some(flag) = s.fields.iter().find(|f| !f.is_optional())
    {
        notes.push(format!(
            "Every required property is a flag: build it from `Default::default()` (flags `false`, the rest `None`) and set what you need by name, e.g. `{} {{ {}: true, ..Default::default() }}`.",
            def.rust_name, flag.rust_name
        ));
    }
    if let Some(code) = def.fallback {
        notes.push(format!(
            "Generated with a fallback for odd docs (`{code}`): it takes any JSON."
        ));
    }
    if def.restricted {
        notes.push("**Restricted:** in beta test, subject to change.".to_string());
    }
    if let Some(note) = &def.deprecated {
        notes.push(format!("**Deprecated:** {}", super::escape_text(note)));
    }
    notes
}

/// `Serialize` for request types, `Deserialize` for response types; the other direction with `full-serde`.
fn serde_derives(usage: Usage) -> (TokenStream, TokenStream) {
    let mut derives = Vec::new();
    let mut optional = Vec::new();
    for (used, derive) in [
        (usage.request, quote!(serde::Serialize)),
        (usage.response, quote!(serde::Deserialize)),
    ] {
        if used {
            derives.push(derive)
        } else {
            optional.push(derive)
        }
    }
    let full = if optional.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[cfg_attr(feature = "full-serde", derive(#(#optional),*))])
    };
    (quote!(#(#derives,)*), full)
}

fn struct_def(
    ctx: &Ctx<'_>,
    def: &TypeDef,
    s: &Struct,
    from: &str,
    cfg: &TokenStream,
    doc: &TokenStream,
) -> TokenStream {
    let name = ctx.ident(&def.rust_name);
    let default = if matches!(s.construction, Construction::Default | Construction::Flags) {
        quote!(Default,)
    } else {
        TokenStream::new()
    };
    let fields = s.fields.iter().map(|field| {
        let rust = ctx.ident(&field.rust_name);
        let ty = ctx.field_type(field, from);
        let doc = ctx.doc_with(&field.doc, &field_notes(field, def.usage.request));
        let deprecated = field
            .deprecated
            .as_ref()
            .map(|note| quote!(#[deprecated(note = #note)]));
        quote! {
            #doc
            #deprecated
            pub #rust: #ty,
        }
    });
    // Lowering gives a free-form body no fields, so the name is free.
    let free_form = s.free_form.then(|| {
        quote! {
            /// Any JSON properties: the docs give this body no property table.
            pub properties: runtime::JsonObject,
        }
    });
    let constructor = match &s.construction {
        Construction::New { .. } => constructor(ctx, def, s, from, cfg),
        Construction::NamedArguments(args) => named_constructor(ctx, def, s, args, from, cfg),
        Construction::None | Construction::Default | Construction::Flags => TokenStream::new(),
    };
    let validate = if def.usage.request {
        validate_struct(ctx, def, s, cfg)
    } else {
        TokenStream::new()
    };
    let interval = interval_impl(ctx, def, s, cfg);
    let money = money_impl(ctx, def, s, cfg);
    let serde_impls = super::serde_impls::struct_impls(ctx, def, s, cfg);
    let deprecated = deprecated_attr(def);
    quote! {
        #doc
        #deprecated
        #[derive(Clone, Debug, PartialEq, #default)]
        #cfg
        pub struct #name {
            #(#fields)*
            #free_form
        }
        #serde_impls
        #constructor
        #validate
        #interval
        #money
    }
}

/// The money accessors lowering chose (`lower/money.rs`): each pairs a decimal field with the currency field.
fn money_impl(ctx: &Ctx<'_>, def: &TypeDef, s: &Struct, cfg: &TokenStream) -> TokenStream {
    let methods: Vec<TokenStream> = s
        .money
        .iter()
        .filter_map(|accessor| {
            let value = s.fields.get(accessor.value)?;
            let currency = ctx.ident(&s.fields.get(accessor.currency)?.rust_name);
            let method = ctx.ident(&accessor.method);
            let field = ctx.ident(&value.rust_name);
            let doc = format!(
                " `{}` in `{}`, as exact money: sums and comparisons refuse another currency.",
                value.wire_name,
                s.fields.get(accessor.currency)?.wire_name
            );
            Some(if value.is_optional() {
                quote! {
                    #[doc = #doc]
                    pub fn #method(&self) -> Option<runtime::Money> {
                        self.#field.as_ref().map(|value| runtime::Money::of(&self.#currency, value))
                    }
                }
            } else {
                quote! {
                    #[doc = #doc]
                    pub fn #method(&self) -> runtime::Money {
                        runtime::Money::of(&self.#currency, &self.#field)
                    }
                }
            })
        })
        .collect();
    if methods.is_empty() {
        return TokenStream::new();
    }
    let name = ctx.ident(&def.rust_name);
    quote! {
        #cfg
        impl #name {
            #(#methods)*
        }
    }
}

/// The Contract column and the value bounds, in words, under each field's description; `sent` for fields of
/// request types, whose bounds are checked before sending.
fn field_notes(field: &Field, sent: bool) -> Vec<String> {
    let mut contract = vec![if field.required {
        "required".to_string()
    } else {
        "optional (may be null)".to_string()
    }];
    let c = field.constraints;
    if let Some(n) = c.max_items {
        contract.push(format!("max {n} item{}", if n == 1 { "" } else { "s" }));
    }
    if let Some(n) = c.min_items {
        contract.push(format!("min {n} item{}", if n == 1 { "" } else { "s" }));
    }
    if let Some(n) = c.max_length {
        contract.push(format!("max length {n} characters"));
    }
    if let Some(n) = c.min_length {
        contract.push(format!(
            "min length {n} character{}",
            if n == 1 { "" } else { "s" }
        ));
    }
    if let Some(n) = c.max_months {
        contract.push(format!(
            "max length {n} month{}",
            if n == 1 { "" } else { "s" }
        ));
    }
    let mut notes = vec![format!("Contract: {}.", contract.join(", "))];
    if let Some(value) = &field.literal {
        notes.push(format!(
            "Always `{value}` (the docs' type is string `{value}`)."
        ));
    }
    let bounds = match (c.minimum, c.maximum) {
        (Some(min), Some(max)) => Some(format!("at least {min} and at most {max}")),
        (Some(min), None) => Some(format!("at least {min}")),
        (None, Some(max)) => Some(format!("at most {max}")),
        (None, None) => None,
    };
    if let Some(bounds) = bounds {
        let checked = if sent && !field.lenient {
            " (checked before a request is sent)"
        } else {
            ""
        };
        notes.push(format!(
            "Value: {bounds}, as the description states{checked}."
        ));
    }
    if field.deprecated_optional {
        notes.push("Optional here although the docs say required: the property is deprecated, so a caller need not send it and a response may leave it out.".to_string());
    }
    if field.relaxed {
        notes.push("Optional here although the docs say required: their own examples show it absent or `null`.".to_string());
    }
    if field.lenient {
        notes.push("Kept as raw JSON when it does not match the documented type, as the docs' examples show.".to_string());
    }
    if let Some(code) = field.fallback {
        notes.push(format!(
            "Generated with a fallback for odd docs (`{code}`): what the row does not make certain is `Json` (any JSON) or optional."
        ));
    }
    if let TypeExpr::Unresolved(target) = &field.ty {
        notes.push(format!(
            "Free-form JSON: the docs link its type to `{}`, which is not among the input pages.",
            target.replace('`', "")
        ));
    }
    notes
}

fn constructor(
    ctx: &Ctx<'_>,
    def: &TypeDef,
    s: &Struct,
    from: &str,
    cfg: &TokenStream,
) -> TokenStream {
    let name = ctx.ident(&def.rust_name);
    let params: Vec<TokenStream> = s
        .fields
        .iter()
        .filter(|f| f.is_constructor_parameter())
        .map(|f| {
            let rust = ctx.ident(&f.rust_name);
            let ty = ctx.field_type(f, from);
            quote!(#rust: #ty)
        })
        .collect();
    let inits = s.fields.iter().map(field_init);
    // Every required property a literal: `new()` takes nothing, and `Default` is the same value.
    let default = if params.is_empty() {
        quote! {
            #cfg
            impl Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    } else {
        TokenStream::new()
    };
    quote! {
        #cfg
        impl #name {
            /// Builds a value from the required properties; the optional ones start as `None`.
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
        }
        #default
    }
}

/// A field's initialiser in a constructor: `None`, the literal, or the parameter of the same name.
fn field_init(field: &Field) -> TokenStream {
    let rust = proc_macro2::Ident::new(&field.rust_name, proc_macro2::Span::call_site());
    match &field.literal {
        _ if field.is_optional() => quote!(#rust: None),
        Some(value) if field.ty == TypeExpr::String => quote!(#rust: #value.to_string()),
        _ => quote!(#rust),
    }
}

/// `new(args: XRequired)`: the required properties by name, in an arguments struct of their own.
fn named_constructor(
    ctx: &Ctx<'_>,
    def: &TypeDef,
    s: &Struct,
    args: &str,
    from: &str,
    cfg: &TokenStream,
) -> TokenStream {
    let name = ctx.ident(&def.rust_name);
    let args_name = ctx.ident(args);
    let required: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| f.is_constructor_parameter())
        .collect();
    let members = required.iter().map(|f| {
        let rust = ctx.ident(&f.rust_name);
        let ty = ctx.field_type(f, from);
        let doc = ctx.doc_with(&f.doc, &field_notes(f, def.usage.request));
        quote! {
            #doc
            pub #rust: #ty,
        }
    });
    let bindings = required.iter().map(|f| ctx.ident(&f.rust_name));
    let inits = s.fields.iter().map(field_init);
    let args_doc = format!(
        " The required properties of [`{0}`], by name, for [`{0}::new`].",
        def.rust_name
    );
    let new_doc = format!(
        " Builds a value from the required properties, named in [`{args}`]; the optional ones start as `None`."
    );
    quote! {
        #[doc = #args_doc]
        #[derive(Clone, Debug, PartialEq)]
        #cfg
        pub struct #args_name {
            #(#members)*
        }
        #cfg
        impl #name {
            #[doc = #new_doc]
            pub fn new(args: #args_name) -> Self {
                let #args_name { #(#bindings),* } = args;
                Self { #(#inits),* }
            }
        }
    }
}

/// Whether values of this type implement `Validate` (request structs, parameter sets, coproducts).
fn validatable(ctx: &Ctx<'_>, expr: &TypeExpr) -> bool {
    match expr {
        TypeExpr::Named(id) => ctx.api.types.get(id).is_some_and(|d| {
            d.usage.request
                && match &d.kind {
                    TypeKind::Struct(_) | TypeKind::OneOf(_) | TypeKind::Coproduct(_) => true,
                    TypeKind::Alias(inner) => validatable(ctx, inner),
                    _ => false,
                }
        }),
        _ => false,
    }
}

/// The `Interval` impl lowering decided (`Struct::interval`).
fn interval_impl(ctx: &Ctx<'_>, def: &TypeDef, s: &Struct, cfg: &TokenStream) -> TokenStream {
    let Some((start, end)) = s
        .interval
        .and_then(|bounds| Some((s.fields.get(bounds.start)?, s.fields.get(bounds.end)?)))
    else {
        return TokenStream::new();
    };
    let name = ctx.ident(&def.rust_name);
    let access = |f: &Field| {
        let rust = ctx.ident(&f.rust_name);
        if f.is_optional() {
            quote!(self.#rust.as_ref())
        } else {
            quote!(Some(&self.#rust))
        }
    };
    let (start, end) = (access(start), access(end));
    quote! {
        #cfg
        impl runtime::Interval for #name {
            fn start(&self) -> Option<&runtime::Timestamp> { #start }
            fn end(&self) -> Option<&runtime::Timestamp> { #end }
        }
    }
}

fn validate_struct(ctx: &Ctx<'_>, def: &TypeDef, s: &Struct, cfg: &TokenStream) -> TokenStream {
    let name = ctx.ident(&def.rust_name);
    let checks: Vec<TokenStream> = s
        .fields
        .iter()
        .filter_map(|f| field_checks(ctx, f))
        .collect();
    let param = if checks.is_empty() {
        quote!(_validator)
    } else {
        quote!(validator)
    };
    quote! {
        #cfg
        impl runtime::Validate for #name {
            fn validate(&self, #param: &mut runtime::Validator) {
                #(#checks)*
            }
        }
    }
}

/// The checks lowering decided for one field (`Field::checks`), printed: on the field itself when it is
/// required, else on `value`, the field unwrapped from its `Option`; on an update value, on the value set.
fn field_checks(ctx: &Ctx<'_>, field: &Field) -> Option<TokenStream> {
    if field.lenient {
        return None;
    }
    let wire = &field.wire_name;
    let rust = ctx.ident(&field.rust_name);
    // The field as a place (for method calls) and as a reference (for arguments), `&*` through a box.
    let (place, reference) = match (field.is_optional(), field.boxed) {
        (true, _) => (quote!(value), quote!(value)),
        (false, false) => (quote!(self.#rust), quote!(&self.#rust)),
        (false, true) => (quote!(self.#rust), quote!(&*self.#rust)),
    };
    let updated = ctx.api.updated_type(&field.ty);
    let (ty, place, reference) = match updated {
        Some(inner) => (inner, quote!(set), quote!(set)),
        None => (&field.ty, place, reference),
    };
    // Text as `&str` for the length checks.
    let text = match ty {
        TypeExpr::String => reference.clone(),
        TypeExpr::Secret(_) => quote!(#place.expose()),
        _ => quote!(#place.as_str()),
    };
    let lit = Literal::u64_unsuffixed;
    let bound = |n: i64| {
        let abs = Literal::u64_unsuffixed(n.unsigned_abs());
        if n < 0 { quote!(-#abs) } else { quote!(#abs) }
    };
    let mut checks: Vec<TokenStream> = field
        .checks
        .iter()
        .map(|check| match *check {
            Check::MaxItems(n) => {
                let n = lit(n);
                quote!(validator.max_items(#wire, #place.len(), #n);)
            }
            Check::MinItems(n) => {
                let n = lit(n);
                quote!(validator.min_items(#wire, #place.len(), #n);)
            }
            Check::MaxLength(n) => {
                let n = lit(n);
                quote!(validator.max_length(#wire, #text, #n);)
            }
            Check::MinLength(n) => {
                let n = lit(n);
                quote!(validator.min_length(#wire, #text, #n);)
            }
            Check::Minimum(n) => {
                let n = bound(n);
                quote!(validator.minimum(#wire, #reference, #n);)
            }
            Check::Maximum(n) => {
                let n = bound(n);
                quote!(validator.maximum(#wire, #reference, #n);)
            }
            Check::MaxMonths(n) => {
                let n = lit(n);
                quote!(validator.max_months(#wire, #reference, #n);)
            }
        })
        .collect();
    if updated.is_some() {
        if checks.is_empty() {
            return None;
        }
        let pattern = if field.is_optional() {
            quote!(Some(runtime::UpdateValue::Set(set)))
        } else {
            quote!(runtime::UpdateValue::Set(set))
        };
        return Some(quote! {
            if let #pattern = &self.#rust {
                #(#checks)*
            }
        });
    }
    match &field.ty {
        TypeExpr::Array(inner) if validatable(ctx, inner) => {
            checks.push(quote!(validator.items(#wire, #reference);))
        }
        ty if validatable(ctx, ty) => checks.push(quote!(validator.field(#wire, #reference);)),
        _ => {}
    }
    if checks.is_empty() {
        return None;
    }
    Some(match (field.is_optional(), field.boxed) {
        (true, false) => quote! {
            if let Some(value) = &self.#rust {
                #(#checks)*
            }
        },
        (true, true) => quote! {
            if let Some(value) = self.#rust.as_deref() {
                #(#checks)*
            }
        },
        (false, _) => quote!(#(#checks)*),
    })
}

fn enum_def(
    ctx: &Ctx<'_>,
    def: &TypeDef,
    e: &Enum,
    cfg: &TokenStream,
    doc: &TokenStream,
) -> TokenStream {
    let name = ctx.ident(&def.rust_name);
    let variants = e.values.iter().map(|v| {
        let variant = ctx.ident(&v.rust_name);
        let attrs = variant_attrs(ctx, &v.doc, &v.wire, v.deprecated.as_deref());
        quote!(#attrs #variant,)
    });
    let from_wire = e.values.iter().map(|v| {
        let variant = ctx.ident(&v.rust_name);
        let wire = &v.wire;
        quote!(#wire => Self::#variant,)
    });
    let to_wire = e.values.iter().map(|v| {
        let variant = ctx.ident(&v.rust_name);
        let wire = &v.wire;
        quote!(Self::#variant => #wire,)
    });
    let unknown_doc = if e.extensible {
        " A value not listed here: the docs say the list is not exhaustive."
    } else {
        " A value not listed here (the API may add values at any time)."
    };
    let deprecated = deprecated_attr(def);
    quote! {
        #doc
        #deprecated
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        #cfg
        pub enum #name {
            #(#variants)*
            #[doc = #unknown_doc]
            Unknown(runtime::UnknownValue),
        }
        #cfg
        impl runtime::OpenEnum for #name {
            fn from_wire(value: &str) -> Self {
                match value {
                    #(#from_wire)*
                    other => Self::Unknown(runtime::UnknownValue::new(other)),
                }
            }
            fn wire(&self) -> &str {
                match self {
                    #(#to_wire)*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }
        #cfg
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                runtime::open_enum::serialize(self, serializer)
            }
        }
        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                runtime::open_enum::deserialize(deserializer)
            }
        }
    }
}

fn coproduct_def(
    ctx: &Ctx<'_>,
    def: &TypeDef,
    c: &Coproduct,
    from: &str,
    cfg: &TokenStream,
    doc: &TokenStream,
) -> TokenStream {
    let name = ctx.ident(&def.rust_name);
    let payload_type = |v: &CoproductVariant| {
        v.payload.as_ref().map(|p| {
            let mut ty = ctx.expr(p, from);
            if v.boxed {
                ty = quote!(Box<#ty>);
            }
            if v.payload_optional {
                quote!(Option<#ty>)
            } else {
                ty
            }
        })
    };
    let variants = c.variants.iter().map(|v| {
        let variant = ctx.ident(&v.rust_name);
        let attrs = variant_attrs(ctx, &v.doc, &v.wire, v.deprecated.as_deref());
        match payload_type(v) {
            Some(ty) => quote!(#attrs #variant(#ty),),
            None => quote!(#attrs #variant,),
        }
    });
    let discriminators = c.variants.iter().map(|v| {
        let variant = ctx.ident(&v.rust_name);
        let wire = &v.wire;
        if v.payload.is_some() {
            quote!(Self::#variant(_) => #wire,)
        } else {
            quote!(Self::#variant => #wire,)
        }
    });
    let variant_arms = c.variants.iter().map(|v| {
        let variant = ctx.ident(&v.rust_name);
        let wire = &v.wire;
        let key = &v.payload_property;
        if v.payload.is_some() {
            quote!(#wire => Some(runtime::Variant::Payload(#key)),)
        } else {
            quote!(#wire => Some(runtime::Variant::Unit(Self::#variant)),)
        }
    });
    let payload_arms: Vec<TokenStream> = c
        .variants
        .iter()
        .filter(|v| v.payload.is_some())
        .map(|v| {
            let variant = ctx.ident(&v.rust_name);
            let wire = &v.wire;
            quote!(#wire => Self::#variant(serde::Deserialize::deserialize(payload)?),)
        })
        .collect();
    // Coproducts without payloads keep the trait's default, which no discriminator reaches.
    let decode_payload = if payload_arms.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            fn decode_payload<'de, D: serde::Deserializer<'de>>(discriminator: &str, payload: D) -> Result<Self, D::Error> {
                Ok(match discriminator {
                    #(#payload_arms)*
                    _ => return Err(runtime::coproduct::no_payload(discriminator)),
                })
            }
        }
    };
    let inline = c.layout == CoproductLayout::Inline;
    let write = c.variants.iter().map(|v| {
        let variant = ctx.ident(&v.rust_name);
        let key = &v.payload_property;
        match (&v.payload, v.payload_optional) {
            // An inline variant writes its own object (see the `Serialize` impl below).
            (Some(_), _) if inline => quote!(Self::#variant(_) => Ok(()),),
            (None, _) => quote!(Self::#variant => Ok(()),),
            (Some(_), false) => quote!(Self::#variant(value) => map.serialize_entry(#key, value),),
            (Some(_), true) => quote! {
                Self::#variant(value) => match value {
                    Some(value) => map.serialize_entry(#key, value),
                    None => Ok(()),
                },
            },
        }
    });
    let validate = if def.usage.request {
        let arms = c.variants.iter().map(|v| {
            let variant = ctx.ident(&v.rust_name);
            let key = &v.payload_property;
            match &v.payload {
                Some(p) if validatable(ctx, p) && !v.payload_optional && v.boxed => {
                    quote!(Self::#variant(value) => validator.field(#key, &**value),)
                }
                Some(p) if validatable(ctx, p) && !v.payload_optional => {
                    quote!(Self::#variant(value) => validator.field(#key, value),)
                }
                Some(p) if validatable(ctx, p) && v.boxed => quote! {
                    Self::#variant(value) => if let Some(value) = value.as_deref() { validator.field(#key, value) },
                },
                Some(p) if validatable(ctx, p) => quote! {
                    Self::#variant(value) => if let Some(value) = value { validator.field(#key, value) },
                },
                Some(_) => quote!(Self::#variant(_) => {}),
                None => quote!(Self::#variant => {}),
            }
        });
        quote! {
            #cfg
            impl runtime::Validate for #name {
                #[allow(unused_variables)]
                fn validate(&self, validator: &mut runtime::Validator) {
                    match self {
                        #(#arms)*
                        Self::Unknown(_) => {}
                    }
                }
            }
        }
    } else {
        TokenStream::new()
    };
    let tag = &c.tag;
    let tag_const = if tag == "Discriminator" {
        TokenStream::new()
    } else {
        quote!(const TAG: &'static str = #tag;)
    };
    let payload_property = c
        .variants
        .iter()
        .find(|v| v.payload.is_some())
        .map_or("Value", |v| v.payload_property.as_str());
    let layout_note = match c.layout {
        CoproductLayout::Value => format!(
            " Wire form: `{{ \"{tag}\": …, \"{payload_property}\": … }}` (a bare discriminator string is accepted too)."
        ),
        CoproductLayout::Property => {
            format!(" Wire form: `{{ \"{tag}\": …, \"<Variant>\": … }}`, one property per variant.")
        }
        CoproductLayout::Inline => {
            format!(" Wire form: the variant's own object, whose `{tag}` says which variant it is.")
        }
    };
    let serde_impls = if inline {
        let arms = c.variants.iter().filter(|v| v.payload.is_some()).map(|v| {
            let variant = ctx.ident(&v.rust_name);
            quote!(Self::#variant(value) => serde::Serialize::serialize(value, serializer),)
        });
        quote! {
            #cfg
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #(#arms)*
                        Self::Unknown(unknown) => runtime::coproduct::serialize_unknown_inline::<Self, S>(unknown, serializer),
                    }
                }
            }
            #cfg
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    runtime::coproduct::deserialize_inline(deserializer)
                }
            }
        }
    } else {
        quote! {
            #cfg
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    runtime::coproduct::serialize(self, serializer)
                }
            }
            #cfg
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    runtime::coproduct::deserialize(deserializer)
                }
            }
        }
    };
    let deprecated = deprecated_attr(def);
    quote! {
        #doc
        #[doc = ""]
        #[doc = #layout_note]
        #deprecated
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        #cfg
        pub enum #name {
            #(#variants)*
            /// A discriminator this client does not know, with the other properties as received.
            Unknown(runtime::UnknownVariant),
        }
        #cfg
        impl runtime::Coproduct for #name {
            #tag_const
            fn discriminator(&self) -> &str {
                match self {
                    #(#discriminators)*
                    Self::Unknown(unknown) => unknown.discriminator(),
                }
            }
            fn variant(discriminator: &str) -> Option<runtime::Variant<Self>> {
                match discriminator {
                    #(#variant_arms)*
                    _ => None,
                }
            }
            #decode_payload
            fn unknown(variant: runtime::UnknownVariant) -> Self {
                Self::Unknown(variant)
            }
            fn write_payload<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                match self {
                    #(#write)*
                    Self::Unknown(unknown) => unknown.write(map),
                }
            }
        }
        #serde_impls
        #validate
    }
}

fn one_of_def(
    ctx: &Ctx<'_>,
    def: &TypeDef,
    variants: &[OneOfVariant],
    from: &str,
    cfg: &TokenStream,
    doc: &TokenStream,
) -> TokenStream {
    let name = ctx.ident(&def.rust_name);
    let (derives, full_serde) = serde_derives(def.usage);
    let arms = variants.iter().map(|v| {
        let variant = ctx.ident(&v.rust_name);
        let mut ty = ctx.type_path(&v.ty, from);
        if v.boxed {
            ty = quote!(Box<#ty>);
        }
        let doc = ctx
            .api
            .types
            .get(&v.ty)
            .map(|d| ctx.doc(&d.doc))
            .unwrap_or_default();
        quote!(#doc #variant(#ty),)
    });
    let validate = variants.iter().map(|v| {
        let variant = ctx.ident(&v.rust_name);
        if validatable(ctx, &TypeExpr::Named(v.ty.clone())) {
            // `&**` reaches the value through the reference and, when there is one, the box.
            let value = if v.boxed {
                quote!(&**value)
            } else {
                quote!(value)
            };
            quote!(Self::#variant(value) => runtime::Validate::validate(#value, validator),)
        } else {
            quote!(Self::#variant(_) => {})
        }
    });
    let deprecated = deprecated_attr(def);
    quote! {
        #doc
        #[doc = ""]
        #[doc = " The parameter sets are mutually exclusive: a request sends exactly one."]
        #deprecated
        #[derive(Clone, Debug, PartialEq, #derives)]
        #full_serde
        #[serde(untagged)]
        #cfg
        pub enum #name {
            #(#arms)*
        }
        #cfg
        impl runtime::Validate for #name {
            fn validate(&self, validator: &mut runtime::Validator) {
                match self {
                    #(#validate)*
                }
            }
        }
    }
}

/// `ids.rs`: one marker type and one alias per identifier.
pub fn ids_file(ctx: &Ctx<'_>) -> TokenStream {
    let summary = format!(
        " @generated by `{}` from `{}`: identifier newtypes. Do not edit by hand.",
        ctx.config.command, ctx.config.spec_label
    );
    let runtime = ctx.runtime();
    let markers = ctx.api.ids.values().map(|id| {
        let name = ctx.ident(&id.rust_name);
        let text = format!(" Marker of [`{0}`](super::{0}).", id.rust_name);
        let wire = &id.rust_name;
        quote! {
            #[doc = #text]
            #[derive(Debug)]
            pub enum #name {}
            impl runtime::IdKind for #name {
                const NAME: &'static str = #wire;
            }
        }
    });
    let aliases = ctx.api.ids.values().map(|id| {
        let name = ctx.ident(&id.rust_name);
        let entity = super::docs::with_article(&super::escape_text(&id.entity));
        let text = format!(" Unique identifier of {entity}.");
        quote! {
            #[doc = #text]
            pub type #name = runtime::Id<kinds::#name>;
        }
    });
    quote! {
        #![doc = #summary]
        #[allow(unused_imports)]
        use #runtime;
        /// The marker types that tell identifiers of different entities apart.
        pub mod kinds {
            #[allow(unused_imports)]
            use #runtime;
            #(#markers)*
        }
        #(#aliases)*
    }
}

/// The rustdoc (the wire value when the docs say nothing) and `#[deprecated]` of an enum or coproduct variant.
fn variant_attrs(ctx: &Ctx<'_>, doc: &Doc, wire: &str, deprecated: Option<&str>) -> TokenStream {
    let doc = if doc.is_empty() {
        let text = format!(" `{}`", wire.replace('`', ""));
        quote!(#[doc = #text])
    } else {
        ctx.doc(doc)
    };
    let deprecated = deprecated.map(|note| quote!(#[deprecated(note = #note)]));
    quote!(#doc #deprecated)
}
