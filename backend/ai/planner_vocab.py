"""Words the offline planner recognises, in Indonesian and English, mapped to spec values."""

from __future__ import annotations

__all__ = [
    "MONTHS",
    "WEEKDAYS",
    "DAY_NAMES_ID",
    "DAY_NAMES_EN",
    "MONTH_NAMES_ID",
    "MONTH_NAMES_EN",
    "UNIT_SEC",
    "UNIT_WORDS",
]

# fmt: off
MONTHS = {
    "januari": 1, "january": 1, "jan": 1, "februari": 2, "february": 2, "feb": 2, "maret": 3,
    "march": 3, "mar": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "june": 6,
    "jun": 6, "juli": 7, "july": 7, "jul": 7, "agustus": 8, "august": 8, "agu": 8, "aug": 8,
    "agt": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10, "october": 10, "okt": 10,
    "oct": 10, "november": 11, "nov": 11, "desember": 12, "december": 12, "des": 12, "dec": 12,
}
WEEKDAYS = {
    "minggu": 0, "ahad": 0, "sunday": 0, "senin": 1, "monday": 1, "selasa": 2, "tuesday": 2,
    "rabu": 3, "wednesday": 3, "kamis": 4, "thursday": 4, "jumat": 5, "jum'at": 5,
    "friday": 5, "sabtu": 6, "saturday": 6,
}
DAY_NAMES_ID = ("Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu")
DAY_NAMES_EN = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
MONTH_NAMES_ID = ("", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
                  "Agustus", "September", "Oktober", "November", "Desember")
MONTH_NAMES_EN = ("", "January", "February", "March", "April", "May", "June", "July",
                  "August", "September", "October", "November", "December")
UNIT_SEC = {
    "detik": 1, "dtk": 1, "second": 1, "seconds": 1, "sec": 1, "secs": 1, "s": 1,
    "menit": 60, "mnt": 60, "minute": 60, "minutes": 60, "min": 60, "mins": 60, "m": 60,
    "jam": 3600, "hour": 3600, "hours": 3600, "hr": 3600, "hrs": 3600, "h": 3600,
    "hari": 86400, "day": 86400, "days": 86400, "minggu": 604800, "week": 604800,
    "weeks": 604800,
}
UNIT_WORDS = {1: ("detik", "seconds"), 60: ("menit", "minutes"), 3600: ("jam", "hours"),
              86400: ("hari", "days"), 604800: ("minggu", "weeks")}

# fmt: on
