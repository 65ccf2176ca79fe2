//! Arabic stemmers for qalam: Lucene's light stemmer, NLTK's ISRI root stemmer and Snowball.
//!
//! Each stemmer works on one word and has an allocating form and an `_into` form that writes
//! into a reused buffer. [`Stemmer`] picks one by name; [`eval`] scores them against gold roots.
//!
//! ```
//! use qalam_morph::{isri_stem, light_stem, Stemmer};
//!
//! assert_eq!(light_stem("والكتاب"), "كتاب");
//! assert_eq!(isri_stem("المعلمون"), "علم");
//!
//! let stemmer: Stemmer = "light".parse().unwrap();
//! let mut buf = String::new();
//! stemmer.stem_into("بالمدرسة", &mut buf);
//! assert_eq!(buf, "مدرس");
//! ```
#![deny(missing_docs)]

pub mod eval;
pub mod isri;
pub mod light;
pub mod snowball;
mod stemmer;

pub use isri::{isri_stem, isri_stem_into};
pub use light::{light_stem, light_stem_into};
pub use snowball::{snowball_stem, snowball_stem_into};
pub use stemmer::{Stemmer, UnknownStemmer};
