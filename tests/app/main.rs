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
mod day_page;
mod email;
mod error_pages;
mod exports;
mod hostile;
mod import;
mod offer_index;
mod offers;
mod offices;
mod own_way;
mod small_forms;
mod wording;
