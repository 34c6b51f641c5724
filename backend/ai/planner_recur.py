"""How often a prompt asks for a job to repeat: an interval, or the days of a cron.

"tiap 5 menit", "per 2 jam", "hourly", "2x sehari", "real-time" are intervals; "tiap
hari", "every weekday", "tiap Senin dan Kamis", "weekly", "tiap tanggal 15", "awal
bulan", "quarterly" give a cron's day fields. The time of day is read elsewhere
(``planner_when``). A vague repeat ("weekly" with no day, "awal bulan") carries a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from backend.ai import planner_vocab as vocab
from backend.ai.planner_when import DAY, clock_times, weekday_of

__all__ = ["Recurrence", "recurrence"]

_UNITS = "|".join(sorted(vocab.UNIT_SEC, key=len, reverse=True))
_EVERY = r"(?:tiap|setiap|every|each|per|sekali|interval(?:nya)?|jeda(?:nya)?|selang)"
_INTERVAL = re.compile(
    rf"\b{_EVERY}\s+(\d+(?:[.,]\d+)?)\s*({_UNITS})\b|\b(\d+)\s*({_UNITS})\s+sekali\b"
)
_EVERY_UNIT = re.compile(
    r"\b(?:tiap|setiap|every|each)\s+(detik|second|menit|minute|jam|hour)\b(?!\s*\d)"
    r"|\b(hourly|minutely)\b|\bper (jam|hour)\b(?!\s*\d)|\btop of (?:every|each|the) (hour)\b"
)
_TIMES_A_DAY = re.compile(r"\b([2-9])x sehari\b")
_TIMES_A_WEEK = re.compile(r"\b([2-6])x (?:seminggu|sepekan|a week|per week|per minggu)\b|"
                           r"\btwice (?:a week|weekly)\b|\b(\d) kali seminggu\b")
_SPREAD = {2: "1,4", 3: "1,3,5", 4: "1,2,4,5", 5: "1-5", 6: "1-6"}
_CONTINUOUS = re.compile(
    r"real[- ]?time|\b24/7\b|terus[- ]?menerus|\bcontinuous(?:ly)?\b|\bnon-?stop\b|"
    r"around the clock|\bsetiap saat\b|\b24 jam (?:nonstop|penuh|non-stop)\b|\bsepanjang hari\b|"
    r"\ball day long\b|\bpantau 24 jam\b|\bmonitor 24 hours\b"
)
_NAMES = ("minggu", "senin", "selasa", "rabu", "kamis", "jumat", "sabtu")
_DAY_LIST = rf"{DAY}(?:\s*(?:,|dan|and|&|sama|\+|or|atau)\s*(?:hari\s+)?{DAY})*"
_ON_DAYS = re.compile(rf"\b(?:tiap|setiap|every|each)\s+(hari\s+)?({_DAY_LIST})\b")
_PLURAL_DAYS = re.compile(r"\b(mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)\b")
_WEEKDAYS = re.compile(
    r"\bweekdays?\b|\bhari kerja\b|\bsenin\s*(?:-|–|s/?d|sampai|hingga|to)\s*jumat\b|"
    r"\bmon(?:day)?\s*(?:-|–|to|through|thru)\s*fri(?:day)?\b"
)
_WEEKENDS = re.compile(
    r"\b(?:tiap|setiap|every|each|on)\s+(?:weekend|akhir pekan|sabtu (?:dan|&|and) minggu)\b|"
    r"\bweekends\b"
)
_WEEK_END = re.compile(r"\b(?:tiap|setiap)\s+akhir minggu\b|\bevery end of (?:the )?week\b")
_WEEK_START = re.compile(r"\b(?:tiap|setiap)\s+awal (?:minggu|pekan)\b|\bevery start of (?:the )?"
                         r"week\b|\b(?:tiap|setiap) (?:minggu|pekan),? hari pertama\b")  # fmt: skip
_WEEKLY = re.compile(
    r"\bweekly\b|\bmingguan\b|\b(?:tiap|setiap|per)\s+(?:minggu|pekan)\b|\bseminggu sekali\b|"
    r"\b1x seminggu\b|\bevery week\b|\bonce a week\b"
)
_DOM = re.compile(
    r"\b(?:tiap|setiap|every|each)\s+tanggal\s+(\d{1,2}(?:\s*(?:,|dan|&)\s*\d{1,2})*)\b"
    r"|\btanggal\s+(\d{1,2})\s+(?:tiap|setiap)\s+bulan\b"
    r"|\b(?:every|each|on the)\s+(\d{1,2}(?:st|nd|rd|th)(?:\s*(?:,|and|&)\s*(?:the\s+)?\d{1,2}"
    r"(?:st|nd|rd|th))*)\b(?= of (?:every|each|the) month|,? monthly| every month|\s*$|[,.]|"
    r"\s+(?:at|jam|pukul))"
    r"|\bon the (\d{1,2})(?:st|nd|rd|th)?\s+of\s+(?:every|each|the)\s+month\b"
    r"|\bmonthly on the (\d{1,2})(?:st|nd|rd|th)?\b"
    r"|\b(\d{1,2})(?:st|nd|rd|th) of (?:every|each) month\b"
    r"|\b(?:tiap|setiap|per)\s+bulan\s*,?\s*(?:pada\s+|di\s+)?tanggal\s+(\d{1,2})\b"
)
_MONTH_START = re.compile(
    r"\b(?:tiap|setiap|every|each)\s+(?:awal bulan|beginning of (?:the |each |every )?month|"
    r"start of (?:the |each |every )?month)\b|\bawal bulan\b(?!\s+depan)|\bearly each month\b"
)
_MID_MONTH = re.compile(
    r"\b(?:tiap|setiap|every|each)\s+(?:pertengahan|tengah)\s+bulan\b|\bmid-?month\b|"
    r"\b(?:every|each)\s+middle of (?:the |each |every )?month\b|\bmiddle of every month\b"
)
_MONTH_END = re.compile(
    r"\b(?:tiap|setiap)\s+akhir bulan\b|\bend of (?:every|each) month\b|\bevery month[- ]end\b|"
    r"\blast day of (?:every|each|the) month\b|\bhari terakhir (?:tiap|setiap) bulan\b"
)
# "the last day of the month" for "this month's sales" is one day, not every month
_THIS_MONTH = re.compile(r"^(?!.*\b(?:every|each|tiap|setiap|monthly|bulanan)\b).*"
                         r"\b(?:this month|bulan ini)\b")
_MONTHLY = re.compile(
    r"\bbulanan\b|\bmonthly\b|\b(?:tiap|setiap|per)\s+bulan\b|\bevery month\b|"
    r"\bsebulan sekali\b|\bonce a month\b"
)
_QUARTERLY = re.compile(r"\bquarterly\b|\b(?:tiap|setiap|per)\s+kuartal\b|"
                        r"\b(?:every|each) quarter\b|\bkuartalan\b")  # fmt: skip
_DAILY = re.compile(
    r"\b(?:tiap|setiap|per)\s+hari\b|\bharian\b|\bdaily\b|\bevery ?day\b|\beach day\b|"
    r"\b1x sehari\b|\bsehari\b|\b(?:tiap|setiap)\s+(?:pagi|siang|sore|malam|subuh|dini hari)\b|"
    r"\b(?:every|each)\s+(?:morning|afternoon|evening|night)\b|\bnightly\b|"
    r"\b(?:tiap|setiap)\s+jam\s+\d|\bat night every night\b"
)
_PAYDAY = re.compile(r"\b(?:tiap|setiap|every|each)\s+(?:tanggal\s+)?(?:gajian|payday)\b")
_MONTHS = "|".join(sorted(vocab.MONTHS, key=len, reverse=True))
_MONTH_LIST = re.compile(
    rf"\(?\s*((?:{'|'.join(sorted(vocab.MONTHS, key=len, reverse=True))})"
    rf"(?:\s*(?:,|dan|and|&)\s*(?:{'|'.join(sorted(vocab.MONTHS, key=len, reverse=True))}))+)"
)


@dataclass(slots=True)
class Recurrence:
    """A repeat: ``every_sec`` for an interval, else the cron's day fields."""

    text_id: str
    text_en: str
    every_sec: int | None = None
    dom: str = "*"
    month: str = "*"
    dow: str = "*"
    exact: bool = True
    notes: list[tuple[str, str]] = field(default_factory=list)
    continuous: bool = False
    anchor_dow: int | None = None  # an interval of weeks that starts on this weekday


