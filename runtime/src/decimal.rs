//! `Decimal`: a JSON number kept as the exact digits received, compared by value, with exact sums.
//!
//! Decoding never goes through `f64`: on serde_json's deserializer (slices, strings, readers and
//! `serde_json::Value`), a `Decimal` asks for the number's raw text the way `serde_json::value::RawValue`
//! does (serde_json's `raw_value` feature, which changes nothing else), so `0.09975` and
//! `12345678901234567890.123456789` keep every digit without `arbitrary_precision` in the user's build.
//! Other deserializers hand over what they have (integers exactly, floats as their shortest text).
//! Encoding writes the same text back as a JSON number.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::ser::{Error as _, Serializer};
use serde::{Deserialize, Serialize};

/// How serde_json names its raw-value request (`serde_json::value::RawValue` uses the same name).
const RAW_TOKEN: &str = "$serde_json::private::RawValue";
/// Numbers up to this many characters are stored in the value itself: amounts below 100,000.00, and the
/// docs' tax rates (`0.09975`).
const INLINE: usize = 8;
/// Longer numbers up to this many characters take one allocation of this size; longer ones (no amount)
/// two.
const MEDIUM: usize = 32;

/// A decimal number exactly as written in JSON: decoded without `f64`, encoded back unchanged.
///
/// Equality, ordering and hashing are by value (`1.50 == 1.5`, `1e2 == 100`); [`Decimal::as_str`] and
/// `Display` give the text as received (or as produced by arithmetic: `1.50 + 1.5` is `3.00`, the larger
/// number of decimals). Sums and differences are exact ([`Decimal::checked_add`]); conversion to `f64` is
/// explicit ([`Decimal::to_f64`]), and to `rust_decimal::Decimal` (cargo feature `rust_decimal`) is a typed
/// error when the value is beyond its range, never a rounding.
#[derive(Clone)]
pub struct Decimal {
    text: Text,
}

/// A tag and one word, like `Option<Decimal>` (the tag's unused values tell them apart): the compiler
/// passes and returns such a pair in two registers. A larger value is returned through memory at each
/// layer of serde's calls, written in pieces and read back whole, which stalls the CPU's store
/// forwarding: that cost more than decoding the number.
#[derive(Clone)]
enum Text {
    /// Up to [`INLINE`] bytes of text, zero-padded, laid out in memory in text order (`u64::to_le`): a
    /// JSON number has no NUL byte, so the padding marks the end.
    Inline(u64),
    /// Up to [`MEDIUM`] bytes of text, zero-padded.
    Medium(Box<[u8; MEDIUM]>),
    /// Longer text, behind one thin pointer.
    Long(Box<LongText>),
}

/// Text longer than [`MEDIUM`] bytes.
#[derive(Clone)]
struct LongText(Box<str>);

/// Zero-padded ASCII text up to its first NUL byte.
fn padded(bytes: &[u8]) -> &str {
    let len = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
    // Only ASCII JSON number text is ever stored, so this never falls back.
    bytes
        .get(..len)
        .and_then(|text| std::str::from_utf8(text).ok())
        .unwrap_or("0")
}

/// Why text is not a [`Decimal`], or an operation on decimals has no exact result.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum DecimalError {
    /// The text is not a JSON number (`-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`).
    #[error("`{0}` is not a JSON number")]
    Syntax(String),
    /// The value does not fit the target exactly (`rust_decimal` range, or 38 significant digits for
    /// arithmetic); nothing is rounded.
    #[error("`{0}` is out of range for {1}")]
    OutOfRange(String, &'static str),
    /// Not a finite number (`f64` NaN or infinity).
    #[error("{0} is not a finite number")]
    NotFinite(f64),
}

/// The parts of a validated number: `-`? `int` `.frac`? `e exp`?.
struct Parts<'a> {
    negative: bool,
    int: &'a str,
    frac: &'a str,
    exp: i64,
}

