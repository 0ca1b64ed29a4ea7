//! Calendar periods in a fixed UTC offset, in Unix milliseconds: where
//! the current day, week (Monday first) or month began and when the next
//! one begins. Pure integer arithmetic, so the wasm filter and the sidecar
//! agree to the millisecond.

use serde::Deserialize;

const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[cfg_attr(not(target_arch = "wasm32"), derive(serde::Serialize))]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Day,
    Week,
    Month,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }

    /// `[start, end)` of the period holding `now_ms`, for a zone
    /// `offset_min` minutes east of UTC.
    pub fn bounds(self, now_ms: i64, offset_min: i32) -> (i64, i64) {
        let off = i64::from(offset_min) * 60_000;
        let local_day = (now_ms + off).div_euclid(DAY_MS);
        let (start_day, end_day) = match self {
            Period::Day => (local_day, local_day + 1),
            Period::Week => {
                // 1970-01-01 was a Thursday: Monday is 3 days earlier
                let monday = local_day - (local_day + 3).rem_euclid(7);
                (monday, monday + 7)
            }
            Period::Month => {
                let (y, m, _) = civil(local_day);
                let next = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                (days(y, m, 1), days(next.0, next.1, 1))
            }
        };
        (start_day * DAY_MS - off, end_day * DAY_MS - off)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// algorithm).
pub fn days(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count: (year, month 1-12, day 1-31).
pub fn civil(z: i64) -> (i64, u32, u32) {
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

/// `2026-12-02T00:00:00Z`, for messages.
pub fn iso_utc(ms: i64) -> String {
    let (y, m, d) = civil(ms.div_euclid(DAY_MS));
    let s = ms.rem_euclid(DAY_MS) / 1000;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// `+08:00`, `-05:30`, `UTC` or `Z` → minutes east of UTC.
pub fn parse_offset(s: &str) -> Option<i32> {
    if s.eq_ignore_ascii_case("utc") || s == "Z" {
        return Some(0);
    }
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    ((0..=14).contains(&h) && (0..60).contains(&m)).then_some(sign * (h * 60 + m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(y: i64, m: u32, d: u32, h: i64) -> i64 {
        days(y, m, d) * DAY_MS + h * 3_600_000
    }

    #[test]
    fn dates_round_trip() {
        for z in [-800_000, -1, 0, 1, 19_000, 20_424, 2_000_000] {
            let (y, m, d) = civil(z);
            assert_eq!(days(y, m, d), z);
        }
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(iso_utc(ms(2026, 12, 2, 0)), "2026-12-02T00:00:00Z");
        assert_eq!(civil(days(2028, 2, 29) + 1), (2028, 3, 1), "leap year");
    }

    #[test]
    fn periods_in_a_zone() {
        // 2026-12-01 20:00 UTC is 2026-12-02 04:00 in +08:00
        let now = ms(2026, 12, 1, 20);
        assert_eq!(
            Period::Day.bounds(now, 0),
            (ms(2026, 12, 1, 0), ms(2026, 12, 2, 0))
        );
        assert_eq!(
            Period::Day.bounds(now, 480),
            (ms(2026, 12, 1, 16), ms(2026, 12, 2, 16))
        );
        // 2026-12-01 is a Tuesday: the week began Monday 2026-11-30
        assert_eq!(
            Period::Week.bounds(now, 0),
            (ms(2026, 11, 30, 0), ms(2026, 12, 7, 0))
        );
        assert_eq!(
            Period::Month.bounds(now, 0),
            (ms(2026, 12, 1, 0), ms(2027, 1, 1, 0))
        );
        assert_eq!(
            Period::Month.bounds(ms(2026, 12, 31, 20), 480).0,
            ms(2026, 12, 31, 16),
            "already January in +08:00"
        );
        // the boundary itself belongs to the new period
        let (_, end) = Period::Day.bounds(now, 0);
        assert_eq!(Period::Day.bounds(end, 0).0, end);
        assert_eq!(Period::Day.bounds(end - 1, 0).1, end);
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+08:00"), Some(480));
        assert_eq!(parse_offset("-05:30"), Some(-330));
        assert_eq!(parse_offset("UTC"), Some(0));
        for bad in ["08:00", "+8", "+15:00", "+08:60", "Asia/Shanghai", ""] {
            assert_eq!(parse_offset(bad), None, "{bad}");
        }
    }
}
