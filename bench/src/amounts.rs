//! An amounts-heavy response: the `Amount` objects of the docs' `orderItems/getAll` example
//! (`spec/operations/orderitems.md`: `Currency`, `NetValue`, `GrossValue`, `TaxValues`, `Breakdown`), one
//! per order item, with values of 2 and 5 decimals instead of the example's whole `5` and `0`, decoded into
//! the generated `Amount` (`Decimal`s) and into a hand-written model of the same shape with `f64`s.

use anyhow::{Result, bail};
use serde::Deserialize;

/// Appends amount `index`: the example's shape, its values varied.
fn write_amount(out: &mut String, index: u64) {
    let cents = 100 + index % 99_900;
    let net = format!("{}.{:02}", cents / 100, cents % 100);
    let tax = format!("0.{:05}", 9_975 + index % 17);
    let gross = format!("{}.{:02}", cents / 100 + 1, cents % 100);
    out.push_str(&format!(
        r#"{{"Currency":"EUR","NetValue":{net},"GrossValue":{gross},"TaxValues":[{{"Code":"DE-2020-1-Z","Value":{tax}}}],"Breakdown":{{"Items":[{{"TaxRateCode":"DE-2020-1-Z","NetValue":{net},"TaxValue":{tax}}}]}}}}"#,
    ));
}

/// `{"Amounts":[…]}` with `count` amounts.
pub fn amounts_response(count: u64) -> String {
    let mut out = String::with_capacity(count as usize * 220 + 16);
    out.push_str(r#"{"Amounts":["#);
    for index in 0..count {
        if index > 0 {
            out.push(',');
        }
        write_amount(&mut out, index);
    }
    out.push_str("]}");
    out
}

/// The response as the generated types decode it.
#[derive(Deserialize)]
pub struct GeneratedAmounts {
    #[serde(rename = "Amounts")]
    pub amounts: Vec<mews_connector::Amount>,
}

/// The hand-written model with `f64` values.
#[derive(Deserialize)]
pub struct FloatAmounts {
    #[serde(rename = "Amounts")]
    pub amounts: Vec<FloatAmount>,
}

/// `Amount` with `f64` values (and `String` currency), the same shape as the generated one.
#[derive(Deserialize)]
pub struct FloatAmount {
    #[serde(rename = "Currency")]
    pub currency: String,
    #[serde(rename = "NetValue", default)]
    pub net_value: Option<f64>,
    #[serde(rename = "GrossValue")]
    pub gross_value: f64,
    #[serde(rename = "TaxValues", default)]
    pub tax_values: Vec<FloatTaxValue>,
    #[serde(rename = "Breakdown", default)]
    pub breakdown: Option<FloatBreakdown>,
}

/// A tax value with an `f64`.
#[derive(Deserialize)]
pub struct FloatTaxValue {
    #[serde(rename = "Code", default)]
    pub code: Option<String>,
    #[serde(rename = "Value", default)]
    pub value: Option<f64>,
}

/// A tax breakdown with `f64`s.
#[derive(Deserialize)]
pub struct FloatBreakdown {
    #[serde(rename = "Items", default)]
    pub items: Vec<FloatBreakdownItem>,
}

/// A tax breakdown item with `f64`s.
#[derive(Deserialize)]
pub struct FloatBreakdownItem {
    #[serde(rename = "TaxRateCode", default)]
    pub tax_rate_code: Option<String>,
    #[serde(rename = "NetValue")]
    pub net_value: f64,
    #[serde(rename = "TaxValue")]
    pub tax_value: f64,
}

/// Both decoders read the same amounts (the `f64` ones to the nearest double of the exact digits).
pub fn check_amount_decoders_agree(body: &str, count: usize) -> Result<()> {
    let exact: GeneratedAmounts = serde_json::from_str(body)?;
    let float: FloatAmounts = serde_json::from_str(body)?;
    if exact.amounts.len() != count || float.amounts.len() != count {
        bail!("expected {count} amounts");
    }
    for (e, f) in exact.amounts.iter().zip(&float.amounts) {
        let tax = e.tax_values.first().and_then(|t| t.value.as_ref());
        let agree = e.currency.as_str() == f.currency
            && e.gross_value.to_f64() == f.gross_value
            && e.net_value.as_ref().map(|v| v.to_f64()) == f.net_value
            && tax.map(|v| v.to_f64()) == f.tax_values.first().and_then(|t| t.value)
            && e.breakdown.as_ref().map(|b| b.items.len())
                == f.breakdown.as_ref().map(|b| b.items.len());
        if !agree {
            bail!("amount {} decodes differently", e.gross_value);
        }
    }
    Ok(())
}
