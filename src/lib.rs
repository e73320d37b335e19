//! Trip Planner: rides and beds for volunteers travelling to battleground
//! field offices. The binary in `main.rs` is a thin shell over this library,
//! so the integration tests drive the very same app.

pub mod alerts;
pub mod app;
pub mod bookings;
pub mod calendar;
pub mod campaign;
pub mod cli;
pub mod clock;
pub mod config;
pub mod dashboard;
pub mod demo;
pub mod digest;
pub mod domain;
pub mod email;
pub mod error;
pub mod finder;
pub mod i18n;
pub mod import;
pub mod jobs;
pub mod logging;
pub mod map;
pub mod matching;
pub mod passwords;
pub mod people;
pub mod places;
pub mod proposals;
pub mod propose;
pub mod report;
pub mod state;
pub mod store;
pub mod web;
