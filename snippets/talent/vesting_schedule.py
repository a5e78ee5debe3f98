"""Equity vesting with a cliff: monthly vesting after the cliff, stops at termination,
optional double-trigger acceleration of the unvested remainder. Pure standard library."""
import calendar
import math
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction


def _whole(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, got {type(value).__name__} {value!r}")
    return value


def _day(value, name: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValueError(f"{name} must be a datetime.date, got {type(value).__name__} {value!r}")
    return value


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
    change_of_control: date | None = None,
    trigger_window_months: int = 12,
) -> int:
    """Shares vested on `as_of` under a schedule of `vesting_months` with a `cliff_months` cliff.

    Nothing vests before the cliff; at the cliff the first cliff_months/vesting_months of the grant
    vest at once, then one more month's worth on each monthly anniversary, rounded down so that the
    last month delivers the remainder. Vesting stops at `termination`. Double trigger: only if the
    company changed control on `change_of_control` and the holder's termination falls on that day or
    within `trigger_window_months` after it do `acceleration_pct` percent of the still-unvested shares
    vest on the termination day. Raises ValueError on impossible or mistyped inputs.
    """
    for value, name in ((total_shares, "total_shares"), (vesting_months, "vesting_months"),
                        (cliff_months, "cliff_months"), (trigger_window_months, "trigger_window_months")):
        _whole(value, name)
    _day(start, "start"), _day(as_of, "as_of")
    for value, name in ((termination, "termination"), (change_of_control, "change_of_control")):
        if value is not None:
            _day(value, name)
    if isinstance(acceleration_pct, bool) or not isinstance(acceleration_pct, (int, float, Fraction, Decimal)):
        raise ValueError(f"acceleration_pct must be a number, got {type(acceleration_pct).__name__} {acceleration_pct!r}")
    if not (acceleration_pct.is_finite() if isinstance(acceleration_pct, Decimal) else math.isfinite(acceleration_pct)):
        raise ValueError(f"acceleration_pct must be finite, got {acceleration_pct!r}")
    if trigger_window_months < 0:
        raise ValueError(f"trigger_window_months must be >= 0, got {trigger_window_months}")
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
    triggered = (terminated and change_of_control is not None
                 and change_of_control <= termination <= add_months(change_of_control, trigger_window_months))
    if triggered:
        pct = Fraction(str(acceleration_pct)) if isinstance(acceleration_pct, float) else Fraction(acceleration_pct)
        vested += math.floor((total_shares - vested) * pct / 100)
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
    sold = date(2026, 10, 1)  # the company is acquired, then the holder is let go: double trigger
    assert vested_shares(grant, start, date(2028, 1, 1), termination=left, acceleration_pct=50,
                         change_of_control=sold) == 34_000
    assert vested_shares(grant, start, date(2028, 1, 1), termination=left, acceleration_pct=50) == 20_000
    schedule = vesting_schedule(grant, start)
    assert len(schedule) == 37 and schedule[-1] == (date(2029, 3, 15), grant)
    assert vested_shares(10_000, start, add_months(start, 13)) == 2_708  # rounded down
    for when, shares in schedule[:3]:
        print(when, shares)
    print("...", schedule[-1][0], schedule[-1][1])
