//! Integration tests: the real app over HTTP, on SQLite and on PostgreSQL.

#[macro_use]
mod helpers;

mod account;
mod alerts;
mod atomic;
mod auth;
mod bookings;
mod browse;
mod browser;
mod calendar;
mod campaign;
mod cli;
mod dashboard;
mod day_page;
mod demo;
mod distances;
mod email;
mod error_pages;
mod exports;
mod form_errors;
mod headers;
mod hostile;
mod import;
mod landing;
mod language;
mod language_pages;
mod legs;
mod maps;
mod offer_index;
mod offers;
mod offices;
mod own_way;
mod paging;
mod passwords;
mod people;
mod propose;
mod propose_page;
mod rides_home;
mod sessions;
mod small_forms;
mod startup;
mod wording;
