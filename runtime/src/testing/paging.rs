//! The mock's paging over loaded items: `Limitation.Count` and `Cursor` in, a page and its `Cursor` out.
//! Pure functions over JSON; the mock server calls them.

use crate::values::Json;

/// Most items a page may hold (`Limitation.Count`).
pub const MAX_COUNT: u64 = 1000;

/// The cursor the mock gives after `offset` items: shaped like the API's (a GUID), encoding the offset.
pub fn cursor(offset: usize) -> String {
    format!("00000000-0000-4000-8000-{offset:012x}")
}

/// The offset a cursor of [`cursor`] encodes; `None` for any other text.
pub fn offset(cursor: &str) -> Option<usize> {
    let hex = cursor.strip_prefix("00000000-0000-4000-8000-")?;
    if hex.len() != 12 {
        return None;
    }
    usize::from_str_radix(hex, 16).ok()
}

/// `Limitation.Count` as the API takes it: an integer from 1 to [`MAX_COUNT`]; the error is the message of
/// the 400 the API answers.
pub fn count(
    limitation: Option<&Json>,
    limitation_name: &str,
    count_name: &str,
) -> Result<usize, String> {
    let value = limitation.and_then(|l| l.get(count_name));
    match value.and_then(Json::as_u64) {
        Some(n @ 1..=MAX_COUNT) => usize::try_from(n).map_err(|e| e.to_string()),
        _ => Err(format!(
            "Invalid {limitation_name}.{count_name}: {} (an integer from 1 to {MAX_COUNT})",
            value.map_or_else(|| "missing".to_string(), Json::to_string)
        )),
    }
}

/// One page of `items` from `cursor` (the start when `None`): the items and the cursor to continue from.
/// The cursor is always given, on the last and on an empty page too (then it is the one asked with, as
/// nothing follows it), as the API does. An unknown cursor, or one past the end, is the 400's message.
pub fn page<'a>(
    items: &'a [Json],
    count: usize,
    cursor_sent: Option<&str>,
) -> Result<(&'a [Json], String), String> {
    let start = match cursor_sent {
        None => 0,
        Some(text) => match offset(text) {
            Some(start) if start <= items.len() => start,
            _ => return Err(format!("Invalid Cursor: {text}")),
        },
    };
    let end = start.saturating_add(count).min(items.len());
    let slice = items.get(start..end).unwrap_or_default();
    Ok((slice, cursor(end)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(n: usize) -> Vec<Json> {
        (0..n).map(|i| Json::from(i as u64)).collect()
    }

    #[test]
    fn cursors_round_trip_and_others_are_unknown() {
        assert_eq!(offset(&cursor(2500)), Some(2500));
        assert_eq!(cursor(0).len(), 36);
        assert_eq!(offset("8e4e2d1c-0000-4000-8000-000000000001"), None);
        assert_eq!(offset("00000000-0000-4000-8000-zz"), None);
    }

    #[test]
    fn count_is_an_integer_from_1_to_1000() {
        let limitation = |count: Json| serde_json::json!({ "Count": count });
        assert_eq!(
            count(Some(&limitation(Json::from(1000))), "Limitation", "Count"),
            Ok(1000)
        );
        for bad in [
            Json::from(0),
            Json::from(1001),
            Json::from(-1),
            Json::from(2.5),
            Json::from("10"),
        ] {
            let error = count(Some(&limitation(bad.clone())), "Limitation", "Count").unwrap_err();
            assert!(
                error.starts_with("Invalid Limitation.Count: "),
                "{bad}: {error}"
            );
        }
        assert!(
            count(None, "Limitation", "Count")
                .unwrap_err()
                .contains("missing")
        );
    }

    #[test]
    fn pages_follow_the_cursor_and_always_return_one() {
        let all = items(5);
        let (first, next) = page(&all, 2, None).unwrap();
        assert_eq!((first.len(), offset(&next)), (2, Some(2)));
        let (second, next) = page(&all, 2, Some(&next)).unwrap();
        assert_eq!((second, offset(&next)), (&all[2..4], Some(4)));
        let (last, next) = page(&all, 2, Some(&next)).unwrap();
        assert_eq!((last.len(), offset(&next)), (1, Some(5)));
        let (empty, again) = page(&all, 2, Some(&next)).unwrap();
        assert_eq!((empty.len(), again), (0, next));
    }

    #[test]
    fn an_unknown_or_out_of_range_cursor_is_refused() {
        let all = items(3);
        assert_eq!(
            page(&all, 2, Some("x")),
            Err("Invalid Cursor: x".to_string())
        );
        assert!(page(&all, 2, Some(&cursor(4))).is_err());
        assert!(page(&[], 2, None).is_ok_and(|(p, c)| p.is_empty() && offset(&c) == Some(0)));
    }
}
