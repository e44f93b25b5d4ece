//! What a bulk assignment file would do, row by row, against the pools as they stand.

use std::collections::{HashMap, HashSet};

use crate::model::bulk::{BulkRow, OverCapacity, RowOutcome};

/// A pool as the planner needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoolState {
    /// A `hard` pool refuses past its purchase.
    pub hard: bool,
    /// Not a main pool: its licenses are assigned to someone.
    pub assignable: bool,
    pub purchased: i64,
    /// Who holds one of its licenses now.
    pub holders: HashSet<String>,
}

/// The longest assignee id the usage API takes.
const MAX_ASSIGNEE: usize = 255;

/// Each row's outcome (`records` are the rows after the header, with their line numbers), and
/// the hard pools the file would take past their purchase.
pub fn plan(
    records: Vec<(u64, Vec<String>)>,
    pools: &HashMap<String, PoolState>,
) -> (Vec<BulkRow>, Vec<OverCapacity>) {
    let mut seen = HashSet::new();
    let mut delta: HashMap<&str, i64> = HashMap::new();
    let mut rows = Vec::with_capacity(records.len());
    for (line, fields) in records {
        let field = |i: usize| fields.get(i).map_or("", |f| f.trim()).to_string();
        let (pool, assignee_id, action) = (field(0), field(1), field(3));
        let state = pools.get(pool.as_str());
        let outcome = match state {
            _ if fields.len() != 4 => RowOutcome::BadRow,
            None => RowOutcome::UnknownPool,
            Some(state) if !state.assignable => RowOutcome::NotAssignmentPool,
            Some(_) if assignee_id.is_empty() || assignee_id.chars().count() > MAX_ASSIGNEE => {
                RowOutcome::BadAssignee
            }
            Some(_) if action != "assign" && action != "release" => RowOutcome::BadAction,
            Some(_) if !seen.insert((pool.clone(), assignee_id.clone())) => RowOutcome::Repeated,
            Some(state) => match (action.as_str(), state.holders.contains(&assignee_id)) {
                ("assign", true) => RowOutcome::AlreadyAssigned,
                ("assign", false) => RowOutcome::Assign,
                (_, true) => RowOutcome::Release,
                (_, false) => RowOutcome::NotAssigned,
            },
        };
        if let Some((key, _)) = pools.get_key_value(pool.as_str()) {
            match outcome {
                RowOutcome::Assign => *delta.entry(key.as_str()).or_default() += 1,
                RowOutcome::Release => *delta.entry(key.as_str()).or_default() -= 1,
                _ => {}
            }
        }
        rows.push(BulkRow {
            line,
            assignee_name: field(2),
            pool,
            assignee_id,
            action,
            outcome,
        });
    }
    let mut over: Vec<OverCapacity> = delta
        .into_iter()
        .filter_map(|(key, change)| {
            let state = &pools[key];
            let after = state.holders.len() as i64 + change;
            (state.hard && change > 0 && after > state.purchased).then(|| OverCapacity {
                pool: key.to_string(),
                purchased: state.purchased,
                after,
            })
        })
        .collect();
    over.sort_by(|a, b| a.pool.cmp(&b.pool));
    (rows, over)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pools() -> HashMap<String, PoolState> {
        let holders = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect();
        HashMap::from([
            (
                "addon:recording".to_string(),
                PoolState {
                    hard: true,
                    assignable: true,
                    purchased: 3,
                    holders: holders(&["u1", "u2"]),
                },
            ),
            (
                "virtual_user".to_string(),
                PoolState {
                    hard: false,
                    assignable: true,
                    purchased: 0,
                    holders: holders(&[]),
                },
            ),
            (
                "user_licenses".to_string(),
                PoolState {
                    hard: true,
                    assignable: false,
                    purchased: 9,
                    holders: holders(&[]),
                },
            ),
        ])
    }

    fn rows(lines: &[&str]) -> Vec<(u64, Vec<String>)> {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| (i as u64 + 2, l.split(',').map(str::to_string).collect()))
            .collect()
    }

    fn outcomes(lines: &[&str]) -> (Vec<RowOutcome>, Vec<OverCapacity>) {
        let (rows, over) = plan(rows(lines), &pools());
        (rows.into_iter().map(|r| r.outcome).collect(), over)
    }

    #[test]
    fn each_row_says_what_it_does() {
        let (got, over) = outcomes(&[
            "addon:recording,u3,Ana,assign",
            "addon:recording,u1,Bo,assign",
            "addon:recording,u2,,release",
            "addon:recording,u9,,release",
            "addon:nothing,u1,,assign",
            "user_licenses,u1,,assign",
            "addon:recording, ,,assign",
            "addon:recording,u4,,give",
            "addon:recording,u3,,release",
            "addon:recording,u5",
        ]);
        use RowOutcome::*;
        assert_eq!(
            got,
            [
                Assign,
                AlreadyAssigned,
                Release,
                NotAssigned,
                UnknownPool,
                NotAssignmentPool,
                BadAssignee,
                BadAction,
                Repeated,
                BadRow
            ]
        );
        assert!(over.is_empty(), "2 held + 1 - 1 of 3");
    }

    #[test]
    fn a_hard_pool_may_not_pass_its_purchase_a_soft_one_may() {
        let (_, over) = outcomes(&[
            "addon:recording,u3,,assign",
            "addon:recording,u4,,assign",
            "virtual_user,v1,,assign",
        ]);
        assert_eq!(
            over,
            [OverCapacity {
                pool: "addon:recording".into(),
                purchased: 3,
                after: 4
            }]
        );
        let (_, over) = outcomes(&[
            "addon:recording,u3,,assign",
            "addon:recording,u4,,assign",
            "addon:recording,u1,,release",
        ]);
        assert!(over.is_empty(), "a release in the same file makes room");
    }
}
