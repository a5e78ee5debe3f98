"""Equity vesting with a cliff: monthly vesting after the cliff, stops at termination,
optional acceleration of the unvested remainder. Pure standard library."""
import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29)."""
    year, month0 = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, calendar.monthrange(year, month0 + 1)[1])
    return date(year, month0 + 1, day)


def months_completed(start: date, end: date) -> int:
    """Whole months of service from `start` up to and including `end`."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    return months if add_months(start, months) <= end else months - 1


def vested_shares(
    total_shares: int,
    start: date,
    as_of: date,
    vesting_months: int = 48,
    cliff_months: int = 12,
    termination: date | None = None,
    acceleration_pct: float = 0.0,
) -> int:
    """Shares vested on `as_of` under a schedule of `vesting_months` with a `cliff_months` cliff.

    Nothing vests before the cliff; at the cliff the first cliff_months/vesting_months of the grant
    vest at once, then one more month's worth on each monthly anniversary, rounded down so that the
    last month delivers the remainder. Vesting stops at `termination`; if given, `acceleration_pct`
    percent of the still-unvested shares vest on that day (e.g. a double-trigger clause after an
    acquisition). Raises ValueError on impossible inputs.
    """
    if total_shares < 0:
        raise ValueError(f"total_shares must be >= 0, got {total_shares}")
    if vesting_months <= 0:
        raise ValueError(f"vesting_months must be > 0, got {vesting_months}")
    if not 0 <= cliff_months <= vesting_months:
        raise ValueError(f"cliff_months must be between 0 and vesting_months={vesting_months}, got {cliff_months}")
    if not 0 <= acceleration_pct <= 100:
        raise ValueError(f"acceleration_pct must be between 0 and 100, got {acceleration_pct}")
    if as_of < start:
        raise ValueError(f"dates out of order: as_of {as_of} is before the vesting start {start}")
    if termination is not None and termination < start:
        raise ValueError(f"dates out of order: termination {termination} is before the vesting start {start}")

    terminated = termination is not None and termination <= as_of
    months = months_completed(start, termination if terminated else as_of)
    vested = 0 if months < cliff_months else total_shares * min(months, vesting_months) // vesting_months
    if terminated:
        vested += int((total_shares - vested) * acceleration_pct / 100)
    return vested


def vesting_schedule(total_shares: int, start: date, vesting_months: int = 48, cliff_months: int = 12) -> list[tuple[date, int]]:
    """(date, cumulative vested shares) for the cliff date and every monthly vesting date after it."""
    months = range(max(cliff_months, 1), vesting_months + 1)
    return [(add_months(start, m), vested_shares(total_shares, start, add_months(start, m), vesting_months, cliff_months))
            for m in months]


if __name__ == "__main__":
    grant, start = 48_000, date(2025, 3, 15)
    assert vested_shares(grant, start, date(2026, 3, 14)) == 0  # one day before the cliff
    assert vested_shares(grant, start, date(2026, 3, 15)) == 12_000  # cliff: 12/48 at once
    assert vested_shares(grant, start, date(2027, 9, 15)) == 30_000  # 30 months
    assert vested_shares(grant, start, date(2030, 1, 1)) == grant  # fully vested after 48 months
    left = date(2026, 11, 30)  # leaves after 20 whole months
    assert vested_shares(grant, start, date(2028, 1, 1), termination=left) == 20_000
    assert vested_shares(grant, start, date(2028, 1, 1), termination=left, acceleration_pct=50) == 34_000
    schedule = vesting_schedule(grant, start)
    assert len(schedule) == 37 and schedule[-1] == (date(2029, 3, 15), grant)
    assert vested_shares(10_000, start, add_months(start, 13)) == 2_708  # rounded down
    for when, shares in schedule[:3]:
        print(when, shares)
    print("...", schedule[-1][0], schedule[-1][1])
