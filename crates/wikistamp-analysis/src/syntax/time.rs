//! The time in a citation's `data-t`.
//!
//! Quartz's player reads `data-t` positionally as `h:m:s`, so only `HH:MM:SS` means what it
//! says: `28:25` is read as 28 hours 25 minutes. [`parse_time`] tells a canonical value from one
//! that is a time but written in another form, and from one that is no time at all.

use std::fmt;

/// How a time value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeForm {
    /// `HH:MM:SS` (hours may have more than two digits).
    Canonical,
    /// Three fields, but some not zero-padded to two digits: `1:25:00`, `00:01:5`.
    Unpadded,
    /// Two fields `MM:SS`: the author meant minutes, the player reads hours.
    MinutesSeconds,
}

/// A value that is a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Time {
    /// Seconds the author meant (for `MM:SS`, minutes and seconds).
    pub seconds: u64,
    pub form: TimeForm,
}

impl Time {
    /// The canonical `HH:MM:SS` spelling of the meant time.
    pub fn canonical(&self) -> String {
        format_hms(self.seconds)
    }
}

/// `HH:MM:SS` for a number of seconds.
pub fn format_hms(seconds: u64) -> String {
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        (seconds / 60) % 60,
        seconds % 60
    )
}

/// Why a value is not a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    Empty,
    /// `HH:MM:SS` literally, or other letters standing for fields.
    Placeholder,
    /// A URL where a time belongs.
    Url,
    /// One field, or four and more.
    FieldCount(usize),
    /// A field holds something else than digits (`00:01:02]`, `1:2x:00`).
    NotNumeric,
    /// Minutes or seconds of 60 or more.
    OutOfRange,
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeError::Empty => f.write_str("it is empty"),
            TimeError::Placeholder => f.write_str("it is a placeholder, not a time"),
            TimeError::Url => f.write_str("it is a URL, not a time"),
            TimeError::FieldCount(n) => write!(f, "it has {n} fields instead of 3 (HH:MM:SS)"),
            TimeError::NotNumeric => f.write_str("a field is not a number"),
            TimeError::OutOfRange => f.write_str("minutes or seconds are 60 or more"),
        }
    }
}

/// Parses a `data-t` value.
pub fn parse_time(value: &str) -> Result<Time, TimeError> {
    if value.is_empty() {
        return Err(TimeError::Empty);
    }
    if value.contains("://") || value.starts_with("www.") {
        return Err(TimeError::Url);
    }
    let fields: Vec<&str> = value.split(':').collect();
    let all_letters = |f: &&str| !f.is_empty() && f.bytes().all(|b| b.is_ascii_alphabetic());
    if fields.iter().any(all_letters) && fields.iter().all(|f| all_letters(f) || is_digits(f)) {
        return Err(TimeError::Placeholder);
    }
    if !(2..=3).contains(&fields.len()) {
        if fields.iter().all(|f| is_digits(f)) {
            return Err(TimeError::FieldCount(fields.len()));
        }
        return Err(TimeError::NotNumeric);
    }
    if !fields.iter().all(|f| is_digits(f)) {
        return Err(TimeError::NotNumeric);
    }
    // Digits only, at most 18 of them per field: parse cannot overflow a u64.
    let nums: Vec<u64> = fields
        .iter()
        .map(|f| f.parse::<u64>().unwrap_or(u64::MAX / 4))
        .collect();
    let (h, m, s) = match nums[..] {
        [m, s] => (0, m, s),
        [h, m, s] => (h, m, s),
        _ => return Err(TimeError::FieldCount(fields.len())),
    };
    if s >= 60 || (fields.len() == 3 && m >= 60) {
        return Err(TimeError::OutOfRange);
    }
    let form = if fields.len() == 2 {
        TimeForm::MinutesSeconds
    } else if fields[0].len() >= 2 && fields[1].len() == 2 && fields[2].len() == 2 {
        TimeForm::Canonical
    } else {
        TimeForm::Unpadded
    };
    let seconds = h
        .saturating_mul(3600)
        .saturating_add(m.saturating_mul(60))
        .saturating_add(s);
    Ok(Time { seconds, form })
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_and_other_forms() {
        let t = parse_time("01:02:03").expect("time");
        assert_eq!((t.seconds, t.form), (3723, TimeForm::Canonical));
        assert_eq!(
            parse_time("100:00:00").map(|t| t.form),
            Ok(TimeForm::Canonical)
        );
        assert_eq!(
            parse_time("1:25:00").map(|t| t.form),
            Ok(TimeForm::Unpadded)
        );
        assert_eq!(
            parse_time("00:01:5").map(|t| t.form),
            Ok(TimeForm::Unpadded)
        );
        let mmss = parse_time("28:25").expect("time");
        assert_eq!(
            (mmss.seconds, mmss.form),
            (28 * 60 + 25, TimeForm::MinutesSeconds)
        );
        assert_eq!(mmss.canonical(), "00:28:25");
        // 75 minutes written as MM:SS is still meant as minutes.
        assert_eq!(parse_time("75:10").map(|t| t.seconds), Ok(75 * 60 + 10));
    }

    #[test]
    fn not_times() {
        assert_eq!(parse_time(""), Err(TimeError::Empty));
        assert_eq!(parse_time("HH:MM:SS"), Err(TimeError::Placeholder));
        assert_eq!(parse_time("HH:01:02"), Err(TimeError::Placeholder));
        assert_eq!(parse_time("https://youtu.be/x"), Err(TimeError::Url));
        assert_eq!(parse_time("00:01:02:03"), Err(TimeError::FieldCount(4)));
        assert_eq!(parse_time("0102"), Err(TimeError::FieldCount(1)));
        assert_eq!(parse_time("00:01:02]"), Err(TimeError::NotNumeric));
        assert_eq!(parse_time("00:01:"), Err(TimeError::NotNumeric));
        assert_eq!(parse_time("00:61:00"), Err(TimeError::OutOfRange));
        assert_eq!(parse_time("00:01:60"), Err(TimeError::OutOfRange));
    }

    #[test]
    fn seconds_and_canonical_spelling() {
        assert_eq!(parse_time("0:00:00").map(|t| t.seconds), Ok(0));
        assert_eq!(
            parse_time("02:9:24").map(|t| t.canonical()),
            Ok("02:09:24".to_string())
        );
        assert_eq!(format_hms(100 * 3600 + 61), "100:01:01");
        // Fields of absurd length never overflow.
        assert!(parse_time("999999999999999999:00:00").is_ok());
        assert_eq!(
            parse_time("9999999999999999999:00:00"),
            Err(TimeError::NotNumeric)
        );
    }

    #[test]
    fn odd_values_from_the_corpus() {
        assert_eq!(parse_time("N/A"), Err(TimeError::NotNumeric));
        assert_eq!(parse_time("1:02:03.000Z"), Err(TimeError::NotNumeric));
        assert_eq!(
            parse_time("00:14:14]-[00:16:42]"),
            Err(TimeError::NotNumeric)
        );
        assert_eq!(parse_time("01:07:58:00"), Err(TimeError::FieldCount(4)));
        assert_eq!(parse_time("00:12:345"), Err(TimeError::OutOfRange));
        assert_eq!(parse_time("9999"), Err(TimeError::FieldCount(1)));
        assert_eq!(parse_time("00:12:"), Err(TimeError::NotNumeric));
    }
}