def _interval(count: float, unit: int) -> Recurrence:
    seconds = int(round(count * unit))
    words = vocab.UNIT_WORDS[unit]
    n = int(count) if float(count).is_integer() else count
    return Recurrence(f"setiap {n} {words[0]}", f"every {n} {words[1]}", every_sec=seconds)


def _days(names: list[str]) -> Recurrence:
    days = sorted({weekday_of(name) for name in names})
    return Recurrence(
        "setiap " + ", ".join(vocab.DAY_NAMES_ID[d] for d in days),
        "every " + ", ".join(vocab.DAY_NAMES_EN[d] for d in days),
        dow=",".join(map(str, days)),
    )


def _sunday_or_week(t: str, match: re.Match[str], text: str) -> bool:
    """'tiap Minggu jam 1' is Sunday; 'tiap minggu' alone is weekly."""
    after = t[match.end() : match.end() + 14]
    capital = re.search(r"\b(?:tiap|setiap|hari)\s+Minggu\b", text) is not None
    return capital or bool(re.match(r"\s*,?\s*(?:jam|pukul|pagi|siang|sore|malam)\b", after))


_EVERY_OTHER = re.compile(rf"\bevery (?:other|second|2nd) ({DAY}|day|week)\b|\bbi-?weekly\b|"
                          r"\bfortnightly\b|\bsetiap dua minggu\b|"
                          r"\b(?:tiap|setiap) 2 minggu(?: sekali)?\b")  # fmt: skip


