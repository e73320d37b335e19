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
