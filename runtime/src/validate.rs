//! Contract validation before sending: `max N items`, `max length N characters`, `max length N months`, their
//! minima (`min N items`, `min length N characters`), and
//! the value bounds descriptions state (`minimum 1, maximum 1000`).
//! Generated request types implement [`Validate`]; all violations are collected with their paths.

use std::cmp::Ordering;
use std::fmt;

use super::decimal::Decimal;
use super::values::Timestamp;

/// Implemented by generated request types and the types they contain.
pub trait Validate {
    /// Reports every broken contract of `self` (and what it contains) to `validator`.
    fn validate(&self, validator: &mut Validator);
}

/// A time interval with UTC bounds, for `max length N months` contracts.
pub trait Interval {
    /// The start of the interval, if given.
    fn start(&self) -> Option<&Timestamp>;
    /// The end of the interval, if given.
    fn end(&self) -> Option<&Timestamp>;
}

/// One broken contract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// JSON path of the property (`Messages[3].Text`).
    pub path: String,
    /// The contract and how the value breaks it.
    pub rule: Rule,
}

/// A documented contract and how a value breaks it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// `max N items`.
    MaxItems {
        /// The documented maximum.
        max: u64,
        /// How many items the list has.
        actual: usize,
    },
    /// `max length N characters` (counted in UTF-16 code units).
    MaxLength {
        /// The documented maximum.
        max: u64,
        /// How long the text is.
        actual: usize,
    },
    /// `min N items`.
    MinItems {
        /// The documented minimum.
        min: u64,
        /// How many items the list has.
        actual: usize,
    },
    /// `min length N characters` (counted in UTF-16 code units).
    MinLength {
        /// The documented minimum.
        min: u64,
        /// How long the text is.
        actual: usize,
    },
    /// `max length N months`, for intervals.
    MaxMonths {
        /// The documented maximum.
        max: u64,
    },
    /// A value below the minimum its description states (`minimum 1`, `non-negative`).
    Minimum {
        /// The documented minimum, inclusive.
        min: i64,
        /// The value, as it would be sent.
        actual: String,
    },
    /// A value above the maximum its description states (`maximum 1000`).
    Maximum {
        /// The documented maximum, inclusive.
        max: i64,
        /// The value, as it would be sent.
        actual: String,
    },
}

/// A number a value bound can be checked on: the generated `i64` and [`Decimal`] fields.
pub trait Bounded: fmt::Display {
    /// How the value compares with the integer `bound`.
    fn cmp_bound(&self, bound: i64) -> Ordering;
}

impl Bounded for i64 {
    fn cmp_bound(&self, bound: i64) -> Ordering {
        self.cmp(&bound)
    }
}

impl Bounded for serde_json::Number {
    fn cmp_bound(&self, bound: i64) -> Ordering {
        if let Some(n) = self.as_i64() {
            n.cmp(&bound)
        } else if self.as_u64().is_some() {
            // Only integers above `i64::MAX` are `u64` but not `i64`.
            Ordering::Greater
        } else {
            // A JSON number is finite, so the comparison always has an answer.
            self.as_f64()
                .and_then(|f| f.partial_cmp(&(bound as f64)))
                .unwrap_or(Ordering::Equal)
        }
    }
}

impl Bounded for Decimal {
    fn cmp_bound(&self, bound: i64) -> Ordering {
        self.cmp(&Decimal::from(bound))
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.rule {
            Rule::MaxItems { max, actual } => write!(
                f,
                "`{}` has {actual} items, at most {max} are allowed",
                self.path
            ),
            Rule::MaxLength { max, actual } => {
                write!(
                    f,
                    "`{}` is {actual} characters long, at most {max} are allowed",
                    self.path
                )
            }
            Rule::MinItems { min, actual } => write!(
                f,
                "`{}` has {actual} items, at least {min} are required",
                self.path
            ),
            Rule::MinLength { min, actual } => write!(
                f,
                "`{}` is {actual} characters long, at least {min} are required",
                self.path
            ),
            Rule::MaxMonths { max } => write!(f, "`{}` spans more than {max} month(s)", self.path),
            Rule::Minimum { min, actual } => {
                write!(f, "`{}` is {actual}, it must be at least {min}", self.path)
            }
            Rule::Maximum { max, actual } => {
                write!(f, "`{}` is {actual}, it must be at most {max}", self.path)
            }
        }
    }
}