def _interval_of(t: str) -> Recurrence | None:
    other = _EVERY_OTHER.search(t)
    if other:
        unit = other.group(1) or "week"
        rec = _interval(2, 86400 if unit == "day" else 604800)
        if unit not in ("day", "week"):
            rec.anchor_dow = weekday_of(unit)
        elif unit == "week":
            # the weekday named anywhere ("tiap 2 minggu hari Jumat"); "minggu" is Sunday
            # only as "hari minggu", else it is the week itself
            named = [m.group(1) for m in re.finditer(rf"\b({DAY})s?\b", t)
                     if m.group(0) != "minggu" or t[: m.start()].endswith("hari ")]
            rec.anchor_dow = weekday_of(named[0]) if named else 1
            if not named:
                rec.exact = False
                rec.notes.append(("setiap 2 minggu: mulai Senin (hari tidak disebut)",
                                  "every 2 weeks: from a Monday (no day named)"))  # fmt: skip
        return rec
    match = _INTERVAL.search(t)
    if match:
        count = float((match.group(1) or match.group(3)).replace(",", "."))
        unit = vocab.UNIT_SEC[match.group(2) or match.group(4)]
        if count > 0:
            return _interval(count, unit)
    match = _EVERY_UNIT.search(t)
    if match:
        word = next(g for g in match.groups() if g)
        unit = {"hourly": 3600, "minutely": 60}.get(word) or vocab.UNIT_SEC[word]
        words = vocab.UNIT_WORDS[unit]
        return Recurrence(f"setiap {words[0]}", f"every {words[1].rstrip('s')}", every_sec=unit)
    match = _TIMES_A_DAY.search(t)
    if match and len({(c.hour, c.minute) for c in clock_times(t)}) >= int(match.group(1)):
        return None  # "2x sehari jam 9 dan jam 9 malam": the times say when, every day
    if match:
        n = int(match.group(1))
        rec = _interval(24 / n, 3600)
        rec.exact = False
        rec.notes.append((f"{n}x sehari: setiap {24 // n} jam, jamnya tidak disebut",
                          f"{n} times a day: every {24 // n} hours, no times given"))  # fmt: skip
        return rec
    return None


