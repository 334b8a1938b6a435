"""Which week a weekly report covers: the last complete Monday–Sunday week."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["PERIODS", "Week", "report_week", "runs_weekly"]

PERIODS = ("day", "week")  # run --period: the morning (weekly too on Mondays), or the weekly


@dataclass(frozen=True)
class Week:
    """Seven days, Monday to Sunday."""

    start: pd.Timestamp  # the Monday
    end: pd.Timestamp  # the Sunday

    @property
    def days(self) -> pd.DatetimeIndex:
        """The week's seven dates."""
        return pd.date_range(self.start, self.end, freq="D")

    @property
    def before(self) -> Week:
        """The week before this one."""
        step = pd.Timedelta(days=7)
        return Week(self.start - step, self.end - step)


def report_week(report_date) -> Week:
    """The last complete Monday–Sunday week ending on or before ``report_date``.

    A Sunday is the end of its own week; any other day reports the week that ended on the
    Sunday before it (a Monday: yesterday).
    """
    when = pd.Timestamp(report_date).normalize()
    end = when - pd.Timedelta(days=(when.day_of_week + 1) % 7)
    return Week(end - pd.Timedelta(days=6), end)


def runs_weekly(report_date) -> bool:
    """True when a morning's run adds the weekly report: the report date is a Monday."""
    return pd.Timestamp(report_date).day_of_week == 0
