"""One-message /log parse time, per message: the hand-written rules before this change, the
rules now (cold and warm caches), and dateparser's search_dates on the same messages.

`python benchmarks/parse.py [--baseline REV]`. The baseline is read from git (the parser as it was
at REV) and timed in the same process and run as the current one, so the ratios compare like with
like. dateparser is timed only if it can be imported (it is not a dependency of the bot:
`pip install --target /tmp/dp dateparser` and `PYTHONPATH=/tmp/dp`).
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import timeit
import types
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.domain import dates, log_command

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 25)
SKILLS = [(1, "Guitar"), (2, "React"), (3, "SQL"), (4, "Python 3"), (5, "Machine learning")]
MESSAGES = [
    "guitar 30m 2 weeks ago arpeggio work here",
    "react 45m built the login page UI today",
    "1h30 yesterday SQL window functions practice",
    "guitar 30m Nov 20 scales in A minor",
    "python 3 20m 20.11 upgraded the parser to 2.0",
    "machine learning 1h last friday gradient descent notes",
    "guitar 45 min fridya chord changes G C D",
    "react 1:15 on monday hooks and context, then a long review of the reducer tests",
]


def load_baseline(rev: str) -> Callable[[str], object]:
    """The one-message parser as it was at ``rev``, loaded from git under private names."""
    modules: dict[str, types.ModuleType] = {}
    for name in ("dates", "log_command"):
        source = subprocess.run(
            ["git", "show", f"{rev}:bot/domain/{name}.py"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        source = source.replace("from bot.domain.dates import", "from _baseline_dates import")
        module_name = f"_baseline_{name}"
        spec = importlib.util.spec_from_loader(module_name, loader=None)
        assert spec is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        exec(compile(source, f"{rev}:{name}.py", "exec"), module.__dict__)  # noqa: S102
        modules[name] = module
    parse = modules["log_command"].parse_log_command
    return lambda text: parse(text, SKILLS, TODAY)


def per_message_us(parse: Callable[[str], object], *, cold: bool = False) -> tuple[float, float]:
    """(best, median) over repeats of the mean time per message, in microseconds."""

    def run() -> None:
        for text in MESSAGES:
            if cold:
                clear_caches()
            parse(text)

    runs = sorted(timeit.repeat(run, number=50, repeat=9))
    scale = 1e6 / 50 / len(MESSAGES)
    return runs[0] * scale, runs[len(runs) // 2] * scale


def clear_caches() -> None:
    """Forget every cached date reading and typo correction."""
    dates._read.cache_clear()
    dates._nearest_words.cache_clear()
    dates.may_start_date.cache_clear()


def main() -> None:
    """Print per-message figures as a Markdown table: the least disturbed run and the median."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", default="f511e72")
    args = parser.parse_args()
    rows: list[tuple[str, tuple[float, float]]] = []
    rows.append(("before: hand-written rules", per_message_us(load_baseline(args.baseline))))

    def current(text: str) -> object:
        return log_command.parse_log_command(text, SKILLS, TODAY, "day_first", ask_order=True)

    rows.append(("now: caches cleared before every message", per_message_us(current, cold=True)))
    rows.append(("now: warm caches (the same messages again)", per_message_us(current)))
    try:
        from dateparser.search import search_dates  # type: ignore[import-not-found]
    except ImportError:
        print("dateparser not importable: skipped")
    else:
        base = datetime(2026, 11, 25, 12, 0)
        settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
        search_dates("warm up 2 weeks ago", languages=["en"], settings=settings)
        rows.append(
            (
                "dateparser search_dates (dates only, English only)",
                per_message_us(
                    lambda text: search_dates(text, languages=["en"], settings=settings)
                ),
            )
        )
    first_best, first_median = rows[0][1]
    print("| parser | µs per message, best | × before | µs per message, median | × before |")
    print("|---|---:|---:|---:|---:|")
    for name, (best, median) in rows:
        print(
            f"| {name} | {best:,.1f} | {best / first_best:.2f} "
            f"| {median:,.1f} | {median / first_median:.2f} |"
        )


if __name__ == "__main__":
    main()
