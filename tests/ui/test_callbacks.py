"""The typed callback schemas: byte-exact round trips, and refusal of anything forged."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import pytest

from bot.domain.history_filters import ALL, RangeSpec
from bot.ui import callbacks as cb
from bot.ui.callbacks import (
    DELETE_DATA_BUTTONS,
    EVIDENCE_BUTTONS,
    EXPORT_BUTTONS,
    GOALS_BUTTONS,
    HISTORY_BUTTONS,
    IMPORT_BUTTONS,
    LOG_BUTTONS,
    PROGRESS_BUTTONS,
    QUICK_BUTTONS,
    REMINDER_BUTTONS,
    REMINDER_INPUT_BUTTONS,
    SETUP_BUTTONS,
    SKILLS_BUTTONS,
    STATS_BUTTONS,
    TIMER_BUTTONS,
    TIMER_NEXT_BUTTONS,
    TIMER_SWITCH_BUTTONS,
    TIMEZONE_BUTTONS,
    BadCallback,
    CallbackData,
    Schema,
    decode,
)

SCHEMAS: dict[str, Schema[CallbackData]] = {
    s.prefix: s  # type: ignore[misc]
    for s in (
        LOG_BUTTONS,
        HISTORY_BUTTONS,
        EVIDENCE_BUTTONS,
        REMINDER_BUTTONS,
        SKILLS_BUTTONS,
        QUICK_BUTTONS,
        PROGRESS_BUTTONS,
        STATS_BUTTONS,
        EXPORT_BUTTONS,
        IMPORT_BUTTONS,
        SETUP_BUTTONS,
        TIMEZONE_BUTTONS,
        DELETE_DATA_BUTTONS,
        GOALS_BUTTONS,
        TIMER_BUTTONS,
        TIMER_SWITCH_BUTTONS,
        TIMER_NEXT_BUTTONS,
    )
}
SCHEMAS["rmi"] = REMINDER_INPUT_BUTTONS  # type: ignore[assignment]
BIG = 2_147_483_647


def parse(data: str) -> CallbackData:
    return SCHEMAS[decode(data).prefix].parse(data)


# Data the bot has sent in the past: it must still read, and be written the same way.
WIRE = [
    ("lg:back", cb.LogBack()),
    ("lg:sk:42", cb.LogPickSkill(42)),
    ("lg:pg:3", cb.LogSkillPage(3)),
    ("lg:new", cb.LogNewSkill()),
    ("lg:cn", cb.LogCreateTyped()),
    ("lg:d:45", cb.LogDuration(45)),
    ("lg:t:1", cb.LogDay(1)),
    ("lg:do:1", cb.LogDateOption(1)),
    ("lg:keep", cb.LogKeepDescription()),
    ("lg:nod", cb.LogSkipDescription()),
    ("lg:rate", cb.LogRateIt()),
    ("lg:r:5", cb.LogRate(5)),
    ("lg:skip", cb.LogSkipRating()),
    ("lg:ua", cb.LogUnarchive()),
    ("lg:pick", cb.LogPickAnother()),
    ("hs:p:a:0:0:0:a", cb.HistoryPage("a", cb.ListPlace(0, 0, 0, ALL))),
    ("hs:p:o", cb.HistoryPage("o")),
    (
        "hs:v:7:739000:12:3:d30",
        cb.HistoryView(7, cb.ListPlace(739000, 12, 3, RangeSpec("days", days=30))),
    ),
    ("hs:edit:5", cb.HistoryEditMenu(5)),
    ("hs:ef:5:dur", cb.HistoryEditField(5, "dur")),
    (
        "hs:set:5:conf:0:0:0:0:w",
        cb.HistorySetValue(5, "conf", 0, cb.ListPlace(0, 0, 0, RangeSpec("week"))),
    ),
    ("hs:del:5", cb.HistoryDelete(5)),
    ("hs:dy:5", cb.HistoryDeleteYes(5)),
    ("hs:u:9", cb.HistoryUndo(9)),
    ("hs:sk:2", cb.HistorySkillPicker(2)),
    ("hs:x", cb.HistoryClose()),
    ("ev:add:3", cb.EvidenceAddToSession(3)),
    ("ev:addk:3", cb.EvidenceAddToSkill(3)),
    ("ev:s:3", cb.EvidenceOfSession(3)),
    ("ev:s:3:1", cb.EvidenceOfSession(3, 1)),
    ("ev:l:3:0", cb.EvidenceOfSkill(3, 0)),
    ("ev:pk:0", cb.EvidenceSkills(0)),
    ("ev:x", cb.EvidenceClose()),
    ("ev:ss:8", cb.EvidenceResend(8)),
    ("ev:n:8", cb.EvidenceShowNote(8)),
    ("ev:d:8:l:0", cb.EvidenceDelete(8, "l", 0)),
    ("ev:dy:8:s:2", cb.EvidenceDeleteYes(8, "s", 2)),
    ("ev:m:link", cb.EvidenceMode("link")),
    ("ev:t:k:4", cb.EvidenceTarget("k", 4)),
    ("ev:xb", cb.EvidenceDropBatch()),
    ("ev:ap:3", cb.EvidenceAttachPending(3)),
    ("rm:m", cb.ReminderScreen("m")),
    ("rm:p", cb.ReminderScreen("p")),
    ("rm:x", cb.ReminderClose()),
    ("rm:open", cb.ReminderOpen()),
    ("rm:off:s", cb.ReminderStreakOff()),
    ("rm:gk:4", cb.ReminderSkillGoalScreen(4)),
    ("rm:set:se:0", cb.ReminderToggle("se", on=False)),
    ("rm:set:ie:1", cb.ReminderToggle("ie", on=True)),
    ("rm:set:id:3", cb.ReminderInactivityDays(3)),
    ("rm:set:wm:1080", cb.ReminderTime("wm", 1080)),
    ("rm:set:ww:6", cb.ReminderWeekday(6)),
    ("rm:set:g:150", cb.ReminderWeeklyGoal(150)),
    ("rm:set:sg:4:0", cb.ReminderSkillGoal(4, 0)),
    ("rm:set:p:14", cb.ReminderPause(14)),
    ("rm:set:pr:0", cb.ReminderResume()),
    ("rm:ask:im", cb.ReminderAsk("im")),
    ("rm:ask:sg:4", cb.ReminderAskSkillGoal(4)),
    ("rmi:back", cb.ReminderInputBack()),
    ("sk:l:2", cb.SkillsList(2)),
    ("sk:x", cb.SkillsClose()),
    ("sk:add", cb.SkillsAdd()),
    ("sk:o:7:1", cb.SkillsOpen(7, 1)),
    ("sk:r:7:0", cb.SkillsRename(7, 0)),
    ("sk:a:7:0", cb.SkillsArchive(7, 0)),
    ("sk:ua:7:0", cb.SkillsUnarchive(7, 0)),
    ("sk:d:7:0", cb.SkillsDelete(7, 0)),
    ("sk:dy:7:3", cb.SkillsDeleteYes(7, 3)),
    ("ql:s:7:30:Ab3_-x9Z", cb.QuickSave(7, 30, "Ab3_-x9Z")),
    ("ql:u:99:Ab3_-x9Z", cb.QuickUndo(99, "Ab3_-x9Z")),
    ("ql:n:99", cb.QuickNote(99)),
    ("ql:p:2:Ab3_-x9Z", cb.QuickPage(2, "Ab3_-x9Z")),
    ("ql:o", cb.QuickOpen()),
    ("ql:x", cb.QuickClose()),
    ("pg:s:7:0", cb.ProgressSkill(7, 0)),
    ("pg:s:7:2", cb.ProgressSkill(7, 2)),
    ("pg:l:1", cb.ProgressPage(1)),
    ("pg:x", cb.ProgressClose()),
    ("st:p:week", cb.StatsShowPeriod("week")),
    ("st:p:month", cb.StatsShowPeriod("month")),
    ("st:p:all", cb.StatsShowPeriod("all")),
    ("st:c:w", cb.StatsWeeklyChart()),
    ("st:c:m", cb.StatsMonthlyChart()),
    ("st:c:h", cb.StatsHeatmap()),
    ("st:x", cb.StatsClose()),
    ("exp:json", cb.ExportAs("json")),
    ("exp:csv", cb.ExportAs("csv")),
    ("exp:x", cb.ExportCancel()),
    ("exp:r:json", cb.ExportRetry("json")),
    ("imp:go", cb.ImportGo()),
    ("imp:cols", cb.ImportColumns()),
    ("imp:col:3", cb.ImportColumn(3)),
    ("imp:set:3:desc", cb.ImportAssign(3, "desc")),
    ("imp:set:0:off", cb.ImportAssign(0, "off")),
    ("imp:ord:m", cb.ImportOrder("m")),
    ("imp:cm:60", cb.ImportCheckMinutes(60)),
    ("imp:back", cb.ImportBack()),
    ("su:z:Asia/Tokyo", cb.SetupZone("Asia/Tokyo")),
    ("su:z:America/Los_Angeles", cb.SetupZone("America/Los_Angeles")),
    ("su:z:UTC", cb.SetupZone("UTC")),
    ("su:keep", cb.SetupKeep()),
    ("su:skip", cb.SetupSkip()),
    ("tz:z:Europe/Kyiv", cb.TimezoneZone("Europe/Kyiv")),
    ("tz:keep", cb.TimezoneKeep()),
    ("tz:do:month_first", cb.TimezoneDateOrder("month_first")),
    ("dmd:yes", cb.DeleteDataYes()),
    ("dmd:no", cb.DeleteDataNo()),
    ("gl:h", cb.GoalsHome()),
    ("gl:g:0", cb.GoalsOf(0)),
    ("gl:s:4:m:150", cb.GoalsSet(4, "m", 150)),
    ("gl:s:0:n:0", cb.GoalsSet(0, "n", 0)),
    ("gl:c:4", cb.GoalsClear(4)),
    ("gl:w", cb.GoalsWeek()),
    ("gl:ws:7", cb.GoalsWeekSet(7)),
    ("gl:x", cb.GoalsClose()),
    ("tm:p", cb.TimerPick()),
    ("tm:s:7", cb.TimerStart(7)),
    ("tm:a:7", cb.TimerAgain(7)),
    ("tm:pa:12", cb.TimerPause(12)),
    ("tm:re:12", cb.TimerResume(12)),
    ("tm:st:12", cb.TimerStop(12)),
    ("tm:sl:12", cb.TimerStopAtLastSeen(12)),
    ("tm:k:12", cb.TimerKeep(12)),
    ("tm:d:12", cb.TimerDiscard(12)),
    ("tm:dy:12", cb.TimerDiscardYes(12)),
    ("tm:v:12", cb.TimerShow(12)),
    ("tm:x", cb.TimerClose()),
    ("tw:go", cb.TimerSwitchGo()),
    ("tw:stop", cb.TimerSwitchStop()),
    ("tn:skip", cb.TimerNextSkip()),
]


@pytest.mark.parametrize(("data", "typed"), WIRE, ids=[d for d, _ in WIRE])
def test_wire_format_round_trips_byte_for_byte(data: str, typed: CallbackData) -> None:
    assert typed.encode() == data
    assert parse(data) == typed


@pytest.mark.parametrize(
    "data",
    [
        "lg:zz",  # no such action
        "lg:sk",  # missing id
        "lg:sk:1:2",  # extra field
        "lg:sk:-1",
        "lg:sk:+1",
        "lg:sk: 1",
        "lg:sk:²",  # a digit, but not an ASCII one
        "lg:sk:12345678901234567",  # too many digits
        "lg:d:0",
        "lg:d:5000",  # out of range
        "lg:t:2",
        "lg:r:6",
        "hs:p:z",  # unknown page mode
        "hs:v:1:0:5:0:a",  # half an anchor
        "hs:v:1:0:0:0:nope",  # no such range
        "hs:v:1:0:0",  # a cut-off place
        "hs:v:1:0:0:0:a:extra",
        "hs:v:1:99999999:1:0:a",  # past date.max
        "hs:set:1:dur:x",
        "ev:d:8:q:0",  # unknown origin
        "ev:t:x:4",  # unknown target kind
        "ev:m:video",
        "imp:col:24",  # past the columns that get a button
        "imp:set:1:mood",  # no such field
        "imp:ord:y",
        "imp:cm:7",  # minutes not offered
        "rm:set:id:4",  # days not offered
        "rm:set:im:1440",
        "rm:set:ww:x",
        "rm:set:ie:2",
        "rm:set:g:99999",
        "rm:set:p:0",
        "rm:set:pr",
        "rm:set:zz:1",
        "rm:ask:zz",
        "rm:off:x",
        "rm:nope",
        "rm",
        "rmi:save",
        "sk:o:7",  # the list page is missing
        "sk:dy:7:1001",  # a page no list has
        "sk:l:x",
        "sk:zz:1:1",
        "ql:s:7:0:Ab3_-x9Z",  # no minutes
        "ql:s:7:1441:Ab3_-x9Z",  # over a day
        "ql:s:7:30:a.b",  # not a nonce we make
        "ql:s:7:30",  # the nonce is missing
        "ql:u:99:abc",  # a nonce too short
        "pg:s:notanid:0",
        "pg:s:7",  # the picker page is missing
        "pg:l:1001",  # a page no picker has
        "pg:x:1",
        "st:p:yearly",  # no such period
        "st:p:Week",
        "st:c:pie",  # no such chart
        "st:c",
        "exp:zip",  # no such format
        "exp:json:1",
        "exp",
        "imp:go:1",
        "imp:stop",
        "su:z:Europe/Paris",  # a real zone, but never offered as a button
        "su:z:+3",  # an offset is typed, not tapped
        "su:z:tokyo",  # a city is typed, not tapped
        "su:z:../../etc/passwd",
        "su:z",
        "su:keep:UTC",
        "tz:z:Not/AZone",
        "tz:z:",
        "tz:skip",  # Skip is /start's, not /timezone's
        "tz:do:year_first",
        "dmd:maybe",
        "dmd:yes:1",
        "gl:s:4:q:30",  # no such goal kind
        "gl:ws:8",
        "gl:h:1",
        "tm:pa",  # the timer id is missing
        "tm:st:x",
        "tm:p:1",
        "tw:back",
        "tn:skip:1",
        "xx:back",
        "",
        "lg:sk:" + "1" * 70,  # over 64 bytes
    ],
)
def test_forged_or_malformed_data_is_refused(data: str) -> None:
    prefix = data.split(":", 1)[0]
    with pytest.raises(BadCallback):
        parse(data) if prefix in SCHEMAS else LOG_BUTTONS.parse(data)


def test_another_prefix_is_refused() -> None:
    with pytest.raises(BadCallback):
        LOG_BUTTONS.parse("hs:x")


@pytest.mark.parametrize(
    "build",
    [
        lambda: cb.LogDuration(0),
        lambda: cb.LogRate(True),  # a bool is not a rating
        lambda: cb.HistoryPage("z"),
        lambda: cb.ListPlace(5, 0, 0, ALL),
        lambda: cb.ReminderInactivityDays(4),
        lambda: cb.EvidenceTarget("x", 1),
        lambda: cb.ProgressPage(-1),
        lambda: cb.StatsShowPeriod("year"),
        lambda: cb.ExportAs("zip"),  # type: ignore[arg-type]
        lambda: cb.TimezoneZone("Europe/Paris"),
        lambda: cb.ReminderToggle("se", on=1),  # type: ignore[arg-type]  # not a flag
        lambda: cb.HistoryEditField(1, 5),  # type: ignore[arg-type]  # not text
        lambda: cb.ListPlace(0, 0, 0, "a"),  # type: ignore[arg-type]  # not a date range
        lambda: cb.QuickNote(True),  # a bool is not an id
    ],
)
def test_building_an_invalid_button_fails_loudly(build: object) -> None:
    with pytest.raises(BadCallback):
        build()  # type: ignore[operator]


def test_data_that_would_not_fit_64_bytes_is_not_encoded() -> None:
    wide = RangeSpec("dates", start=date(2020, 1, 1), end=date(2026, 11, 25))
    press = cb.HistorySetValue(
        BIG, "conf", 5, cb.ListPlace(date(2026, 1, 1).toordinal(), BIG, BIG, wide)
    )
    with pytest.raises(ValueError, match="64 bytes"):
        press.encode()
    assert len(cb.HistorySetValue(BIG, "conf", 5).encode().encode()) <= 64


def test_text_fields_cannot_smuggle_a_separator() -> None:
    with pytest.raises(ValueError, match="':'"):
        cb.HistoryEditField(1, "dur:5").encode()


def test_every_exported_button_kind_has_a_pinned_wire_string() -> None:
    pinned = {type(typed) for _, typed in WIRE}
    kinds = {
        k
        for k in vars(cb).values()
        if isinstance(k, type)
        and issubclass(k, CallbackData)
        and k is not CallbackData
        and "KEY" in vars(k)
    }
    assert {k.__name__ for k in kinds - pinned} == set()


class _ZzData(CallbackData, prefix="zz"):
    """A test prefix."""


class _ZzOpen(_ZzData, key=("o",)):
    """A kind with no fields."""


class _ZzItem(_ZzData):
    """Fields shared by the kinds below; not a kind itself."""

    item_id: cb.Id


class _ZzShow(_ZzItem, key=("s",)):
    """A kind taking only the shared field."""


class _ZzMove(_ZzItem, key=("m",)):
    """A kind adding a field after the shared one."""

    to: Annotated[int, cb.Int(0, 9)]


class _ZzOther(CallbackData, prefix="zy", key=("o",)):
    """Another prefix's kind: not part of zz's schema."""


def test_a_schema_collects_its_prefixs_kinds_including_those_under_a_shared_base() -> None:
    zz = Schema.of(_ZzData)
    assert zz.prefix == "zz"
    assert zz.actions() == {"o", "s", "m"}
    assert zz.parse("zz:o") == _ZzOpen()
    assert zz.parse("zz:s:4") == _ZzShow(4)
    assert zz.parse("zz:m:4:2") == _ZzMove(4, 2)
    assert _ZzMove(item_id=4, to=2).encode() == "zz:m:4:2"
    for forged in ("zz:m:4", "zz:s:4:2", "zz:s", "zz:o:1", "zy:o"):
        with pytest.raises(BadCallback):
            zz.parse(forged)


def test_two_kinds_with_one_key_under_a_prefix_are_refused() -> None:
    class Data(CallbackData, prefix="zx"):
        """A test prefix."""

    class First(Data, key=("a",)):
        """One."""

    class Second(Data, key=("a",)):
        """The same key again."""

    with pytest.raises(TypeError, match="two schemas"):
        Schema.of(Data)
