//! Dates as news records write them, to and from Unix seconds (UTC).

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// Unix seconds as a tantivy date; `None` outside the years tantivy can hold (about 1678–2261).
pub fn tantivy_date(secs: i64) -> Option<tantivy::DateTime> {
    secs.checked_mul(1_000_000_000)
        .map(tantivy::DateTime::from_timestamp_nanos)
}

/// Unix seconds as a tantivy date, clamped to the earliest or latest one (for range bounds).
pub fn tantivy_date_clamped(secs: i64) -> tantivy::DateTime {
    tantivy_date(secs).unwrap_or(if secs < 0 {
        tantivy::DateTime::MIN
    } else {
        tantivy::DateTime::MAX
    })
}

/// `YYYY-MM-DD` of Unix seconds.
pub fn format_day(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM-DDTHH:MM:SSZ` of Unix seconds.
pub fn format_rfc3339(secs: i64) -> String {
    let rem = secs.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        format_day(secs),
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn num(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

/// Parses `YYYY-MM-DD` or `YYYY/MM/DD`, optionally followed by ` HH:MM[:SS[.frac]]` or
/// `THH:MM[:SS[.frac]]` and `Z` or `±HH:MM`, into Unix seconds (UTC; no zone means UTC).
/// Returns `None` for anything else, including impossible dates.
pub fn parse_date(s: &str) -> Option<i64> {
    let b = s.trim().as_bytes();
    if b.len() < 10 || !matches!(b[4], b'-' | b'/') || b[7] != b[4] {
        return None;
    }
    let (y, m, d) = (num(&b[0..4])?, num(&b[5..7])?, num(&b[8..10])?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&m) || d == 0 || d > month_days[m as usize - 1] {
        return None;
    }
    let mut secs = days_from_civil(i64::from(y), m, d) * 86_400;
    let rest = &b[10..];
    if rest.is_empty() {
        return Some(secs);
    }
    if !matches!(rest[0], b' ' | b'T' | b't') || rest.len() < 6 || rest[3] != b':' {
        return None;
    }
    let (hh, mm) = (num(&rest[1..3])?, num(&rest[4..6])?);
    let mut i = 6;
    let mut ss = 0;
    if rest.get(i) == Some(&b':') {
        ss = num(rest.get(i + 1..i + 3)?)?;
        i += 3;
        if rest.get(i) == Some(&b'.') {
            i += 1;
            while rest.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
    }
    if hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    secs += i64::from(hh * 3600 + mm * 60 + ss);
    match &rest[i..] {
        b"" | b"Z" | b"z" => Some(secs),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let off = i64::from(num(&[*h1, *h2])? * 3600 + num(&[*m1, *m2])? * 60);
            Some(if *sign == b'+' {
                secs - off
            } else {
                secs + off
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tantivy_dates_outside_its_range_are_refused_or_clamped() {
        let day = days_from_civil(2015, 7, 21) * 86_400;
        assert_eq!(tantivy_date(day).unwrap().into_timestamp_secs(), day);
        let year_0 = parse_date("0000-01-01").unwrap();
        let year_9999 = parse_date("9999-12-31").unwrap();
        assert_eq!(tantivy_date(year_0), None);
        assert_eq!(tantivy_date(year_9999), None);
        assert_eq!(tantivy_date_clamped(year_0), tantivy::DateTime::MIN);
        assert_eq!(tantivy_date_clamped(year_9999), tantivy::DateTime::MAX);
    }

    #[test]
    fn formats_news_records_use() {
        let day = days_from_civil(2015, 7, 21) * 86_400;
        assert_eq!(parse_date("2015-07-21"), Some(day));
        assert_eq!(parse_date("2015/07/21"), Some(day));
        assert_eq!(
            parse_date("2015-07-21 02:51:32"),
            Some(day + 2 * 3600 + 51 * 60 + 32)
        );
        assert_eq!(
            parse_date("2015-07-21T02:51"),
            Some(day + 2 * 3600 + 51 * 60)
        );
        assert_eq!(
            parse_date("2015-07-21T02:51:32.5Z"),
            parse_date("2015-07-21 02:51:32")
        );
        assert_eq!(
            parse_date("2015-07-21T05:51:32+03:00"),
            parse_date("2015-07-21 02:51:32")
        );
        assert_eq!(format_rfc3339(day + 3661), "2015-07-21T01:01:01Z");
        assert_eq!(format_day(day), "2015-07-21");
    }

    #[test]
    fn rejects_nonsense() {
        for bad in [
            "",
            "yesterday",
            "2015-13-01",
            "2015-02-29",
            "2015-07-21X",
            "21/07/2015",
            "2015-07-21 25:00",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert!(parse_date("2016-02-29").is_some());
    }

    #[test]
    fn civil_round_trip() {
        for z in [-800_000, -1, 0, 1, 16_637, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
    }
}