_EXCEPT = re.compile(rf"\b(?:kecuali|except|selain|but not)\s+(?:hari\s+|on\s+)?"
                     rf"({DAY}(?:(?:\s*(?:,|dan|and|&|sama|\+|or|atau)\s*|\s+)(?:hari\s+)?{DAY})*)")
_BARE_LIST = re.compile(rf"\b({DAY}(?:\s*(?:,|dan|and|&|\+|/)\s*(?:hari\s+)?{DAY})+)\b")


_NIGHT_BEFORE = re.compile(rf"\b(?:tiap|setiap)\s+malam\s+({DAY})\b")


def _weekly(t: str, text: str) -> Recurrence | None:
    eve = _NIGHT_BEFORE.search(t)
    if eve:  # "tiap malam Minggu" is Saturday night, "malam Jumat" Thursday night
        day = (weekday_of(eve.group(1)) - 1) % 7
        rec = _days([_NAMES[day]])
        rec.notes.append((f"'malam {eve.group(1)}' dibaca {vocab.DAY_NAMES_ID[day]} malam",
                          f"'malam {eve.group(1)}' read as {vocab.DAY_NAMES_EN[day]} night"))
        return rec
    if _WEEKDAYS.search(t):
        return Recurrence("setiap hari kerja (Senin–Jumat)", "every weekday (Monday–Friday)",
                          dow="1-5")  # fmt: skip
    skip = _EXCEPT.search(t)
    if skip and _DAILY.search(t):
        left = sorted(set(range(7)) - {weekday_of(d) for d in re.findall(DAY, skip.group(1))})
        return _days([_NAMES[d] for d in left])
    listed = _BARE_LIST.search(t)
    if listed and not re.search(r"minggu depan|next|depan", t):
        names = list(re.findall(DAY, listed.group(1)))
        if len(set(names)) >= 2 and "minggu" not in names[:-1]:
            return _days(names)
    if _WEEKENDS.search(t):
        return Recurrence("setiap akhir pekan (Sabtu, Minggu)", "every weekend (Sat, Sun)",
                          dow="0,6")  # fmt: skip
    for match in _ON_DAYS.finditer(t):
        names = re.findall(DAY, match.group(2))
        if names == ["minggu"] and not match.group(1) and not _sunday_or_week(t, match, text):
            continue
        return _days(names)
    plural = _PLURAL_DAYS.findall(t)
    if plural:
        return _days([p[:-1] for p in plural])
    if _WEEK_END.search(t):
        rec = _days(["minggu"])
        rec.exact = False
        rec.notes.append(("'akhir minggu' dibaca hari Minggu", "'end of the week' read as Sunday"))
        return rec
    several = _TIMES_A_WEEK.search(t)
    if several:
        n = int(several.group(1) or several.group(2) or 2)
        return Recurrence(f"{n}x seminggu", f"{n} times a week", dow=_SPREAD.get(n, "1,4"),
                          exact=False, notes=[(f"{n}x seminggu dibaca hari {_SPREAD.get(n)} "
                                               "(Senin=1)", f"{n} times a week read as days "
                                               f"{_SPREAD.get(n)} (Monday=1)")])  # fmt: skip
    if _WEEK_START.search(t):
        rec = _days(["senin"])
        rec.exact = False
        rec.notes.append(("'awal minggu' dibaca hari Senin", "'start of the week' read as Monday"))
        return rec
    if _WEEKLY.search(t):
        named = [d for d in re.findall(rf"\b{DAY}\b", t) if d != "minggu"]
        if named:
            return _days(named[:1])
        rec = _days(["senin"])
        rec.exact = False
        rec.notes.append(("mingguan: setiap Senin (hari tidak disebut)",
                          "weekly: every Monday (no day named)"))  # fmt: skip
        return rec
    return None