impl<'a> Parts<'a> {
    /// Splits JSON number text, or `None` when it is not one.
    fn of(text: &'a str) -> Option<Self> {
        let (negative, rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let int = &rest[..int_len];
        if int.is_empty() || (int.len() > 1 && int.starts_with('0')) {
            return None;
        }
        let mut rest = &rest[int_len..];
        let mut frac = "";
        if let Some(after) = rest.strip_prefix('.') {
            let len = after.bytes().take_while(u8::is_ascii_digit).count();
            if len == 0 {
                return None;
            }
            frac = &after[..len];
            rest = &after[len..];
        }
        let mut exp = 0;
        if let Some(after) = rest.strip_prefix(['e', 'E']) {
            let (sign, digits) = match after.as_bytes().first() {
                Some(b'-') => (-1, &after[1..]),
                Some(b'+') => (1, &after[1..]),
                _ => (1, after),
            };
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            // Exponents beyond this are no amount; refusing them keeps every position computable.
            let value: i64 = digits.parse().ok().filter(|e| *e <= 1_000_000_000)?;
            exp = sign * value;
            rest = "";
        }
        rest.is_empty().then_some(Parts {
            negative,
            int,
            frac,
            exp,
        })
    }

    /// The significant digits (no leading or trailing zeros) and the position of the first one
    /// (value = 0.d₁d₂… × 10^position); no digits for zero.
    fn significant(&self) -> (impl Iterator<Item = u8> + Clone + 'a, i64) {
        let all = self.int.as_bytes().iter().chain(self.frac.as_bytes());
        let leading = all.clone().take_while(|b| **b == b'0').count();
        let total = self.int.len() + self.frac.len();
        let trailing = if leading == total {
            0
        } else {
            all.clone().rev().take_while(|b| **b == b'0').count()
        };
        let count = total - leading - trailing;
        let position = self.int.len() as i64 - leading as i64 + self.exp;
        (all.skip(leading).take(count).copied(), position)
    }

    fn is_zero(&self) -> bool {
        self.int.bytes().chain(self.frac.bytes()).all(|b| b == b'0')
    }
}

/// `bytes` (at most [`INLINE`] of them, fewer are zero-padded) as one little-endian word, read with a few
/// fixed-size, overlapping loads (a byte read twice lands on itself) instead of a loop or a `memcpy`.
#[inline(always)]
fn short_word(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    let u32_at = |at: usize| {
        bytes
            .get(at..at + 4)
            .and_then(|b| b.first_chunk::<4>())
            .map_or(0, |b| u64::from(u32::from_le_bytes(*b)))
    };
    let byte_at = |at: usize| bytes.get(at).map_or(0, |b| u64::from(*b));
    match n {
        0 => 0,
        1..4 => byte_at(0) | byte_at(n / 2) << (8 * (n / 2)) | byte_at(n - 1) << (8 * (n - 1)),
        4..8 => u32_at(0) | u32_at(n - 4) << (8 * (n - 4)),
        _ => bytes
            .first_chunk::<8>()
            .filter(|_| n == INLINE)
            .map_or(0, |b| u64::from_le_bytes(*b)),
    }
}

/// Whether zero-padded number text (as [`short_word`] reads it) holds `e` or `E`: `| 0x20` turns `E`
/// into `e` and no other byte of number text (nor the zero padding) into one, and a word has a byte
/// equal to `e` exactly when `x ^ 0x65…` has a zero byte.
#[inline(always)]
fn has_exponent(word: u64) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const SPACES: u64 = u64::from_ne_bytes([0x20; 8]);
    const ES: u64 = u64::from_ne_bytes([b'e'; 8]);
    let x = (word | SPACES) ^ ES;
    x.wrapping_sub(ONES) & !x & HIGHS != 0
}

impl Decimal {
    /// Zero (`0`).
    pub fn zero() -> Self {
        Decimal::from_valid("0")
    }

    /// Stores text already checked to be a JSON number.
    fn from_valid(text: &str) -> Self {
        let bytes = text.as_bytes();
        let text = if bytes.len() <= INLINE {
            Text::Inline(short_word(bytes).to_le())
        } else if bytes.len() <= MEDIUM {
            let mut medium = Box::new([0; MEDIUM]);
            if let Some(start) = medium.get_mut(..bytes.len()) {
                start.copy_from_slice(bytes);
            }
            Text::Medium(medium)
        } else {
            Text::Long(Box::new(LongText(text.into())))
        };
        Decimal { text }
    }

