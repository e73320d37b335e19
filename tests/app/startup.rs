//! Starting up: instances starting together on a new database, and the
//! checks that stop a misconfigured start with a message saying what to change.

use trip_planner::store::Db;

use crate::helpers::{empty_database, Backend};

/// Four instances starting at once on a new database all come up with one
/// schema (SQLite has no migration lock of its own in sqlx; ours is the
/// database's write lock, taken before the applied migrations are read).
async fn instances_starting_together_migrate_once(backend: Backend) {
    for round in 0..3 {
        let Some((url, _dir)) = empty_database(backend).await else {
            return;
        };
        let starts: Vec<_> = (0..4)
            .map(|_| {
                let url = url.clone();
                tokio::spawn(async move { Db::connect_and_migrate(&url, 2).await })
            })
            .collect();
        let mut dbs = vec![];
        for (i, start) in starts.into_iter().enumerate() {
            match start.await.expect("task") {
                Ok(db) => dbs.push(db),
                Err(e) => panic!("round {round}: instance {i} failed to start: {e:#}"),
            }
        }
        for db in &dbs {
            let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
                .fetch_one(&db.pool)
                .await
                .expect("migrations table");
            assert!(applied >= 7, "round {round}: {applied} migrations applied");
            assert!(db.ping().await);
        }
        for db in dbs {
            db.pool.close().await;
        }
    }
}

mod instances_starting_together_on_a_new_database_all_start {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite() {
        instances_starting_together_migrate_once(Backend::Sqlite).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres() {
        instances_starting_together_migrate_once(Backend::Postgres).await
    }
}
