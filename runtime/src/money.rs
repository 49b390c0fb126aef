//! Money: ISO 4217 currency codes as an open type, and exact arithmetic over (`Currency`, `Decimal`).
//!
//! Amounts of one currency add, subtract and compare exactly; amounts of two currencies are an error,
//! never a number.

use std::cmp::Ordering;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::decimal::{Decimal, DecimalError};

/// An ISO 4217 currency code (`"EUR"`): the codes in force are constants ([`Currency::EUR`]); any other
/// text the API sends is kept as received and sent back unchanged.
#[derive(Clone)]
pub struct Currency(Code);

/// A tag and one pointer, so that a decoded `Currency` is returned in two registers like `Decimal`'s text
/// (see there why that matters).
#[derive(Clone)]
enum Code {
    Known(&'static &'static str),
    Other(Box<OtherCode>),
}

/// A code that is not one of the constants.
#[derive(Clone)]
struct OtherCode(Box<str>);

macro_rules! currencies {
    ($($code:ident),* $(,)?) => {
        /// The ISO 4217 codes in force, sorted.
        const KNOWN: &[&str] = &[$(stringify!($code)),*];
        /// [`KNOWN`] as [`key`]s, in the same (sorted) order.
        const KNOWN_KEYS: [u32; KNOWN.len()] = {
            let mut keys = [0; KNOWN.len()];
            let mut i = 0;
            while i < KNOWN.len() {
                keys[i] = match key(KNOWN[i].as_bytes()) {
                    Some(key) => key,
                    None => panic!("a known code is not three bytes"),
                };
                i += 1;
            }
            keys
        };
        impl Currency {
            $(
                #[doc = concat!("`", stringify!($code), "`.")]
                pub const $code: Currency = Currency(Code::Known(&stringify!($code)));
            )*
        }
    };
}

currencies!(
    AED, AFN, ALL, AMD, ANG, AOA, ARS, AUD, AWG, AZN, BAM, BBD, BDT, BGN, BHD, BIF, BMD, BND, BOB,
    BRL, BSD, BTN, BWP, BYN, BZD, CAD, CDF, CHF, CLP, CNY, COP, CRC, CUP, CVE, CZK, DJF, DKK, DOP,
    DZD, EGP, ERN, ETB, EUR, FJD, FKP, GBP, GEL, GHS, GIP, GMD, GNF, GTQ, GYD, HKD, HNL, HTG, HUF,
    IDR, ILS, INR, IQD, IRR, ISK, JMD, JOD, JPY, KES, KGS, KHR, KMF, KPW, KRW, KWD, KYD, KZT, LAK,
    LBP, LKR, LRD, LSL, LYD, MAD, MDL, MGA, MKD, MMK, MNT, MOP, MRU, MUR, MVR, MWK, MXN, MYR, MZN,
    NAD, NGN, NIO, NOK, NPR, NZD, OMR, PAB, PEN, PGK, PHP, PKR, PLN, PYG, QAR, RON, RSD, RUB, RWF,
    SAR, SBD, SCR, SDG, SEK, SGD, SHP, SLE, SOS, SRD, SSP, STN, SVC, SYP, SZL, THB, TJS, TMT, TND,
    TOP, TRY, TTD, TWD, TZS, UAH, UGX, USD, UYU, UZS, VES, VND, VUV, WST, XAF, XCD, XCG, XOF, XPF,
    YER, ZAR, ZMW, ZWG,
);

/// A three-byte code as one integer that sorts as the code does (big-endian), or `None`.
const fn key(code: &[u8]) -> Option<u32> {
    match code {
        [a, b, c] => Some(u32::from_be_bytes([0, *a, *b, *c])),
        _ => None,
    }
}

impl Currency {
    /// A code as sent or received: one of the constants when it is one, kept as given otherwise.
    pub fn new(code: &str) -> Self {
        // Searched as integers: every response's amounts come through here, and string comparisons
        // cost a `memcmp` call each.
        let known = key(code.as_bytes())
            .and_then(|key| KNOWN_KEYS.binary_search(&key).ok())
            .and_then(|index| KNOWN.get(index));
        match known {
            Some(code) => Currency(Code::Known(code)),
            None => Currency(Code::Other(Box::new(OtherCode(code.into())))),
        }
    }

    /// The code's text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Code::Known(code) => code,
            Code::Other(code) => &code.0,
        }
    }

    /// Whether it is an ISO 4217 code in force (one of the constants).
    pub fn is_known(&self) -> bool {
        matches!(self.0, Code::Known(_))
    }
}

impl PartialEq for Currency {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}
impl Eq for Currency {}
impl PartialOrd for Currency {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Currency {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}
impl std::hash::Hash for Currency {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}
impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}
impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}
impl From<&str> for Currency {
    fn from(code: &str) -> Self {
        Currency::new(code)
    }
}
impl From<String> for Currency {
    fn from(code: String) -> Self {
        Currency::new(&code)
    }
}
impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CodeVisitor;
        impl Visitor<'_> for CodeVisitor {
            type Value = Currency;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a currency code")
            }
            fn visit_str<E: de::Error>(self, code: &str) -> Result<Currency, E> {
                Ok(Currency::new(code))
            }
        }
        deserializer.deserialize_str(CodeVisitor)
    }
}

/// Why money arithmetic has no result.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum MoneyError {
    /// The two amounts are in different currencies.
    #[error("cannot combine {0} with {1}: different currencies")]
    CurrencyMismatch(Currency, Currency),
    /// The exact result does not fit (see [`Decimal::checked_add`]).
    #[error(transparent)]
    Decimal(#[from] DecimalError),
}