    /// Stores a JSON value serde_json has already parsed when it is a number: it is one exactly when it
    /// starts with `-` or a digit (strings, objects, arrays, `true`, `false` and `null` do not), and
    /// serde_json has checked its syntax. Exponents (which [`Parts::of`] bounds) and text longer than [`INLINE`]
    /// still go through the full parse.
    fn from_parsed_json(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        let (&first, _) = bytes.split_first()?;
        if !(first == b'-' || first.is_ascii_digit()) {
            return None;
        }
        if bytes.len() > INLINE {
            // Rare, and allocating anyway: the full parse costs little beside that.
            return Decimal::parse_json_number(text);
        }
        let word = short_word(bytes);
        if has_exponent(word) {
            return Decimal::parse_json_number(text);
        }
        Some(Decimal {
            text: Text::Inline(word.to_le()),
        })
    }

    /// Checks and stores JSON number text from a source other than serde_json's checked text (another
    /// deserializer, or a number with an exponent, whose size [`Parts::of`] bounds).
    fn parse_json_number(text: &str) -> Option<Self> {
        Parts::of(text).map(|_| Decimal::from_valid(text))
    }

    /// The number's text, as received or produced.
    pub fn as_str(&self) -> &str {
        match &self.text {
            Text::Inline(word) => padded(bytemuck::bytes_of(word)),
            Text::Medium(bytes) => padded(&bytes[..]),
            Text::Long(text) => &text.0,
        }
    }

