"""The current date and time for business rules, in one place so that tests can set the day a
rule is judged on (deadlines, validity, renewal windows) without touching the system clock."""

from django.utils import timezone


def now():
    return timezone.now()


def today():
    return timezone.localdate(now())