/// An amount of one currency: exact, and combined only with amounts of the same currency.
///
/// `PartialOrd` gives `None` for two currencies; [`Money::compare`] says why.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Money {
    /// The currency.
    pub currency: Currency,
    /// The value, exactly as received or computed.
    pub value: Decimal,
}

impl Money {
    /// An amount of `currency`.
    pub fn new(currency: impl Into<Currency>, value: Decimal) -> Self {
        Money {
            currency: currency.into(),
            value,
        }
    }

    /// The amount `value` of `currency` (what generated accessors like `Amount::gross` call).
    pub fn of(currency: &Currency, value: &Decimal) -> Self {
        Money::new(currency.clone(), value.clone())
    }

    /// Zero of `currency`, to start a sum.
    pub fn zero(currency: impl Into<Currency>) -> Self {
        Money::new(currency, Decimal::zero())
    }

    fn same_currency(&self, other: &Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch(
                self.currency.clone(),
                other.currency.clone(),
            ))
        }
    }

    /// The exact sum; an error for another currency.
    pub fn checked_add(&self, other: &Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        Ok(Money::new(
            self.currency.clone(),
            self.value.checked_add(&other.value)?,
        ))
    }

    /// The exact difference; an error for another currency.
    pub fn checked_sub(&self, other: &Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        Ok(Money::new(
            self.currency.clone(),
            self.value.checked_sub(&other.value)?,
        ))
    }

    /// How the values compare; an error for another currency.
    pub fn compare(&self, other: &Money) -> Result<Ordering, MoneyError> {
        self.same_currency(other)?;
        Ok(self.value.cmp(&other.value))
    }

    /// The sum of amounts of one currency (`None` for none); an error at the first other currency.
    pub fn sum<'a>(
        amounts: impl IntoIterator<Item = &'a Money>,
    ) -> Result<Option<Money>, MoneyError> {
        let mut amounts = amounts.into_iter();
        let Some(first) = amounts.next() else {
            return Ok(None);
        };
        amounts
            .try_fold(first.clone(), |total, amount| total.checked_add(amount))
            .map(Some)
    }
}

impl PartialOrd for Money {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.compare(other).ok()
    }
}

impl fmt::Display for Money {
    /// `12.50 EUR`: the value as received, then the code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.value, self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(value: &str) -> Money {
        Money::new(Currency::EUR, value.parse().unwrap())
    }

    #[test]
    fn the_known_codes_are_sorted_and_three_letters() {
        assert!(KNOWN.windows(2).all(|w| w[0] < w[1]));
        assert!(KNOWN.iter().all(|c| c.len() == 3));
        assert!(KNOWN_KEYS.windows(2).all(|w| w[0] < w[1]));
        for code in KNOWN {
            let currency = Currency::new(code);
            assert!(currency.is_known() && currency.as_str() == *code, "{code}");
        }
        for odd in ["", "E", "EU", "EURO", "eur", "AAA", "ZZZ", "EU\u{e9}"] {
            let currency = Currency::new(odd);
            assert!(!currency.is_known() && currency.as_str() == odd, "{odd}");
        }
        // A tag and a pointer, like `Decimal`: returned in two registers.
        assert_eq!(size_of::<Currency>(), 16);
        assert_eq!(size_of::<Option<Currency>>(), 16);
        assert_eq!(Currency::EUR.as_str(), "EUR");
    }

    #[test]
    fn codes_are_open_and_round_trip() {
        let eur: Currency = serde_json::from_str(r#""EUR""#).unwrap();
        assert_eq!(eur, Currency::EUR);
        assert!(eur.is_known());
        let odd: Currency = serde_json::from_str(r#""XBT""#).unwrap();
        assert!(!odd.is_known());
        assert_eq!(serde_json::to_string(&odd).unwrap(), r#""XBT""#);
        assert_eq!(Currency::from("CZK"), Currency::CZK);
    }

    #[test]
    fn same_currency_adds_subtracts_and_compares_exactly() {
        let total = eur("100.10").checked_add(&eur("0.20")).unwrap();
        assert_eq!(total, eur("100.3"));
        assert_eq!(total.to_string(), "100.30 EUR");
        assert_eq!(
            eur("1").checked_sub(&eur("0.09975")).unwrap().to_string(),
            "0.90025 EUR"
        );
        assert_eq!(eur("0.1").compare(&eur("0.10")), Ok(Ordering::Equal));
        assert!(eur("2") > eur("1.99"));
        let items = [eur("0.1"), eur("0.2"), eur("0.3")];
        assert_eq!(Money::sum(&items).unwrap(), Some(eur("0.6")));
        assert_eq!(Money::sum(&[]).unwrap(), None);
    }

    #[test]
    fn mixed_currencies_are_an_error() {
        let usd = Money::new(Currency::USD, Decimal::from(1));
        let mismatch = MoneyError::CurrencyMismatch(Currency::EUR, Currency::USD);
        assert_eq!(eur("1").checked_add(&usd), Err(mismatch.clone()));
        assert_eq!(eur("1").checked_sub(&usd), Err(mismatch.clone()));
        assert_eq!(eur("1").compare(&usd), Err(mismatch));
        assert_eq!(eur("1").partial_cmp(&usd), None);
        assert!(Money::sum(&[eur("1"), usd]).is_err());
        assert_ne!(eur("1"), Money::new(Currency::USD, Decimal::from(1)));
    }
}