    fn parts(&self) -> Parts<'_> {
        Parts::of(self.as_str()).unwrap_or(Parts {
            negative: false,
            int: "0",
            frac: "",
            exp: 0,
        })
    }

    /// Whether the value is zero (`0`, `-0.00`, `0e5`).
    pub fn is_zero(&self) -> bool {
        self.parts().is_zero()
    }

    /// Whether the value is below zero.
    pub fn is_negative(&self) -> bool {
        let parts = self.parts();
        parts.negative && !parts.is_zero()
    }

    /// The nearest `f64` (correctly rounded, as Rust's `str::parse` is); an explicit, lossy step.
    pub fn to_f64(&self) -> f64 {
        self.as_str().parse().unwrap_or(f64::NAN)
    }

    /// The shortest decimal text that reads back as `value` (`0.1` for `0.1_f64`).
    pub fn try_from_f64(value: f64) -> Result<Self, DecimalError> {
        if !value.is_finite() {
            return Err(DecimalError::NotFinite(value));
        }
        Ok(Decimal::from_valid(&format!("{value}")))
    }

    /// The value as `mantissa × 10^-scale`, keeping the decimals written (`1.50` is `(150, 2)`).
    fn scaled(&self) -> Result<(i128, u32), DecimalError> {
        let parts = self.parts();
        let out_of_range =
            || DecimalError::OutOfRange(self.as_str().to_string(), "i128 arithmetic");
        let mut mantissa: i128 = 0;
        for digit in parts.int.bytes().chain(parts.frac.bytes()) {
            mantissa = mantissa
                .checked_mul(10)
                .and_then(|m| m.checked_add(i128::from(digit - b'0')))
                .ok_or_else(out_of_range)?;
        }
        if parts.negative {
            mantissa = -mantissa;
        }
        let scale = parts.frac.len() as i64 - parts.exp;
        if scale < 0 {
            let factor = u32::try_from(-scale)
                .ok()
                .and_then(|s| 10_i128.checked_pow(s))
                .ok_or_else(out_of_range)?;
            let mantissa = if mantissa == 0 {
                0
            } else {
                mantissa.checked_mul(factor).ok_or_else(out_of_range)?
            };
            return Ok((mantissa, 0));
        }
        let scale = u32::try_from(scale)
            .ok()
            .filter(|s| *s <= 38)
            .ok_or_else(out_of_range)?;
        Ok((mantissa, scale))
    }

    /// `mantissa × 10^-scale` as plain decimal text (`(150, 2)` is `1.50`).
    fn from_scaled(mantissa: i128, scale: u32) -> Self {
        let digits = mantissa.unsigned_abs().to_string();
        let scale = scale as usize;
        let mut text = String::with_capacity(digits.len() + scale + 3);
        if mantissa < 0 {
            text.push('-');
        }
        if digits.len() <= scale {
            text.push_str("0.");
            text.extend(std::iter::repeat_n('0', scale - digits.len()));
            text.push_str(&digits);
        } else {
            let (int, frac) = digits.split_at(digits.len() - scale);
            text.push_str(int);
            if !frac.is_empty() {
                text.push('.');
                text.push_str(frac);
            }
        }
        Decimal::from_valid(&text)
    }

    fn aligned(&self, other: &Decimal) -> Result<(i128, i128, u32), DecimalError> {
        let (a, sa) = self.scaled()?;
        let (b, sb) = other.scaled()?;
        let scale = sa.max(sb);
        let widen = |m: i128, s: u32, d: &Decimal| {
            10_i128
                .checked_pow(scale - s)
                .and_then(|f| m.checked_mul(f))
                .ok_or_else(|| DecimalError::OutOfRange(d.as_str().to_string(), "i128 arithmetic"))
        };
        Ok((widen(a, sa, self)?, widen(b, sb, other)?, scale))
    }

    /// The exact sum, with the larger number of decimals of the two (`1.50 + 1.5 = 3.00`); an error only
    /// beyond 38 significant digits.
    pub fn checked_add(&self, other: &Decimal) -> Result<Decimal, DecimalError> {
        let (a, b, scale) = self.aligned(other)?;
        let sum = a.checked_add(b).ok_or_else(|| {
            DecimalError::OutOfRange(format!("{self} + {other}"), "i128 arithmetic")
        })?;
        Ok(Decimal::from_scaled(sum, scale))
    }

    /// The exact difference, like [`Decimal::checked_add`].
    pub fn checked_sub(&self, other: &Decimal) -> Result<Decimal, DecimalError> {
        let (a, b, scale) = self.aligned(other)?;
        let difference = a.checked_sub(b).ok_or_else(|| {
            DecimalError::OutOfRange(format!("{self} - {other}"), "i128 arithmetic")
        })?;
        Ok(Decimal::from_scaled(difference, scale))
    }

    /// The exact product (decimals add up: `1.5 × 0.21 = 0.315`); round it yourself if you need cents.
    pub fn checked_mul(&self, other: &Decimal) -> Result<Decimal, DecimalError> {
        let (a, sa) = self.scaled()?;
        let (b, sb) = other.scaled()?;
        let out_of_range =
            || DecimalError::OutOfRange(format!("{self} × {other}"), "i128 arithmetic");
        let product = a.checked_mul(b).ok_or_else(out_of_range)?;
        let scale = Some(sa + sb)
            .filter(|s| *s <= 38)
            .ok_or_else(out_of_range)?;
        Ok(Decimal::from_scaled(product, scale))
    }

    /// The value with the opposite sign.
    pub fn negated(&self) -> Decimal {
        match self.as_str().strip_prefix('-') {
            Some(positive) => Decimal::from_valid(positive),
            None => Decimal::from_valid(&format!("-{}", self.as_str())),
        }
    }
}

impl FromStr for Decimal {
    type Err = DecimalError;

    /// JSON number text (`12.50`, `-0.09975`, `1e3`); anything else is an error.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match Parts::of(text) {
            Some(_) => Ok(Decimal::from_valid(text)),
            None => Err(DecimalError::Syntax(text.to_string())),
        }
    }
}

macro_rules! from_integer {
    ($($t:ty),*) => {$(
        impl From<$t> for Decimal {
            fn from(value: $t) -> Self {
                Decimal::from_valid(&value.to_string())
            }
        }
    )*};
}
from_integer!(
    i8, i16, i32, i64, i128, u8, u16, u32, u64, u128, isize, usize
);

impl Default for Decimal {
    fn default() -> Self {
        Decimal::zero()
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Decimal {}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    /// By value, digit by digit: exact at any size.
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (self.parts(), other.parts());
        let sign = |p: &Parts<'_>| match (p.is_zero(), p.negative) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        };
        let (sa, sb) = (sign(&a), sign(&b));
        if sa != sb || sa == 0 {
            return sa.cmp(&sb);
        }
        let (da, pa) = a.significant();
        let (db, pb) = b.significant();
        let magnitude = pa.cmp(&pb).then_with(|| da.cmp(db));
        if sa < 0 {
            magnitude.reverse()
        } else {
            magnitude
        }
    }
}

