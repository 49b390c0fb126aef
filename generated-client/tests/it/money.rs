//! Money end to end: amounts go on the wire with exactly the digits given, decode with exactly the digits
//! received, and `Amount` arithmetic refuses mixed currencies.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)] // test code: failing loudly is the point

use loopback::{Action, Server};
use mews_connector::runtime::{ClientToken, Currency, Decimal, Money, MoneyError};
use mews_connector::{
    AccountId, Amount, AmountParameters, Client, Environment, PaymentsAddExternalRequest,
};

fn decimal(text: &str) -> Decimal {
    text.parse().unwrap()
}

#[tokio::test]
async fn amount_parameters_go_on_the_wire_with_the_digits_given() {
    let server = Server::start(|_, _| {
        Action::json(
            200,
            r#"{"ExternalPaymentId":"3c5ee5f9-8a8e-4bd7-9a0a-b0e200a4d80e"}"#.to_string(),
        )
    })
    .await;
    let client: Client = Client::builder(
        Environment::Custom(server.base_url.clone()),
        ClientToken::new("client"),
        "access",
        "Money test 1.0.0",
    )
    .build()
    .unwrap();
    let mut amount = AmountParameters::new(Currency::EUR, vec!["CZ-S".to_string()]);
    amount.gross_value = Some(decimal("12345678901234567890.123456789"));
    amount.net_value = Some(decimal("0.09975"));
    let request = PaymentsAddExternalRequest::new(AccountId::new("a"), amount);
    client.payments().add_external(&request).await.unwrap();
    let sent = server.requests();
    assert_eq!(sent.len(), 1);
    let body = String::from_utf8(sent[0].body.clone()).unwrap();
    assert!(
        body.contains(
            r#""Amount":{"GrossValue":12345678901234567890.123456789,"NetValue":0.09975,"Currency":"EUR","TaxCodes":["CZ-S"]}"#
        ),
        "{body}"
    );
}

#[test]
fn amounts_decode_exactly_and_add_only_in_one_currency() {
    let json = r#"{
        "Currency": "EUR",
        "NetValue": 0.09975,
        "GrossValue": 12345678901234567890.123456789,
        "TaxValues": [{"Code": "DE-2020-1-L", "Value": 0.01}]
    }"#;
    let amount: Amount = serde_json::from_str(json).unwrap();
    assert_eq!(amount.currency, Currency::EUR);
    assert_eq!(
        amount.gross().to_string(),
        "12345678901234567890.123456789 EUR"
    );
    assert_eq!(amount.net().unwrap().value.as_str(), "0.09975");
    let back = serde_json::to_string(&amount).unwrap();
    assert!(back.contains("12345678901234567890.123456789"), "{back}");
    assert!(back.contains("0.09975"), "{back}");

    let twice = amount.gross().checked_add(&amount.gross()).unwrap();
    assert_eq!(twice.value.as_str(), "24691357802469135780.246913578");
    let mut usd = amount.clone();
    usd.currency = Currency::USD;
    assert_eq!(
        amount.gross().checked_add(&usd.gross()),
        Err(MoneyError::CurrencyMismatch(Currency::EUR, Currency::USD))
    );
    assert!(amount.gross().partial_cmp(&usd.gross()).is_none());
}

#[test]
fn line_items_sum_to_the_cent() {
    // Ten amounts of 0.10 EUR: 1.00 exactly, where f64 gives 0.9999999999999999.
    let json = r#"{"Currency": "EUR", "GrossValue": 0.10, "TaxValues": []}"#;
    let amounts: Vec<Amount> = (0..10)
        .map(|_| serde_json::from_str(json).unwrap())
        .collect();
    let grosses: Vec<Money> = amounts.iter().map(Amount::gross).collect();
    let total = Money::sum(&grosses).unwrap().unwrap();
    assert_eq!(total.value, decimal("1"));
    assert_eq!(total.to_string(), "1.00 EUR");
    let float: f64 = (0..10).map(|_| 0.1).sum();
    assert_ne!(float, 1.0);
}

#[path = "../../examples/money.rs"]
mod readme_example;

#[test]
fn the_readme_money_example_runs() {
    readme_example::main().unwrap();
}