/// Collects violations while walking a request.
#[derive(Debug, Default)]
pub struct Validator {
    path: Vec<String>,
    violations: Vec<Violation>,
}

impl Validator {
    /// A validator with no violations.
    pub fn new() -> Self {
        Validator::default()
    }

    fn path_of(&self, field: &str) -> String {
        let mut path = String::new();
        for segment in self
            .path
            .iter()
            .map(String::as_str)
            .chain(std::iter::once(field))
        {
            if !path.is_empty() && !segment.starts_with('[') {
                path.push('.');
            }
            path.push_str(segment);
        }
        path
    }

    /// `max N items`: the list under `field` has `len` items, at most `max` are allowed.
    pub fn max_items(&mut self, field: &str, len: usize, max: u64) {
        if len as u64 > max {
            let path = self.path_of(field);
            self.violations.push(Violation {
                path,
                rule: Rule::MaxItems { max, actual: len },
            });
        }
    }

    /// Lengths are counted in UTF-16 code units, as the API (on .NET) counts them.
    pub fn max_length(&mut self, field: &str, value: &str, max: u64) {
        let actual = value.encode_utf16().count();
        if actual as u64 > max {
            let path = self.path_of(field);
            self.violations.push(Violation {
                path,
                rule: Rule::MaxLength { max, actual },
            });
        }
    }

    /// `min N items`: the list under `field` has `len` items, at least `min` are required.
    pub fn min_items(&mut self, field: &str, len: usize, min: u64) {
        if (len as u64) < min {
            let path = self.path_of(field);
            self.violations.push(Violation {
                path,
                rule: Rule::MinItems { min, actual: len },
            });
        }
    }

    /// `min length N characters`, counted in UTF-16 code units like [`Validator::max_length`].
    pub fn min_length(&mut self, field: &str, value: &str, min: u64) {
        let actual = value.encode_utf16().count();
        if (actual as u64) < min {
            let path = self.path_of(field);
            self.violations.push(Violation {
                path,
                rule: Rule::MinLength { min, actual },
            });
        }
    }

    /// The interval's end may be at most `max` calendar months after its start. Intervals with a missing or
    /// unparsable bound are left to the server.
    pub fn max_months<I: Interval + ?Sized>(&mut self, field: &str, interval: &I, max: u64) {
        let (Some(start), Some(end)) = (interval.start(), interval.end()) else {
            return;
        };
        let (Ok(start), Ok(end)) = (start.parse(), end.parse()) else {
            return;
        };
        if let Some(limit) = add_months(start, max)
            && end > limit
        {
            let path = self.path_of(field);
            self.violations.push(Violation {
                path,
                rule: Rule::MaxMonths { max },
            });
        }
    }

    /// A value bound from the description: `value` must be at least `min`.
    pub fn minimum<N: Bounded + ?Sized>(&mut self, field: &str, value: &N, min: i64) {
        if value.cmp_bound(min) == Ordering::Less {
            let path = self.path_of(field);
            self.violations.push(Violation {
                path,
                rule: Rule::Minimum {
                    min,
                    actual: value.to_string(),
                },
            });
        }
    }

    /// A value bound from the description: `value` must be at most `max`.
    pub fn maximum<N: Bounded + ?Sized>(&mut self, field: &str, value: &N, max: i64) {
        if value.cmp_bound(max) == Ordering::Greater {
            let path = self.path_of(field);
            self.violations.push(Violation {
                path,
                rule: Rule::Maximum {
                    max,
                    actual: value.to_string(),
                },
            });
        }
    }

    /// Validates a nested value under `field`.
    pub fn field<T: Validate + ?Sized>(&mut self, field: &str, value: &T) {
        self.path.push(field.to_string());
        value.validate(self);
        self.path.pop();
    }

    /// Validates each item of a list under `field[i]`.
    pub fn items<T: Validate>(&mut self, field: &str, items: &[T]) {
        for (i, item) in items.iter().enumerate() {
            self.path.push(field.to_string());
            self.path.push(format!("[{i}]"));
            item.validate(self);
            self.path.pop();
            self.path.pop();
        }
    }

    /// Every violation collected, or `Ok` if there is none.
    pub fn finish(self) -> Result<(), Vec<Violation>> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(self.violations)
        }
    }
}

/// Validates a whole request.
pub fn validate<T: Validate + ?Sized>(value: &T) -> Result<(), Vec<Violation>> {
    let mut validator = Validator::new();
    value.validate(&mut validator);
    validator.finish()
}

