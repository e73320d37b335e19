//! The offer change log (migration 0006), filled by triggers and read by the
//! in-memory offer index.

use sqlx::{AnyExecutor, Row};

use super::{Backend, Db};

/// What a change row names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Ride,
    Stay,
    /// An owner's name or email, shown with their offers.
    User,
}

/// One row of the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    /// The writing transaction (PostgreSQL); 0 on SQLite.
    pub xid: i64,
    pub kind: ChangeKind,
    pub id: i64,
}

/// Every transaction with an id below this has ended, so no change row below
/// it can still appear. SQLite commits in sequence order: all are settled.
pub async fn settled_below(db: &Db) -> sqlx::Result<i64> {
    match db.backend {
        Backend::Sqlite => Ok(i64::MAX),
        Backend::Postgres => sqlx::query(
            "SELECT CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS TEXT) AS BIGINT) AS xmin",
        )
        .fetch_one(&db.pool)
        .await?
        .try_get("xmin"),
    }
}

/// Up to `limit` changes after `(xid, seq)`, in (xid, seq) order.
pub async fn after(db: &Db, pos: (i64, i64), limit: i64) -> sqlx::Result<Vec<Change>> {
    let rows = match db.backend {
        // Every xid is 0 here; SQLite would walk the whole (xid, seq) index
        // for the row-value comparison, while this is a primary-key range.
        Backend::Sqlite => sqlx::query(
            "SELECT seq, xid, kind, offer_id FROM offer_changes WHERE seq > $1 \
             ORDER BY seq LIMIT $2",
        )
        .bind(pos.1)
        .bind(limit),
        Backend::Postgres => sqlx::query(
            "SELECT seq, xid, kind, offer_id FROM offer_changes WHERE (xid, seq) > ($1, $2) \
             ORDER BY xid, seq LIMIT $3",
        )
        .bind(pos.0)
        .bind(pos.1)
        .bind(limit),
    }
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let kind = match r.try_get::<String, _>("kind")?.as_str() {
            "ride" => ChangeKind::Ride,
            "stay" => ChangeKind::Stay,
            _ => ChangeKind::User,
        };
        out.push(Change {
            seq: r.try_get("seq")?,
            xid: r.try_get("xid")?,
            kind,
            id: r.try_get("offer_id")?,
        });
    }
    Ok(out)
}

/// The last change written by a transaction below `settled` (where a fresh
/// full load can put its cursor), or `(0, 0)` for an empty log.
pub async fn last_settled(ex: impl AnyExecutor<'_>, settled: i64) -> sqlx::Result<(i64, i64)> {
    let row = sqlx::query(
        "SELECT xid, seq FROM offer_changes WHERE xid < $1 ORDER BY xid DESC, seq DESC LIMIT 1",
    )
    .bind(settled)
    .fetch_optional(ex)
    .await?;
    match row {
        Some(r) => Ok((r.try_get("xid")?, r.try_get("seq")?)),
        None => Ok((0, 0)),
    }
}