_NTH_DAY = re.compile(
    rf"\b(first|pertama|1st|second|kedua|2nd|third|ketiga|3rd|last|terakhir)\s+({DAY})\s+"
    rf"(?:of\s+(?:the|each|every)\s+month|(?:setiap|tiap)\s+bulan|(?:di\s+)?(?:setiap\s+)?bulan)\b"
    rf"|\b({DAY})\s+(pertama|kedua|ketiga|terakhir)\s+(?:setiap|tiap|di)\s+bulan\b"
)
_ORDINAL = {"first": 1, "pertama": 1, "1st": 1, "second": 2, "kedua": 2, "2nd": 2, "third": 3,
            "ketiga": 3, "3rd": 3}  # fmt: skip
_EVERY_N_MONTHS = re.compile(r"\b(?:tiap|setiap|every)\s+(\d{1,2})\s*(?:bulan|months?)\b")
_TWICE_A_MONTH = re.compile(r"\b2x sebulan\b|\btwice a month\b|\bdua kali sebulan\b")
_YEARLY = re.compile(r"\b(?:tiap|setiap|every|each|per)\s+(?:tahun|year)\b|\byearly\b|\bannually\b|"
                     r"\btahunan\b")


def _monthly_special(t: str) -> Recurrence | None:
    """'first Monday of the month', 'every 3 months', 'twice a month', 'every year on 25 Dec'."""
    nth = _NTH_DAY.search(t)
    if nth:
        which = nth.group(1) or nth.group(4)
        day = weekday_of(nth.group(2) or nth.group(3))
        dow = f"L{day}" if which in ("last", "terakhir") else f"{day}#{_ORDINAL[which]}"
        return Recurrence(f"setiap {which} {vocab.DAY_NAMES_ID[day]} tiap bulan",
                          f"every {which} {vocab.DAY_NAMES_EN[day]} of the month", dow=dow)
    every = _EVERY_N_MONTHS.search(t)
    if every and 1 < int(every.group(1)) <= 12:
        n = int(every.group(1))
        return Recurrence(f"setiap {n} bulan (tanggal 1)", f"every {n} months (on the 1st)",
                          dom="1", month=f"*/{n}", exact=False,
                          notes=[(f"setiap {n} bulan dibaca tanggal 1", f"every {n} months read "
                                  "as the 1st")])  # fmt: skip
    if _TWICE_A_MONTH.search(t):
        return Recurrence("tanggal 1 dan 15", "on the 1st and 15th", dom="1,15", exact=False,
                          notes=[("2x sebulan dibaca tanggal 1 dan 15",
                                  "twice a month read as the 1st and 15th")])  # fmt: skip
    return None


def _yearly(t: str, now_year_dates: list[tuple[int, int]]) -> Recurrence | None:
    if not _YEARLY.search(t) or not now_year_dates:
        return None
    day, month = now_year_dates[0]
    return Recurrence(f"setiap tahun tanggal {day}/{month}", f"every year on {day}/{month}",
                      dom=str(day), month=str(month))


