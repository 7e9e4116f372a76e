"""One definition of a week: where it starts for a user, its bounds, and how it is named.

A week is seven local calendar dates starting on the user's week start (0 = Monday ... 6 =
Sunday). Users who never chose one get the first day their region's calendars use (CLDR's
"firstDay"), inferred from the time zone: Sunday in the Americas' largest countries, Japan,
Israel, India..., Saturday in much of the Middle East, Monday everywhere else. Calendar dates
are what weeks are made of, so daylight-saving changes never shorten or lengthen a week.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from bot.domain.analytics import week_start_of

MONDAY: Final = 0
SATURDAY: Final = 5
SUNDAY: Final = 6
WEEKDAY_NAMES: Final = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
WEEKDAY_ABBR: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_ABBR: Final = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip

# Time zones of regions whose calendars start the week on Sunday (CLDR firstDay "sun").
_SUNDAY_ZONES: Final = frozenset(
    {
        # United States, Canada, Mexico, Central America and the Caribbean
        "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
        "America/Phoenix", "America/Anchorage", "America/Adak", "America/Boise",
        "America/Detroit", "America/Indiana/Indianapolis", "America/Kentucky/Louisville",
        "America/Juneau", "America/Sitka", "America/Nome", "America/Menominee",
        "Pacific/Honolulu", "US/Eastern", "US/Central", "US/Mountain", "US/Pacific",
        "US/Alaska", "US/Hawaii", "US/Arizona", "EST", "MST", "HST", "EST5EDT", "CST6CDT",
        "MST7MDT", "PST8PDT", "America/Toronto", "America/Vancouver", "America/Edmonton",
        "America/Winnipeg", "America/Halifax", "America/St_Johns", "America/Regina",
        "America/Whitehorse", "America/Yellowknife", "America/Iqaluit", "America/Moncton",
        "Canada/Eastern", "Canada/Pacific", "Canada/Central", "Canada/Mountain",
        "America/Mexico_City", "America/Cancun", "America/Tijuana", "America/Monterrey",
        "America/Merida", "America/Chihuahua", "America/Hermosillo", "America/Mazatlan",
        "America/Guatemala", "America/Tegucigalpa", "America/El_Salvador", "America/Managua",
        "America/Panama", "America/Puerto_Rico", "America/Santo_Domingo", "America/Jamaica",
        "America/Port_of_Spain", "America/Nassau", "America/Belize", "America/Dominica",
        "America/Antigua", "Pacific/Guam", "Pacific/Saipan", "Pacific/Pago_Pago",
        "Pacific/Majuro", "Pacific/Apia",
        # South America
        "America/Sao_Paulo", "America/Bahia", "America/Fortaleza", "America/Recife",
        "America/Manaus", "America/Belem", "America/Cuiaba", "America/Porto_Velho",
        "America/Rio_Branco", "America/Noronha", "America/Bogota", "America/Lima",
        "America/Caracas", "America/Asuncion",
        # Asia and Africa
        "Asia/Tokyo", "Asia/Seoul", "Asia/Shanghai", "Asia/Chongqing", "Asia/Hong_Kong",
        "Asia/Macau", "Asia/Taipei", "Asia/Manila", "Asia/Bangkok", "Asia/Jakarta",
        "Asia/Makassar", "Asia/Jayapura", "Asia/Phnom_Penh", "Asia/Vientiane",
        "Asia/Yangon", "Asia/Singapore", "Asia/Kolkata", "Asia/Calcutta", "Asia/Kathmandu",
        "Asia/Dhaka", "Asia/Thimphu", "Asia/Karachi", "Asia/Jerusalem", "Asia/Tel_Aviv",
        "Asia/Riyadh", "Asia/Aden", "Africa/Johannesburg", "Africa/Nairobi",
        "Africa/Addis_Ababa", "Africa/Gaborone", "Africa/Harare", "Africa/Maputo",
        "Europe/Lisbon", "Atlantic/Madeira", "Atlantic/Azores", "Europe/Malta",
        "Japan", "ROK", "PRC", "Hongkong", "Israel", "Singapore",
    }
)  # fmt: skip
# ... and on Saturday (CLDR firstDay "sat").
_SATURDAY_ZONES: Final = frozenset(
    {
        "Asia/Dubai", "Asia/Kabul", "Asia/Bahrain", "Africa/Djibouti", "Africa/Algiers",
        "Africa/Cairo", "Asia/Baghdad", "Asia/Tehran", "Asia/Amman", "Asia/Kuwait",
        "Africa/Tripoli", "Asia/Muscat", "Asia/Qatar", "Africa/Khartoum", "Asia/Damascus",
        "Egypt", "Iran", "Libya",
    }
)  # fmt: skip


def default_week_start(timezone: str) -> int:
    """The first weekday people in this time zone's region expect (0 = Monday)."""
    if timezone in _SUNDAY_ZONES:
        return SUNDAY
    if timezone in _SATURDAY_ZONES:
        return SATURDAY
    return MONDAY


def user_week_start(chosen: int | None, timezone: str) -> int:
    """The user's own choice if they made one, else their region's."""
    return default_week_start(timezone) if chosen is None else chosen


def week_of(day: date, week_start: int = MONDAY) -> tuple[date, date]:
    """(first, last) date of the week containing ``day``."""
    first = week_start_of(day, week_start)
    return first, first + timedelta(days=6)


def days_left_in_week(today: date, week_start: int = MONDAY) -> int:
    """Days of this week still to come, today included (1 on the week's last day)."""
    return (week_of(today, week_start)[1] - today).days + 1


def last_full_week(today: date, week_start: int = MONDAY) -> tuple[date, date]:
    """The week that just ended: this week if today is its last day, else the one before.

    The weekly summary goes out on the user's chosen day; on the week's last day its evening
    already closes the week, on any other day the week before is the one that is complete.
    """
    first, last = week_of(today, week_start)
    if today == last:
        return first, last
    return first - timedelta(days=7), first - timedelta(days=1)


def short_date(day: date) -> str:
    """'Mon 30 Nov'."""
    return f"{WEEKDAY_ABBR[day.weekday()]} {day.day} {MONTH_ABBR[day.month - 1]}"


def week_label(first: date, last: date) -> str:
    """'Mon 30 Nov – Sun 6 Dec'."""
    return f"{short_date(first)} – {short_date(last)}"
