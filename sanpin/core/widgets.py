"""Form widgets shared by every page."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. It reads and writes ISO dates only: a value rendered in the
    locale's format (2026/06/01) would show as empty and come back missing."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
