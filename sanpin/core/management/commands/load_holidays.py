"""Load the State Council holiday arrangements shipped in the `chinesecalendar` package into the
editable HolidayNotice table, one notice per year.

Idempotent: a year whose stored package notice already matches is left alone (no save, no
audit event). A notice entered by hand is never overwritten. Runs as the system account.
"""

from collections import defaultdict
from datetime import date

from chinese_calendar.constants import holidays as package_off_days
from chinese_calendar.constants import workdays as package_workdays
from django.core.management.base import BaseCommand, CommandError

from sanpin.accounts.models import system_user
from sanpin.core.calendar_services import holiday_notice_save
from sanpin.core.errors import Conflict, ValidationFailed
from sanpin.core.models import HolidayNotice

# Sources checked against the published text; other years keep these fields blank rather than guess.
KNOWN_SOURCES = {
    2024: {
        "document_no": "国办发明电〔2023〕7号",
        "published_on": date(2023, 10, 25),
        "source_url": "http://paper.people.com.cn/rmrb/html/2023-10/26/nw.D110000renmrb_20231026_3-06.htm",
    },
    2025: {
        "document_no": "国办发明电〔2024〕12号",
        "published_on": date(2024, 11, 12),
        "source_url": "https://m.gmw.cn/2024-11/12/content_1303894933.htm",
    },
    2026: {
        "document_no": "",
        "published_on": date(2025, 11, 4),
        "source_url": "https://politics.gmw.cn/2025-11/04/content_38391083.htm",
    },
}


def package_years() -> dict[int, tuple[list[date], list[date]]]:
    """{year: (off days, make-up working days)} as the package gives them, grouped by calendar year."""
    by_year: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
    for day in package_off_days:
        by_year[day.year][0].append(day)
    for day in package_workdays:
        by_year[day.year][1].append(day)
    return {year: (sorted(off), sorted(work)) for year, (off, work) in sorted(by_year.items())}


class Command(BaseCommand):
    help = "Load the holiday notices of every year covered by the chinesecalendar package (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", dest="years",
                            help="load only this year (repeatable)")

    def handle(self, *args, years=None, verbosity=1, **options):
        data = package_years()
        wanted = years or list(data)
        missing = [y for y in wanted if y not in data]
        if missing:
            raise CommandError(f"the chinesecalendar package has no data for {missing}; "
                               f"it covers {min(data)}-{max(data)}")
        actor = system_user()
        counts = defaultdict(int)
        for year in wanted:
            off, work = data[year]
            source = KNOWN_SOURCES.get(year, {})
            try:
                outcome = holiday_notice_save(
                    actor=actor,
                    year=year,
                    title=f"国务院办公厅关于{year}年部分节假日安排的通知",
                    document_no=source.get("document_no", ""),
                    source_url=source.get("source_url", ""),
                    published_on=source.get("published_on"),
                    off_days=off,
                    workdays=work,
                    origin=HolidayNotice.Origin.PACKAGE,
                )
            except Conflict:
                counts["kept manual"] += 1
                if verbosity > 1:
                    self.stdout.write(f"{year}: entered by hand, left unchanged")
                continue
            except ValidationFailed as exc:
                raise CommandError(f"{year}: package data refused: {exc.fields}") from exc
            state = "created" if outcome.created else "updated" if outcome.changed else "unchanged"
            counts[state] += 1
            if verbosity > 1:
                self.stdout.write(f"{year}: {state}")
        summary = ", ".join(f"{n} {state}" for state, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"holiday notices {min(wanted)}-{max(wanted)}: {summary}"))
