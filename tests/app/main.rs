//! Integration tests: the real app over HTTP, on SQLite and on PostgreSQL.

#[macro_use]
mod helpers;

mod account;
mod atomic;
mod auth;
mod bookings;
mod browser;
mod calendar;
mod campaign;
mod cli;
mod dashboard;
mod email;
mod exports;
mod hostile;
mod import;
mod offer_index;
mod offers;
mod offices;
mod passwords;
mod startup;