def _monthly(t: str) -> Recurrence | None:
    special = _monthly_special(t)
    if special is not None:
        return special
    months = "*"
    listed = _MONTH_LIST.search(t)
    if listed and re.search(r"kuartal|quarter|tiap|setiap|every", t):
        names = re.split(r"\s*(?:,|dan|and|&)\s*", listed.group(1))
        months = ",".join(str(m) for m in sorted({vocab.MONTHS[n] for n in names}))
    if _QUARTERLY.search(t) and months == "*":
        months = "1,4,7,10"
    match = _DOM.search(t)
    if match and match.group(0).startswith("on the") and not _MONTHLY.search(t) and \
            months == "*" and not re.search(r"\d\s*(?:st|nd|rd|th)?\s*(?:,|and|&)", match.group(0)):
        match = None  # "on the 15th at 10am" alone is one day, not every month
    if match:
        raw = next(g for g in match.groups() if g)
        days = sorted({int(d) for d in re.findall(r"\d+", raw) if 1 <= int(d) <= 31})
        if days:
            tail = t[match.end() : match.end() + 25]
            last = ",L" if re.match(r"\s*(?:dan|&|and|,)\s*(?:akhir bulan|end of (?:the )?month)",
                                    tail) else ""  # fmt: skip
            dom = ",".join(map(str, days)) + last
            return Recurrence(f"setiap tanggal {dom}", f"on day {dom} of the month", dom=dom,
                              month=months)  # fmt: skip
    bare = re.search(r"\btanggal\s+(\d{1,2})\b(?!\s*(?:-|–|sampai|s/d)|\s+(?:[a-z]+\s+)?20\d\d|"
                     rf"\s+(?:{_MONTHS}))", t)  # fmt: skip
    if bare and (_MONTHLY.search(t) or months != "*") and 1 <= int(bare.group(1)) <= 31:
        dom = bare.group(1)
        return Recurrence(f"setiap tanggal {dom}", f"on day {dom} of the month", dom=dom,
                          month=months)  # fmt: skip
    if _MONTH_START.search(t) or (months != "*" and "awal" in t):
        return Recurrence("setiap tanggal 1", "on the 1st of the month", dom="1", month=months,
                          exact=False, notes=[("'awal bulan' dibaca tanggal 1",
                                               "'start of the month' read as the 1st")])
    if _MID_MONTH.search(t):
        return Recurrence("setiap tanggal 15", "on the 15th of the month", dom="15", month=months,
                          exact=False, notes=[("'pertengahan bulan' dibaca tanggal 15",
                                               "'mid-month' read as the 15th")])  # fmt: skip
    if _MONTH_END.search(t) and not _THIS_MONTH.search(t):
        return Recurrence("setiap hari terakhir bulan", "on the last day of the month", dom="L",
                          exact=False, notes=[("'akhir bulan' dibaca hari terakhir bulan itu",
                                               "'end of month' read as its last day")])
    if _MONTHLY.search(t) or months != "*":
        return Recurrence("setiap tanggal 1", "on the 1st of the month", dom="1", month=months,
                          exact=False, notes=[("bulanan: tanggal 1 (tanggal tidak disebut)",
                                               "monthly: on the 1st (no day named)")])
    return None


def recurrence(t: str, *, text: str) -> Recurrence | None:
    """The repeat normalised text ``t`` asks for (``text``: the prompt as typed)."""
    found = _interval_of(t)
    if found is not None:
        return found
    if _YEARLY.search(t):
        named = re.search(rf"\b(\d{{1,2}})\s+({_MONTHS})\b|\b({_MONTHS})\s+(\d{{1,2}})\b", t)
        if named:
            day = int(named.group(1) or named.group(4))
            month = vocab.MONTHS[named.group(2) or named.group(3)]
            return _yearly(t, [(day, month)])
    found = _monthly_special(t) or _weekly(t, text) or _monthly(t)
    if found is not None:
        return found
    if _DAILY.search(t):
        return Recurrence("setiap hari", "every day")
    if _CONTINUOUS.search(t):
        return Recurrence("terus-menerus (real-time)", "continuously (real time)", every_sec=30,
                          continuous=True, exact=False,
                          notes=[("'real-time' dibaca setiap 30 detik",
                                  "'real time' read as every 30 seconds")])  # fmt: skip
    if _PAYDAY.search(t):
        return Recurrence("setiap tanggal 25 (gajian)", "on the 25th (payday)", dom="25",
                          exact=False, notes=[("'gajian' dibaca tanggal 25",
                                               "'payday' read as the 25th")])  # fmt: skip
    return None
