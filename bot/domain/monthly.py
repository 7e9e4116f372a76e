"""Practice per calendar month by skill, from the first month with practice to this one.

The "all time" chart's input: a few rows per month (a SQL GROUP BY month, skill), however long
the history. Shaped like a weekly series (``week_starts`` hold month starts) so one chart
renderer draws both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from bot.domain.analytics import OTHER_SKILLS, SkillSeries, WeeklySeries


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def monthly_series(
    rows: Iterable[tuple[date, int, int]],
    names: Mapping[int, str],
    today: date,
    max_skills: int = 6,
) -> WeeklySeries:
    """Minutes per month by skill from (month start, skill id, minutes) rows; top skills kept."""
    found = [(m.replace(day=1), sid, minutes) for m, sid, minutes in rows if m <= today]
    if not found:
        return WeeklySeries((), ())
    months = [min(m for m, _, _ in found)]
    while months[-1] < today.replace(day=1):
        months.append(_next_month(months[-1]))
    index = {m: i for i, m in enumerate(months)}
    per_skill: dict[int, list[int]] = {}
    for month, sid, minutes in found:
        per_skill.setdefault(sid, [0] * len(months))[index[month]] += minutes
    ranked = sorted(
        (sid for sid in per_skill if sum(per_skill[sid]) > 0),
        key=lambda sid: (-sum(per_skill[sid]), names.get(sid, "?").casefold()),
    )
    keep = ranked if len(ranked) <= max_skills else ranked[: max(0, max_skills - 1)]
    skills = [SkillSeries(sid, names.get(sid, "?"), tuple(per_skill[sid])) for sid in keep]
    rest = ranked[len(keep) :]
    if rest:
        other = tuple(sum(per_skill[sid][i] for sid in rest) for i in range(len(months)))
        skills.append(SkillSeries(None, OTHER_SKILLS, other))
    return WeeklySeries(tuple(months), tuple(skills))
