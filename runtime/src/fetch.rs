//! From events to fetch requests: which operation reads each event's entity, the ids deduplicated per
//! operation and chunked at its filter's `max N items`.
//!
//! Generated event enums say what each event needs ([`Fetch`]); [`FetchPlan`] gathers a batch, and the
//! generated page's own `FetchPlan` wraps it with one method per fetch operation (`customers_get_all`…) that
//! fills the `…Ids` filter of copies of a request the caller supplies, since some requests need more
//! (`Extent`, time filters).

use std::collections::{BTreeMap, HashSet};

/// What reading one event's entity takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fetch<'a> {
    /// Read entity `id` with operation `operation` (`customers/getAll`), through its ids filter.
    By {
        /// The operation id (`customers/getAll`).
        operation: &'static str,
        /// The entity's id as the event gives it.
        id: &'a str,
    },
    /// The event names an entity the client cannot fetch by id.
    Unfetched(Unfetched),
}

/// An event left out of the fetch requests, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unfetched {
    /// The event's discriminator (`MessageAdded`).
    pub event: String,
    /// The entity's id, when the event has one.
    pub id: Option<String>,
    /// The operation the docs name for reading the entity, if any.
    pub operation: Option<&'static str>,
    /// Why no request reads it (`messages/getAll has no MessageIds filter`).
    pub reason: String,
}

impl<'a> Fetch<'a> {
    /// Entity `id` is read by `operation`.
    pub fn by(operation: &'static str, id: &'a str) -> Self {
        Fetch::By { operation, id }
    }

    /// Event `event` names entity `id` that `operation` cannot read by id, for `reason`.
    pub fn unfetched(
        event: &str,
        operation: Option<&'static str>,
        id: Option<&str>,
        reason: &str,
    ) -> Self {
        Fetch::Unfetched(Unfetched {
            event: event.to_string(),
            id: id.map(str::to_string),
            operation,
            reason: reason.to_string(),
        })
    }

    /// An event this client does not know.
    pub fn unknown(event: &str) -> Self {
        Fetch::unfetched(
            event,
            None,
            None,
            "an event this version of the client does not know",
        )
    }
}

/// A batch of events turned into ids per fetch operation: each id once per operation, in the order first
/// seen (`CustomerAdded` and `CustomerUpdated` of one customer count once), plus the events left unfetched.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FetchPlan {
    ids: BTreeMap<&'static str, Vec<String>>,
    unfetched: Vec<Unfetched>,
}

impl FetchPlan {
    /// The plan for a batch of events, as their generated `fetch()` methods describe them.
    pub fn of<'a>(events: impl IntoIterator<Item = Fetch<'a>>) -> Self {
        let mut plan = FetchPlan::default();
        let mut seen: HashSet<(&'static str, &'a str)> = HashSet::new();
        for fetch in events {
            match fetch {
                Fetch::By { operation, id } => {
                    if seen.insert((operation, id)) {
                        plan.ids.entry(operation).or_default().push(id.to_string());
                    }
                }
                Fetch::Unfetched(unfetched) => plan.unfetched.push(unfetched),
            }
        }
        plan
    }

    /// The operations to call, by id (`customers/getAll`), each with its deduplicated ids.
    pub fn operations(&self) -> impl Iterator<Item = (&'static str, &[String])> {
        self.ids.iter().map(|(op, ids)| (*op, ids.as_slice()))
    }

    /// The ids to read with `operation`, deduplicated, in the order first seen.
    pub fn ids(&self, operation: &str) -> &[String] {
        self.ids.get(operation).map_or(&[], Vec::as_slice)
    }

    /// The events no request reads, with the reason.
    pub fn unfetched(&self) -> &[Unfetched] {
        &self.unfetched
    }

    /// Whether nothing is to be fetched.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Copies of `template`, one per chunk of at most `max` ids of `operation`, each with `set` filling its ids
    /// filter. What the generated per-operation methods call.
    pub fn requests<R: Clone, I: for<'s> From<&'s str>>(
        &self,
        operation: &str,
        max: usize,
        template: &R,
        set: impl Fn(&mut R, Vec<I>),
    ) -> Vec<R> {
        self.ids(operation)
            .chunks(max.max(1))
            .map(|chunk| {
                let mut request = template.clone();
                set(
                    &mut request,
                    chunk.iter().map(|id| I::from(id.as_str())).collect(),
                );
                request
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_count_once_per_operation_in_first_seen_order_and_chunk_at_the_limit() {
        let plan = FetchPlan::of([
            Fetch::by("customers/getAll", "c1"),
            Fetch::by("customers/getAll", "c2"),
            Fetch::by("customers/getAll", "c1"),
            Fetch::by("resources/getAll", "c1"),
            Fetch::unfetched(
                "MessageAdded",
                Some("messages/getAll"),
                Some("m1"),
                "no filter",
            ),
            Fetch::unknown("SomethingNew"),
        ]);
        assert_eq!(plan.ids("customers/getAll"), ["c1", "c2"]);
        assert_eq!(plan.ids("resources/getAll"), ["c1"]);
        assert_eq!(plan.unfetched().len(), 2);
        assert_eq!(plan.unfetched()[0].id.as_deref(), Some("m1"));
        let requests: Vec<Vec<String>> = plan.requests(
            "customers/getAll",
            1,
            &Vec::new(),
            |r: &mut Vec<String>, ids| *r = ids,
        );
        assert_eq!(requests, [vec!["c1".to_string()], vec!["c2".to_string()]]);
        let none: Vec<Vec<String>> = plan.requests(
            "payments/getAll",
            10,
            &Vec::new(),
            |r: &mut Vec<String>, ids| *r = ids,
        );
        assert!(none.is_empty());
    }
}
