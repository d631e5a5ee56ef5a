"""ISO weeks (`2026-W21`): parsing, bounds in the team's timezone, and last week."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from monitor.errors import ConfigurationError, InputError

WEEK_PATTERN = re.compile(r"(\d{4})-W(\d{2})")


@dataclass(frozen=True, order=True)
class Week:
    """One ISO week; its bounds are Monday 00:00 to the next Monday 00:00, local time."""

    year: int
    number: int

    @property
    def label(self) -> str:
        """`2026-W21`."""
        return f"{self.year}-W{self.number:02d}"

    @property
    def monday(self) -> date:
        """The week's first day."""
        return date.fromisocalendar(self.year, self.number, 1)

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) of the week in `zone`, as aware UTC datetimes."""
        start = datetime.combine(self.monday, time(0), tzinfo=zone)
        end = datetime.combine(self.monday + timedelta(days=7), time(0), tzinfo=zone)
        return start.astimezone(UTC), end.astimezone(UTC)

    def previous(self) -> Week:
        """The week before this one."""
        return week_of_date(self.monday - timedelta(days=7))


def parse_week(text: str) -> Week:
    """`YYYY-Www` as an ISO week; InputError naming the expected form otherwise."""
    match = WEEK_PATTERN.fullmatch(text.strip())
    if match is None:
        raise InputError(f"--week must be an ISO week like 2026-W21, not {text!r}")
    year, number = int(match[1]), int(match[2])
    try:
        date.fromisocalendar(year, number, 1)
    except ValueError:
        raise InputError(f"{text.strip()} is not a week: {year} has no week {number}") from None
    return Week(year, number)


def week_of_date(day: date) -> Week:
    """The ISO week a calendar day belongs to."""
    iso = day.isocalendar()
    return Week(iso.year, iso.week)


def week_of(moment: datetime, zone: ZoneInfo) -> Week:
    """The ISO week `moment` falls in, on the clocks of `zone`."""
    return week_of_date(moment.astimezone(zone).date())


def team_zone(name: str) -> ZoneInfo:
    """The configured KALKAN_TIMEZONE; ConfigurationError when it is not a known zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigurationError(
            f"KALKAN_TIMEZONE={name!r} is not a known time zone (e.g. Asia/Almaty, UTC)"
        ) from None
