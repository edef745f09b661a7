"""British English: Django's formats, but a 24-hour clock in date-times (17 Jun 2021 14:05)."""

DATETIME_FORMAT = "j M Y H:i"
