"""Calendar arithmetic the rules use: "one month" [004 §22, §25], "three months before expiry"."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (earlier when negative), or the last day of that
    month when it is shorter: 31 January + 1 month → 28/29 February."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