impl Hash for Decimal {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let parts = self.parts();
        if parts.is_zero() {
            0_u8.hash(state);
            return;
        }
        let (digits, position) = parts.significant();
        parts.negative.hash(state);
        position.hash(state);
        digits.for_each(|d| d.hash(state));
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Decimal {
    /// The text as a JSON number (through `RawValue`); other formats get the same value as `RawValue`
    /// gives them.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let raw = serde_json::value::RawValue::from_string(self.as_str().to_string())
            .map_err(S::Error::custom)?;
        raw.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(RAW_TOKEN, DecimalVisitor { direct: true })
    }
}

struct DecimalVisitor {
    /// Whether the deserializer was asked directly, as serde_json answers a raw-value request (with a map
    /// of its own whose text it has parsed). Through `visit_newtype_struct` (serde's buffered values for
    /// `flatten` and untagged enums, other formats) a map's keys come from the input, so a body could
    /// send serde_json's raw-value name itself: its text is then checked like any other.
    direct: bool,
}

impl DecimalVisitor {
    fn text<E: de::Error>(text: &str) -> Result<Decimal, E> {
        text.parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(text), &"a JSON number"))
    }
}

impl<'de> Visitor<'de> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }

    /// serde_json's raw value: one entry, the raw-value name and the value's text. Under serde_json's own
    /// name, asked directly, the text is a JSON value serde_json has already parsed (as
    /// `serde_json::value::RawValue` trusts it), so it is a number when it starts like one and only needs
    /// copying; any other map is checked byte by byte.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Decimal, A::Error> {
        let Some(raw_value_name) = map.next_key_seed(RawKey)? else {
            return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
        };
        map.next_value_seed(RawText {
            from_serde_json: raw_value_name && self.direct,
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, inner: D) -> Result<Decimal, D::Error> {
        inner.deserialize_any(DecimalVisitor { direct: false })
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(value))
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<Decimal, E> {
        Ok(Decimal::from(value))
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<Decimal, E> {
        Ok(Decimal::from(value))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Decimal, E> {
        Decimal::try_from_f64(value).map_err(E::custom)
    }

    /// Formats that carry numbers as text.
    fn visit_str<E: de::Error>(self, text: &str) -> Result<Decimal, E> {
        DecimalVisitor::text(text)
    }
}

/// The raw value's key: whether it is serde_json's raw-value name.
struct RawKey;

impl<'de> DeserializeSeed<'de> for RawKey {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for RawKey {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a raw value name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(is_raw_token(key.as_bytes()))
    }
}

/// Whether `key` is [`RAW_TOKEN`]: its length and two overlapping 16-byte words, which compiles to a
/// few compares rather than a `memcmp` call (this runs once per number).
#[inline(always)]
fn is_raw_token(key: &[u8]) -> bool {
    const HEAD: u128 = word(RAW_TOKEN.as_bytes(), 0);
    const TAIL: u128 = word(RAW_TOKEN.as_bytes(), RAW_TOKEN.len() - 16);
    match (key.first_chunk::<16>(), key.last_chunk::<16>()) {
        (Some(head), Some(tail)) => {
            key.len() == RAW_TOKEN.len()
                && u128::from_le_bytes(*head) == HEAD
                && u128::from_le_bytes(*tail) == TAIL
        }
        _ => false,
    }
}

/// The 16 bytes of `bytes` from `at`, as [`is_raw_token`] reads them.
const fn word(bytes: &[u8], at: usize) -> u128 {
    let mut word = [0; 16];
    let mut i = 0;
    while i < 16 {
        word[i] = bytes[at + i];
        i += 1;
    }
    u128::from_le_bytes(word)
}

/// The raw text serde_json hands over: must be a number (not a string, object, …).
struct RawText {
    /// Whether the text is a JSON value serde_json has parsed (its raw-value name was the key).
    from_serde_json: bool,
}

impl<'de> DeserializeSeed<'de> for RawText {
    type Value = Decimal;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Decimal, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for RawText {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }

    /// serde_json hands over the value's text without the whitespace around it (it skips whitespace
    /// before it starts and stops at the value's last byte), so nothing is trimmed here.
    fn visit_str<E: de::Error>(self, raw: &str) -> Result<Decimal, E> {
        let decimal = if self.from_serde_json {
            Decimal::from_parsed_json(raw)
        } else {
            Decimal::parse_json_number(raw)
        };
        decimal.ok_or_else(|| E::invalid_type(unexpected(raw), &"a number"))
    }
}

/// What raw JSON text that is not a number holds, for the error message.
fn unexpected(raw: &str) -> de::Unexpected<'_> {
    match raw.as_bytes().first() {
        Some(b'"') => de::Unexpected::Other("a string"),
        Some(b'{') => de::Unexpected::Map,
        Some(b'[') => de::Unexpected::Seq,
        Some(b'n') => de::Unexpected::Unit,
        Some(b't' | b'f') => de::Unexpected::Other("a boolean"),
        _ => de::Unexpected::Other(raw),
    }
}

#[cfg(feature = "rust_decimal")]
mod rust_decimal_conversions {
    use super::{Decimal, DecimalError};

    impl TryFrom<&Decimal> for rust_decimal::Decimal {
        type Error = DecimalError;

        /// Exact, or [`DecimalError::OutOfRange`] (more than 28 decimals that are not zeros, or beyond
        /// 96 bits of mantissa).
        fn try_from(value: &Decimal) -> Result<Self, DecimalError> {
            let out_of_range =
                || DecimalError::OutOfRange(value.as_str().to_string(), "rust_decimal::Decimal");
            let (mut mantissa, mut scale) = value.scaled().map_err(|_| out_of_range())?;
            while scale > 28 && mantissa % 10 == 0 {
                mantissa /= 10;
                scale -= 1;
            }
            rust_decimal::Decimal::try_from_i128_with_scale(mantissa, scale)
                .map_err(|_| out_of_range())
        }
    }

    impl TryFrom<Decimal> for rust_decimal::Decimal {
        type Error = DecimalError;

        fn try_from(value: Decimal) -> Result<Self, DecimalError> {
            rust_decimal::Decimal::try_from(&value)
        }
    }

    impl From<rust_decimal::Decimal> for Decimal {
        /// Keeps the scale (`1.50` stays `1.50`).
        fn from(value: rust_decimal::Decimal) -> Self {
            Decimal::from_scaled(value.mantissa(), value.scale())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn decodes_the_exact_digits_from_slices_readers_and_values() {
        for text in [
            "0.09975",
            "12345678901234567890.123456789",
            "-0.5",
            "1E+3",
            "100",
            "1.50",
            "0.0000000000000000000000000000000000000000001",
        ] {
            let from_str: Decimal = serde_json::from_str(text).unwrap();
            assert_eq!(from_str.as_str(), text);
            let from_reader: Decimal = serde_json::from_reader(text.as_bytes()).unwrap();
            assert_eq!(from_reader.as_str(), text);
            let wrapped = format!("[ {text} ]");
            let in_array: Vec<Decimal> = serde_json::from_str(&wrapped).unwrap();
            assert_eq!(in_array[0].as_str(), text);
            let mut de = serde_json::Deserializer::from_str(&wrapped);
            let tracked: Vec<Decimal> = serde_path_to_error::deserialize(&mut de).unwrap();
            assert_eq!(tracked[0].as_str(), text);
            assert_eq!(serde_json::to_string(&from_str).unwrap(), text);
        }
        // A `Value` already holds an `f64`: its shortest text, the best there is.
        let value = serde_json::json!(0.09975);
        assert_eq!(Decimal::deserialize(&value).unwrap().as_str(), "0.09975");
        assert_eq!(
            Decimal::deserialize(serde_json::json!(7)).unwrap().as_str(),
            "7"
        );
    }

    #[test]
    fn anything_but_a_number_is_a_typed_error() {
        for json in [r#""1.5""#, "null", "true", "{}", "[]"] {
            let error = serde_json::from_str::<Decimal>(json).unwrap_err();
            assert!(error.to_string().contains("expected a number"), "{error}");
        }
        let error = serde_json::from_str::<Vec<Decimal>>("[1, \"x\"]").unwrap_err();
        assert!(error.to_string().contains("line 1"), "{error}");
        for text in [
            "", "-", "01", "1.", ".5", "+1", "1e", "1e+", "0x10", "1.5 ", "NaN",
        ] {
            assert!(text.parse::<Decimal>().is_err(), "{text}");
        }
    }

    #[test]
    fn the_decoding_scan_accepts_exactly_what_parts_accepts() {
        // Every string over the number alphabet up to 4 bytes, plus long and exponent cases.
        let alphabet = ["0", "1", "9", "-", "+", ".", "e", "E", " ", "x"];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .filter(|t| t.len() == texts.last().map_or(0, String::len))
                .flat_map(|t| alphabet.iter().map(move |a| format!("{t}{a}")))
                .collect();
            texts.extend(longer);
        }
        texts.extend(
            [
                "1e1000000000",
                "1e1000000001",
                "1e99999999999999999",
                "-0.0000000000000000001",
                "12345678901234567890.1",
                "123456789012345678901.12",
                "0123456789012345678901234",
            ]
            .map(String::from),
        );
        for text in &texts {
            let scanned = Decimal::parse_json_number(text);
            assert_eq!(scanned.is_some(), Parts::of(text).is_some(), "{text:?}");
            if let Some(decimal) = scanned {
                assert_eq!(decimal.as_str(), text);
            }
        }
    }

    #[test]
    fn a_decimal_and_its_option_are_sixteen_bytes_at_every_length() {
        assert_eq!(size_of::<Decimal>(), 16);
        assert_eq!(size_of::<Option<Decimal>>(), 16);
        assert_eq!(size_of::<Result<Option<Decimal>, serde_json::Error>>(), 16);
        let digits = "-1234567890.1234567890123456789012345678";
        for len in 2..=digits.len() {
            let text = &digits[..len];
            if text.ends_with('.') {
                continue;
            }
            assert_eq!(d(text).as_str(), text);
            let decoded: Decimal = serde_json::from_str(text).unwrap();
            assert_eq!(decoded.as_str(), text);
            assert_eq!(serde_json::to_string(&decoded).unwrap(), text);
        }
        for text in ["12345678", "123456789", "-1e-7", "0", "-0.09975"] {
            assert_eq!(d(text).as_str(), text);
            assert_eq!(d(text).clone(), d(text));
        }
    }

    #[test]
    fn short_words_keep_every_byte() {
        let text = "-1234567890.0987";
        for len in 0..=INLINE {
            let bytes = short_word(&text.as_bytes()[..len]).to_le_bytes();
            assert_eq!(&bytes[..len], &text.as_bytes()[..len], "{len}");
            assert!(bytes[len..].iter().all(|b| *b == 0), "{len}");
        }
        for at in 0..INLINE {
            for byte in [b'e', b'E'] {
                let mut bytes = *b"12345678";
                bytes[at] = byte;
                assert!(has_exponent(short_word(&bytes)), "{at}");
            }
        }
        assert!(!has_exponent(short_word(b"-0123.+9")));
        assert!(!has_exponent(short_word(b"4567890")));
        assert!(!has_exponent(short_word(b"")));
        assert_eq!(d("-1234567890.0987").as_str(), "-1234567890.0987");
        assert_eq!(d("-1234567890.09876").as_str(), "-1234567890.09876");
    }

    #[test]
    fn only_serde_json_text_skips_the_byte_check() {
        use serde::de::value::{Error, MapDeserializer};
        let map = |value: &'static str| {
            MapDeserializer::<_, Error>::new(vec![("not the raw-value name", value)].into_iter())
        };
        assert_eq!(Decimal::deserialize(map("1.50")).unwrap().as_str(), "1.50");
        for text in ["-x", "1.", "01", "1 ", "1e99999999999"] {
            assert!(Decimal::deserialize(map(text)).is_err(), "{text}");
        }
        // serde_json checks the syntax itself; exponents are still bounded here.
        assert!(serde_json::from_str::<Decimal>("1e99999999999").is_err());
        assert_eq!(
            serde_json::from_str::<Decimal>("-0.5e-3").unwrap().as_str(),
            "-0.5e-3"
        );
        for bad in ["-", "01", "1.", "1e", "--1", "-a"] {
            assert!(serde_json::from_str::<Decimal>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_body_cannot_pass_text_off_as_serde_json_checked() {
        // `flatten` buffers the body, so the raw-value name below comes from the body itself.
        #[derive(Debug, Deserialize)]
        struct Inner {
            #[serde(rename = "A")]
            a: Decimal,
        }
        #[derive(Debug, Deserialize)]
        struct Outer {
            #[serde(flatten)]
            inner: Inner,
        }
        for forged in [
            "12345678901234567890123456789012345 junk",
            r"123456789\u0000999",
            r"1\u0000xyz",
            "1.",
            "--1",
        ] {
            let body = format!(r#"{{"A": {{"{RAW_TOKEN}": "{forged}"}}}}"#);
            let decoded = serde_json::from_str::<Outer>(&body);
            assert!(decoded.is_err(), "{forged}: {decoded:?}");
        }
        let body = format!(r#"{{"A": {{"{RAW_TOKEN}": "1.50"}}}}"#);
        let checked = serde_json::from_str::<Outer>(&body).unwrap();
        assert_eq!(checked.inner.a.as_str(), "1.50");
    }

    #[test]
    fn compares_and_hashes_by_value() {
        use std::collections::HashSet;
        assert_eq!(d("1.50"), d("1.5"));
        assert_eq!(d("100"), d("1e2"));
        assert_eq!(d("0"), d("-0.000"));
        assert_eq!(d("0.0012"), d("12e-4"));
        assert!(d("0.09975") < d("0.1"));
        assert!(d("-2") < d("-1.999"));
        assert!(d("-0.1") < d("0"));
        assert!(d("99") < d("100"));
        assert!(d("12345678901234567890.123456789") > d("12345678901234567890.12345678"));
        let set: HashSet<Decimal> = ["1.5", "1.50", "15e-1", "0", "-0.0"]
            .into_iter()
            .map(d)
            .collect();
        assert_eq!(set.len(), 2);
    }

    #[test]
    fn sums_are_exact_where_f64_is_not() {
        assert_eq!(0.1_f64 + 0.2, 0.30000000000000004);
        assert_eq!(d("0.1").checked_add(&d("0.2")).unwrap().as_str(), "0.3");
        assert_eq!(d("1.50").checked_add(&d("1.5")).unwrap().as_str(), "3.00");
        assert_eq!(d("1").checked_sub(&d("1.25")).unwrap().as_str(), "-0.25");
        assert_eq!(d("1e2").checked_add(&d("0.5")).unwrap().as_str(), "100.5");
        assert_eq!(
            d("-0.05").checked_add(&d("0.04")).unwrap().as_str(),
            "-0.01"
        );
        assert_eq!(d("1.5").checked_mul(&d("0.21")).unwrap().as_str(), "0.315");
        assert_eq!(d("0.5").negated().as_str(), "-0.5");
        assert_eq!(d("-0.5").negated().as_str(), "0.5");
        let huge = d("170141183460469231731687303715884105727");
        assert!(matches!(
            huge.checked_add(&d("1")),
            Err(DecimalError::OutOfRange(..))
        ));
        assert!(d("1e40").checked_add(&d("1")).is_err());
    }

    #[test]
    fn converts_to_and_from_f64_explicitly() {
        assert_eq!(d("0.09975").to_f64(), 0.09975);
        assert_eq!(Decimal::try_from_f64(0.1).unwrap().as_str(), "0.1");
        assert!(Decimal::try_from_f64(f64::NAN).is_err());
        assert_eq!(Decimal::from(-7_i64).as_str(), "-7");
    }

    #[cfg(feature = "rust_decimal")]
    #[test]
    fn converts_to_rust_decimal_exactly_or_not_at_all() {
        let exact = rust_decimal::Decimal::try_from(&d("12345678901234567890.123456789")).unwrap();
        assert_eq!(exact.to_string(), "12345678901234567890.123456789");
        let scaled = rust_decimal::Decimal::try_from(&d("1.50")).unwrap();
        assert_eq!(Decimal::from(scaled).as_str(), "1.50");
        assert!(rust_decimal::Decimal::try_from(&d("1e30")).is_err());
        assert!(rust_decimal::Decimal::try_from(&d("1e-29")).is_err());
        let padded = format!("1.{}", "0".repeat(35));
        assert!(rust_decimal::Decimal::try_from(&d(&padded)).is_ok());
    }
}
