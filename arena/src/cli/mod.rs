//! The commands whose work is talking to a user: parsing their options,
//! printing, and turning failures into messages (`anyhow` lives here and in
//! `main.rs`, not in the library).

pub mod admin;
pub mod rating;
pub mod serve;
pub mod spectators;