/// `start` plus `months` calendar months, the day clamped to the target month's length.
fn add_months(start: time::OffsetDateTime, months: u64) -> Option<time::OffsetDateTime> {
    let total = i64::from(start.year()) * 12 + i64::from(u8::from(start.month())) - 1
        + i64::try_from(months).ok()?;
    let year = i32::try_from(total.div_euclid(12)).ok()?;
    let month = time::Month::try_from(u8::try_from(total.rem_euclid(12) + 1).ok()?).ok()?;
    let day = start.day().min(time::util::days_in_month(month, year));
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    Some(start.replace_date(date))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Window(Timestamp, Timestamp);
    impl Interval for Window {
        fn start(&self) -> Option<&Timestamp> {
            Some(&self.0)
        }
        fn end(&self) -> Option<&Timestamp> {
            Some(&self.1)
        }
    }

    struct Item {
        text: String,
    }
    impl Validate for Item {
        fn validate(&self, v: &mut Validator) {
            v.max_length("Text", &self.text, 3);
        }
    }
    struct Request {
        items: Vec<Item>,
        window: Window,
    }
    impl Validate for Request {
        fn validate(&self, v: &mut Validator) {
            v.max_items("Items", self.items.len(), 2);
            v.items("Items", &self.items);
            v.max_months("CreatedUtc", &self.window, 1);
        }
    }

    #[test]
    fn collects_every_violation_with_its_path() {
        let request = Request {
            items: ["ok", "long", "ok", "éééé"]
                .map(|t| Item { text: t.into() })
                .into(),
            window: Window(
                Timestamp::new("2022-01-31T00:00:00Z"),
                Timestamp::new("2022-03-01T00:00:00Z"),
            ),
        };
        let violations = validate(&request).unwrap_err();
        let shown: Vec<String> = violations.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "`Items` has 4 items, at most 2 are allowed",
                "`Items[1].Text` is 4 characters long, at most 3 are allowed",
                "`Items[3].Text` is 4 characters long, at most 3 are allowed",
                "`CreatedUtc` spans more than 1 month(s)",
            ]
        );
    }

    #[test]
    fn minima_count_items_and_utf16_code_units() {
        let mut v = Validator::new();
        v.min_items("Ids", 0, 1);
        v.min_items("Ids", 1, 1);
        v.min_length("Name", "", 1);
        v.min_length("Name", "é", 1);
        v.min_length("Emoji", "😀", 3);
        let shown: Vec<String> = v
            .finish()
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            shown,
            [
                "`Ids` has 0 items, at least 1 are required",
                "`Name` is 0 characters long, at least 1 are required",
                "`Emoji` is 2 characters long, at least 3 are required",
            ]
        );
    }

    #[test]
    fn value_bounds_compare_integers_and_decimals_exactly() {
        let number = |text: &str| serde_json::from_str::<Decimal>(text).unwrap();
        let mut v = Validator::new();
        v.minimum("Count", &0_i64, 1);
        v.maximum("Count", &1000_i64, 1000);
        v.maximum("Count", &5000_i64, 1000);
        v.minimum("Commission", &number("-0.5"), 0);
        v.maximum("Commission", &number("1.0"), 1);
        v.maximum("Commission", &number("1.0001"), 1);
        v.maximum("Big", &number("18446744073709551615"), 1);
        v.minimum("Low", &i64::MIN, -1);
        let shown: Vec<String> = v
            .finish()
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            shown,
            [
                "`Count` is 0, it must be at least 1",
                "`Count` is 5000, it must be at most 1000",
                "`Commission` is -0.5, it must be at least 0",
                "`Commission` is 1.0001, it must be at most 1",
                "`Big` is 18446744073709551615, it must be at most 1",
                "`Low` is -9223372036854775808, it must be at least -1",
            ]
        );
    }

    #[test]
    fn month_limits_clamp_to_month_ends() {
        let within = Window(
            Timestamp::new("2022-01-31T00:00:00Z"),
            Timestamp::new("2022-02-28T00:00:00Z"),
        );
        let mut v = Validator::new();
        v.max_months("W", &within, 1);
        assert!(v.finish().is_ok());
        let unknown = Window(
            Timestamp::new("soon"),
            Timestamp::new("2022-02-28T00:00:00Z"),
        );
        let mut v = Validator::new();
        v.max_months("W", &unknown, 1);
        assert!(v.finish().is_ok());
    }
}
