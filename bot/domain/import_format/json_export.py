"""Reading our own JSON export (versions 1 and 2): skills, sessions with their evidence, settings.

Sessions pass the same rules as /log; evidence passes the same rules as evidence added in chat.
A restore keeps the exporter's calendar dates: "in the future" is judged by the date in the time
zone the file carries (or the importer's, whichever is later), not the importer's alone.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime

from bot.domain.echo import shorten
from bot.domain.errors import DomainError
from bot.domain.evidence import ScreenshotMeta, validate_evidence, validate_screenshot
from bot.domain.export_format import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    READABLE_VERSIONS,
    ExportFile,
    ExportUser,
    SettingValue,
)
from bot.domain.goals import GoalKind, GoalSet
from bot.domain.import_format.cells import CellError, Rules, is_blank, read_timestamp
from bot.domain.import_format.intake import ACCEPTED_FORMATS, too_many_rows
from bot.domain.import_format.model import (
    ImportEvidence,
    ImportFile,
    ImportRow,
    ImportSkill,
    RowError,
)
from bot.domain.import_format.rows import RawRow, build_row
from bot.domain.records import from_attributes
from bot.domain.settings_transfer import read_goal, timezone_to_restore
from bot.domain.skills import normalize_skill_name
from bot.domain.timer import read_next_focus
from bot.domain.timezones import local_today


def _damaged(what: str) -> DomainError:
    return DomainError(
        f"This practice-tracker export is damaged: {what}. Export it again and send the new file."
    )


def _json_list(document: dict[str, object], key: str) -> list[object]:
    value = document.get(key)
    if not isinstance(value, list):
        raise _damaged(f"“{key}” is missing or is not a list")
    return value


def _json_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _json_user(value: object) -> ExportUser | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("timezone"), str):
        raise _damaged("“user” has no timezone")
    settings = value.get("settings") or {}
    if not isinstance(settings, dict) or not all(
        isinstance(key, str) and (item is None or isinstance(item, str | int | float | bool))
        for key, item in settings.items()
    ):
        raise _damaged("“user.settings” is not a list of simple values")
    clean: dict[str, SettingValue] = dict(settings)
    return ExportUser(timezone=value["timezone"], settings=clean)


def _json_skill(number: int, item: object) -> tuple[int, ImportSkill]:
    """A listed skill, with the id it had in the exporting account."""
    if not isinstance(item, dict) or (source_id := _json_int(item.get("id"))) is None:
        raise _damaged(f"skill {number} has no id")
    try:
        name = normalize_skill_name(str(item.get("name") or ""))
        created_at = read_timestamp(item.get("created_at"), "created_at")
        archived_at = read_timestamp(item.get("archived_at"), "archived_at")
    except DomainError as exc:
        raise _damaged(f"skill {number}: {exc}") from None
    except CellError as exc:
        raise _damaged(f"skill {number}: {exc}") from None
    # A goal out of range is left out, as a setting would be, rather than refusing the file.
    goals = GoalSet(**{kind.value: read_goal(kind, item.get(kind.value)) for kind in GoalKind})
    return source_id, ImportSkill(
        name=name,
        archived=archived_at is not None or item.get("archived") is True,
        created_at=created_at,
        archived_at=archived_at,
        goals=goals,
        next_focus=read_next_focus(item.get("next_focus")),
    )


def _json_raw_row(number: int, item: object, skill_names: dict[int, str]) -> RawRow | RowError:
    if not isinstance(item, dict):
        return RowError(number, "This entry is not a practice session record.")
    skill = item.get("skill")
    if is_blank(skill):
        skill_id = _json_int(item.get("skill_id"))
        skill = skill_names.get(skill_id) if skill_id is not None else None
    return RawRow(
        number=number,
        date=item.get("date"),
        skill=skill,
        duration=item.get("duration_minutes"),
        description=item.get("description"),
        difficulty=item.get("difficulty"),
        confidence=item.get("confidence"),
        created_at=item.get("created_at"),
        updated_at=item.get("updated_at"),
        source_id=_json_int(item.get("id")),
        source=item.get("source"),
    )


def _json_screenshot(value: object) -> ScreenshotMeta | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise CellError("Its file details are not a record.")
    uploaded_at = read_timestamp(value.get("uploaded_at"), "uploaded_at")
    if uploaded_at is None:
        raise CellError("The screenshot has no upload time.")
    return validate_screenshot(
        file_name=value.get("file_name"),
        file_id=str(value.get("file_id") or ""),
        file_unique_id=str(value.get("file_unique_id") or ""),
        uploaded_at=uploaded_at,
        file_size=value.get("file_size"),
        mime_type=value.get("mime_type"),
        width=value.get("width"),
        height=value.get("height"),
        storage=value.get("storage") or "telegram",
        duration_seconds=value.get("duration_seconds"),
    )


def _export_file(meta: ScreenshotMeta) -> ExportFile:
    return from_attributes(ExportFile, meta)


def _json_evidence(item: object, skill_names: dict[int, str]) -> ImportEvidence:
    """Validate one evidence record with the same rules as evidence added in chat."""
    if not isinstance(item, dict):
        raise CellError("This entry is not an evidence record.")
    log_id = _json_int(item.get("practice_log_id"))
    skill_id = _json_int(item.get("skill_id"))
    try:
        checked = validate_evidence(
            str(item.get("type") or ""),
            practice_log_id=log_id,
            skill_id=skill_id,
            url=item.get("url"),
            note=item.get("note"),
            screenshot=_json_screenshot(item.get("file")),
            source=item.get("source"),
        )
    except DomainError as exc:
        raise CellError(str(exc)) from None
    return ImportEvidence(
        source_id=_json_int(item.get("id")),
        practice_log_source_id=log_id,
        skill_name=skill_names.get(skill_id) if skill_id is not None else None,
        kind=checked.kind,
        url=checked.url,
        note=checked.note,
        file=None if checked.screenshot is None else _export_file(checked.screenshot),
        created_at=read_timestamp(item.get("created_at"), "created_at"),
        source=checked.source,
    )


def _restore_today(user: ExportUser | None, today: date, now: datetime | None) -> date:
    """The latest date a session may have: today where the exporter lives, if later than here."""
    zone = timezone_to_restore(user.timezone) if user is not None else None
    if zone is None or now is None:
        return today
    return max(today, local_today(zone, now))


def read_json(text: str, today: date, max_rows: int, now: datetime | None = None) -> ImportFile:
    """Read our JSON export: skills, sessions with their evidence, skill evidence, settings."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise DomainError(
            "This file isn't valid JSON, so it can't be a practice-tracker export. "
            + ACCEPTED_FORMATS
        ) from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise DomainError("This JSON file isn't a practice-tracker export. " + ACCEPTED_FORMATS)
    version = document.get("version")
    if _json_int(version) not in READABLE_VERSIONS:
        raise DomainError(
            f"This export is format version {shorten(json.dumps(version))}; I can read version "
            f"{EXPORT_VERSION} and older. Export your data again with this bot and send the new "
            "file."
        )
    logs = _json_list(document, "practice_logs")
    if len(logs) > max_rows:
        raise too_many_rows(len(logs), max_rows)
    listed = [_json_skill(n, item) for n, item in enumerate(_json_list(document, "skills"), 1)]
    evidence_items = _json_list(document, "evidence")
    user = _json_user(document.get("user"))
    skill_names = {source_id: skill.name for source_id, skill in listed}

    rules = Rules(
        today=_restore_today(user, today, now),
        generate_description=False,
        strict_timestamps=True,
    )
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    log_ids: set[int] = set()
    for number, item in enumerate(logs, 1):
        raw = _json_raw_row(number, item, skill_names)
        built = raw if isinstance(raw, RowError) else build_row(raw, rules)
        if isinstance(raw, RawRow) and raw.source_id is not None:
            log_ids.add(raw.source_id)
        if isinstance(built, ImportRow):
            rows.append(built)
        else:
            errors.append(built)

    valid_ids = {row.source_id for row in rows if row.source_id is not None}
    by_log: dict[int, list[ImportEvidence]] = {}
    skill_evidence: list[ImportEvidence] = []
    for number, item in enumerate(evidence_items, 1):
        try:
            evidence = _json_evidence(item, skill_names)
        except CellError as exc:
            errors.append(RowError(number, f"Evidence item {number}: {exc}"))
            continue
        log_id = evidence.practice_log_source_id
        if log_id is None:
            if evidence.skill_name is None:
                errors.append(
                    RowError(number, f"Evidence item {number} belongs to no skill in the file.")
                )
            else:
                skill_evidence.append(evidence)
        elif log_id in valid_ids:
            by_log.setdefault(log_id, []).append(evidence)
        elif log_id not in log_ids:
            errors.append(
                RowError(
                    number,
                    f"Evidence item {number} belongs to session {log_id}, which isn't in the file.",
                )
            )
        # Evidence of an invalid session is left out with it; that session's error says why.
    rows = [
        replace(row, evidence=tuple(by_log.get(row.source_id, ())))
        if row.source_id is not None and row.source_id in by_log
        else row
        for row in rows
    ]
    return ImportFile(
        kind="practice-tracker-json",
        rows=rows,
        errors=errors,
        rows_read=len(logs),
        evidence=skill_evidence,
        skills=[skill for _, skill in listed],
        user=user,
    )
