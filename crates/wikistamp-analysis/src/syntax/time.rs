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
    /// Three fields, but some not zero-padded to two digits (`1:25:00`, `00:01:5`), or hours
    /// padded past two digits (`024:45:00`).
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

/// Parses a `data-t` value. Allocates nothing.
pub fn parse_time(value: &str) -> Result<Time, TimeError> {
    let b = value.as_bytes();
    // The canonical `HH:MM:SS`, as nearly every citation has it: all eight bytes checked at
    // once in a word. XOR with `00:00:00` leaves each digit as its value (0..=9, as only the
    // bytes `0`..=`9` give that) and each `:` as 0.
    if let Ok(word) = <[u8; 8]>::try_from(b) {
        const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
        const COLONS: u64 = 0x0000_FF00_00FF_0000;
        let d = u64::from_le_bytes(word) ^ u64::from_le_bytes(*b"00:00:00");
        // Every byte below 16, then below 10 (adding 6 carries into no other byte), and the
        // colons in place.
        if d & HIGH == 0 && d.wrapping_add(0x0606_0606_0606_0606) & HIGH == 0 && d & COLONS == 0 {
            let digit = |i: u32| (d >> (8 * i)) & 0xFF;
            let (h, m, s) = (
                digit(0) * 10 + digit(1),
                digit(3) * 10 + digit(4),
                digit(6) * 10 + digit(7),
            );
            if s >= 60 || m >= 60 {
                return Err(TimeError::OutOfRange);
            }
            return Ok(Time {
                seconds: h * 3600 + m * 60 + s,
                form: TimeForm::Canonical,
            });
        }
    }
    if value.is_empty() {
        return Err(TimeError::Empty);
    }
    if b.windows(3).any(|w| w == b"://") || value.starts_with("www.") {
        return Err(TimeError::Url);
    }
    // One pass over the fields: how many, what they are, the first three kept.
    let all_letters = |f: &[u8]| !f.is_empty() && f.iter().all(u8::is_ascii_alphabetic);
    let mut count = 0;
    let mut first: [&[u8]; 3] = [&[]; 3];
    let (mut any_letters, mut all_letters_or_digits, mut all_digits) = (false, true, true);
    for f in b.split(|c| *c == b':') {
        if let Some(slot) = first.get_mut(count) {
            *slot = f;
        }
        count += 1;
        let (letters, digits) = (all_letters(f), is_digits(f));
        any_letters |= letters;
        all_letters_or_digits &= letters || digits;
        all_digits &= digits;
    }
    if any_letters && all_letters_or_digits {
        return Err(TimeError::Placeholder);
    }
    if !(2..=3).contains(&count) {
        if all_digits {
            return Err(TimeError::FieldCount(count));
        }
        return Err(TimeError::NotNumeric);
    }
    if !all_digits {
        return Err(TimeError::NotNumeric);
    }
    // Digits only, at most 18 of them per field: cannot overflow a u64.
    let num = |f: &[u8]| f.iter().fold(0u64, |n, c| n * 10 + u64::from(c - b'0'));
    let (h, m, s) = if count == 2 {
        (0, num(first[0]), num(first[1]))
    } else {
        (num(first[0]), num(first[1]), num(first[2]))
    };
    if s >= 60 || (count == 3 && m >= 60) {
        return Err(TimeError::OutOfRange);
    }
    let form = if count == 2 {
        TimeForm::MinutesSeconds
    } else if hours_padded(first[0]) && first[1].len() == 2 && first[2].len() == 2 {
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

/// Hours written as `HH:MM:SS` wants them: two digits, or more only for 100 hours and over
/// (`024:45:00` is padded past two digits, the player's `24:45:00`).
fn hours_padded(h: &[u8]) -> bool {
    h.len() == 2 || (h.len() > 2 && h[0] != b'0')
}

fn is_digits(s: &[u8]) -> bool {
    !s.is_empty() && s.len() <= 18 && s.iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parser as it was before it stopped allocating: the reference for the fast one.
    mod reference {
        use super::super::{Time, TimeError, TimeForm};

        /// Parses a `data-t` value.
        pub fn parse_time(value: &str) -> Result<Time, TimeError> {
            if value.is_empty() {
                return Err(TimeError::Empty);
            }
            if value.contains("://") || value.starts_with("www.") {
                return Err(TimeError::Url);
            }
            let fields: Vec<&str> = value.split(':').collect();
            let all_letters =
                |f: &&str| !f.is_empty() && f.bytes().all(|b| b.is_ascii_alphabetic());
            if fields.iter().any(all_letters)
                && fields.iter().all(|f| all_letters(f) || is_digits_str(f))
            {
                return Err(TimeError::Placeholder);
            }
            if !(2..=3).contains(&fields.len()) {
                if fields.iter().all(|f| is_digits_str(f)) {
                    return Err(TimeError::FieldCount(fields.len()));
                }
                return Err(TimeError::NotNumeric);
            }
            if !fields.iter().all(|f| is_digits_str(f)) {
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
            } else if (fields[0].len() == 2 || (fields[0].len() > 2 && !fields[0].starts_with('0')))
                && fields[1].len() == 2
                && fields[2].len() == 2
            {
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

        fn is_digits_str(s: &str) -> bool {
            !s.is_empty() && s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit())
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 5000,
            ..proptest::prelude::ProptestConfig::default()
        })]

        #[test]
        fn fast_parse_equals_the_reference(
            value in "([0-9]{0,3}|[a-zA-Z]{1,2}|:|://|www\\.|[ .\\]é-]|[0-9]{17,20}){0,7}"
        ) {
            proptest::prop_assert_eq!(parse_time(&value), reference::parse_time(&value));
        }

        /// The canonical fast path at its edges: bytes next to the digits (`/`, `:`), letters.
        #[test]
        fn canonical_shape_equals_the_reference(
            value in "[/0-9:a\u{1}\u{ff}]{2}:[/0-9:a]{2}:[/0-9:a]{2}"
        ) {
            proptest::prop_assert_eq!(parse_time(&value), reference::parse_time(&value));
        }
    }

    #[test]
    fn fast_parse_equals_the_reference_on_edge_cases() {
        for v in [
            "",
            "00:00:00",
            "99:59:59",
            "00:60:00",
            "00:00:60",
            "0a:00:00",
            "00:00:0",
            "000:00:00",
            "00-00-00",
            "00:00:00:",
            ":00:00:00",
            "aa:bb:cc",
            "ab:01:02",
            "01:02",
            "1:2:3",
            "01:02:03:04",
            "www.x",
            "http://x",
            "00:0é:00",
            "999999999999999999:59:59",
            "9999999999999999999:00:00",
            "::",
            ":",
            "1::2",
        ] {
            assert_eq!(parse_time(v), reference::parse_time(v), "{v:?}");
        }
    }

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

    /// `024:45:00` (16 `data-t` values in the corpus): hours padded past two digits are not
    /// `HH:MM:SS`, which allows more digits only for 100 hours and over.
    #[test]
    fn hours_padded_past_two_digits_are_not_canonical() {
        let t = parse_time("024:45:00").expect("time");
        assert_eq!(
            (t.seconds, t.form),
            (24 * 3600 + 45 * 60, TimeForm::Unpadded)
        );
        assert_eq!(t.canonical(), "24:45:00");
        assert_eq!(
            parse_time("000:01:02").map(|t| t.form),
            Ok(TimeForm::Unpadded)
        );
        assert_eq!(
            parse_time("124:06:00").map(|t| t.form),
            Ok(TimeForm::Canonical)
        );
        assert_eq!(
            parse_time("00:01:02").map(|t| t.form),
            Ok(TimeForm::Canonical)
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
