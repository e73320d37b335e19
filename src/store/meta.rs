//! Small app-wide facts, such as "the demo data was loaded".

use sqlx::AnyExecutor;

/// Claims a key; false if someone else (perhaps another instance) already has it.
/// Inside a transaction this is the guard that lets exactly one loader win.
pub async fn claim(ex: impl AnyExecutor<'_>, key: &str, value: &str) -> sqlx::Result<bool> {
    match sqlx::query("INSERT INTO app_meta (key, value) VALUES ($1, $2)")
        .bind(key)
        .bind(value)
        .execute(ex)
        .await
    {
        Ok(_) => Ok(true),
        Err(e) if super::db::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// How much the site holds: what the demo reports after loading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Figures {
    pub offices: i64,
    pub people: i64,
    pub rides: i64,
    pub stays: i64,
    pub trips: i64,
}

/// Counts offices, people, rides, stays and trips (any status) in one query.
pub async fn figures(ex: impl AnyExecutor<'_>) -> sqlx::Result<Figures> {
    use sqlx::Row;
    let r = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM offices) AS offices, (SELECT COUNT(*) FROM users) AS people, \
         (SELECT COUNT(*) FROM rides) AS rides, (SELECT COUNT(*) FROM stays) AS stays, \
         (SELECT COUNT(*) FROM trips) AS trips",
    )
    .fetch_one(ex)
    .await?;
    Ok(Figures {
        offices: r.try_get("offices")?,
        people: r.try_get("people")?,
        rides: r.try_get("rides")?,
        stays: r.try_get("stays")?,
        trips: r.try_get("trips")?,
    })
}
