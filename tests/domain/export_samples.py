"""A small PracticeExport and its parts, shared by the export and import format tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain.export_format import (
    ExportEvidence,
    ExportFile,
    ExportLog,
    ExportSkill,
    ExportUser,
    PracticeExport,
)

CREATED = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)
ARCHIVED = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def make_log(
    log_id: int = 1, description: str = "Built a todo list component", **changes: object
) -> ExportLog:
    """A session with sensible defaults."""
    values: dict[str, object] = {
        "id": log_id,
        "skill_id": 10,
        "skill": "React",
        "date": date(2026, 11, 20),
        "duration_minutes": 45,
        "description": description,
        "difficulty": 3,
        "confidence": None,
        "source": "chat",
        "created_at": CREATED,
        "updated_at": None,
    }
    values.update(changes)
    return ExportLog(**values)  # type: ignore[arg-type]


def sample_export() -> PracticeExport:
    """A small account: two skills, two sessions, a screenshot and a skill-level link."""
    return PracticeExport(
        exported_at=datetime(2026, 11, 25, 12, 0, tzinfo=UTC),
        user=ExportUser(timezone="Europe/Berlin", settings={"reminder_hour": 19, "weekly": True}),
        skills=[
            ExportSkill(10, "React", None, 180, 4, None, None, "Hooks: useReducer", CREATED),
            ExportSkill(11, "Español", ARCHIVED, None, None, 3, 20, None, CREATED),
        ],
        practice_logs=[
            make_log(1),
            make_log(2, "Conversación con un tutor", skill_id=11, skill="Español", confidence=4),
        ],
        evidence=[
            ExportEvidence(
                id=5,
                practice_log_id=1,
                skill_id=None,
                type="screenshot",
                url=None,
                note=None,
                file=ExportFile(
                    file_name="todo.png",
                    file_size=12345,
                    mime_type="image/png",
                    width=800,
                    height=600,
                    storage="telegram",
                    file_id="AgAD",
                    file_unique_id="AQAD",
                    uploaded_at=CREATED,
                ),
                created_at=CREATED,
            ),
            ExportEvidence(
                id=6,
                practice_log_id=None,
                skill_id=10,
                type="link",
                url="https://react.dev/",
                note=None,
                file=None,
                created_at=CREATED,
            ),
        ],
    )
