//! Integration tests: the real app over HTTP, on SQLite and on PostgreSQL.

#[macro_use]
mod helpers;

mod auth;
mod browser;
mod cli;
mod hostile;
mod import;
mod offers;
mod offices;
