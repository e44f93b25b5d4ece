//! Bulk license assignment from a CSV file (`pool,assignee_id,assignee_name,action`): what each
//! row would do, or did, and why a file cannot be applied.

use serde::{Deserialize, Serialize};

/// The file's header, exactly.
pub const HEADER: [&str; 4] = ["pool", "assignee_id", "assignee_name", "action"];

/// What one row does, or why it cannot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowOutcome {
    /// Assigns a license.
    Assign,
    /// Releases a license.
    Release,
    /// Already assigned: nothing to do.
    AlreadyAssigned,
    /// Not assigned: nothing to release.
    NotAssigned,
    /// The tenant holds no such pool.
    UnknownPool,
    /// The pool is a main pool: its licenses are not assigned by hand.
    NotAssignmentPool,
    /// No assignee id, or one over 255 characters.
    BadAssignee,
    /// The action is neither `assign` nor `release`.
    BadAction,
    /// The same pool and assignee appear on an earlier row.
    Repeated,
    /// The row has not four fields.
    BadRow,
}

impl RowOutcome {
    pub fn is_error(self) -> bool {
        !matches!(
            self,
            Self::Assign | Self::Release | Self::AlreadyAssigned | Self::NotAssigned
        )
    }

    pub fn changes(self) -> bool {
        matches!(self, Self::Assign | Self::Release)
    }

    /// The report's spelling.
    pub fn code(self) -> &'static str {
        match self {
            Self::Assign => "assign",
            Self::Release => "release",
            Self::AlreadyAssigned => "already_assigned",
            Self::NotAssigned => "not_assigned",
            Self::UnknownPool => "unknown_pool",
            Self::NotAssignmentPool => "not_an_assignment_pool",
            Self::BadAssignee => "bad_assignee",
            Self::BadAction => "bad_action",
            Self::Repeated => "repeated",
            Self::BadRow => "bad_row",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkRow {
    /// The line in the file (the header is line 1).
    pub line: u64,
    pub pool: String,
    pub assignee_id: String,
    pub assignee_name: String,
    pub action: String,
    pub outcome: RowOutcome,
}

/// A hard pool the file would take past its purchase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverCapacity {
    pub pool: String,
    pub purchased: i64,
    /// Licenses assigned after the file.
    pub after: i64,
}

/// A file as previewed (or, once applied, as applied).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkPreview {
    pub upload: i64,
    /// The header is not `pool,assignee_id,assignee_name,action`, or the file is not CSV.
    pub bad_header: bool,
    pub rows: Vec<BulkRow>,
    pub over_capacity: Vec<OverCapacity>,
    /// When and by whom it was applied.
    pub applied: Option<(String, String)>,
}

impl BulkPreview {
    pub fn errors(&self) -> usize {
        self.rows.iter().filter(|r| r.outcome.is_error()).count()
            + self.over_capacity.len()
            + usize::from(self.bad_header)
    }

    pub fn changes(&self) -> usize {
        self.rows.iter().filter(|r| r.outcome.changes()).count()
    }
}
