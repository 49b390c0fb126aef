//! The README's money example: exact amounts, sums in one currency, and a mixed-currency sum refused.
use mews_connector::Amount;
use mews_connector::runtime::{Currency, Decimal, Money, MoneyError};

pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Two line items as the API sends them: the digits are kept exactly (no f64 on the way in).
    let items: Vec<Amount> = serde_json::from_str(
        r#"[
            {"Currency": "EUR", "NetValue": 8.40, "GrossValue": 10.01, "TaxValues": [{"Code": "DE-S", "Value": 1.61}]},
            {"Currency": "EUR", "NetValue": 0.09975, "GrossValue": 0.12, "TaxValues": []}
        ]"#,
    )?;
    let net = items[1].net_value.as_ref().map(Decimal::as_str);
    assert_eq!(net, Some("0.09975"));

    // `gross()` and `net()` pair a value with the amount's currency; sums are exact.
    let grosses: Vec<Money> = items.iter().map(Amount::gross).collect();
    let total = Money::sum(&grosses)?.ok_or("no items")?;
    assert_eq!(total.to_string(), "10.13 EUR");
    assert_eq!(total.value, "10.130".parse::<Decimal>()?); // compared by value

    // Another currency is an error, not a number.
    let dollars = Money::new(Currency::USD, Decimal::from(5));
    assert_eq!(
        total.checked_add(&dollars),
        Err(MoneyError::CurrencyMismatch(Currency::EUR, Currency::USD))
    );

    // Requests send exactly the digits given; f64 is an explicit, lossy step.
    let rate: Decimal = "0.09975".parse()?;
    assert_eq!(serde_json::to_string(&rate)?, "0.09975");
    println!("{total} (≈ {} as f64)", total.value.to_f64());
    Ok(())
}
