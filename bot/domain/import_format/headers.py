"""Finding the header row of a CSV or XLSX sheet and which column holds each field."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from bot.domain.errors import DomainError
from bot.domain.import_format.intake import ACCEPTED_FORMATS
from bot.domain.import_format.model import ColumnField

COLUMN_FIELDS: Final[tuple[ColumnField, ...]] = (
    "date",
    "skill",
    "minutes",
    "hours",
    "description",
    "difficulty",
    "confidence",
)
REQUIRED_FIELDS: Final = ("date", "skill", "duration")

# A header may sit below a title or a blank line or two, but not further down than this.
HEADER_SEARCH_ROWS: Final = 10

# Header words per field, casefolded, in the languages people keep spreadsheets in (English,
# German, Spanish, Portuguese, French, Italian, Russian); accents also without them.
_FIELD_NAMES: Final[dict[str, frozenset[str]]] = {
    "date": frozenset(
        {
            "date",
            "day",
            "when",
            "practiced on",
            "practised on",
            "practice date",
            "date practiced",
            "date practised",
            "session date",
            "start date",
            "datum",
            "tag",
            "fecha",
            "dia",
            "día",
            "data",
            "jour",
            "giorno",
            "дата",
            "день",
        }
    ),
    "skill": frozenset(
        {
            "skill",
            "skill name",
            "project",
            "project name",
            "habit",
            "fähigkeit",
            "fertigkeit",
            "projekt",
            "habilidad",
            "proyecto",
            "habilidade",
            "projeto",
            "compétence",
            "competence",
            "projet",
            "abilità",
            "progetto",
            "навык",
            "умение",
            "проект",
        }
    ),
    "minutes": frozenset(
        {
            "minutes",
            "mins",
            "min",
            "duration",
            "duration minutes",
            "time",
            "time spent",
            "minutes practiced",
            "minutes practised",
            "length",
            "minuten",
            "dauer",
            "zeit",
            "minutos",
            "duración",
            "duracion",
            "tiempo",
            "duração",
            "duracao",
            "tempo",
            "durée",
            "duree",
            "minuti",
            "durata",
            "минуты",
            "минут",
            "длительность",
            "время",
        }
    ),
    "hours": frozenset(
        {
            "hours",
            "hrs",
            "hour",
            "duration hours",
            "time spent hours",
            "hours practiced",
            "hours practised",
            "stunden",
            "horas",
            "heures",
            "ore",
            "часы",
            "часов",
        }
    ),
    "description": frozenset(
        {
            "description",
            "notes",
            "note",
            "what",
            "details",
            "summary",
            "comment",
            "comments",
            "what i did",
            "what i worked on",
            "what was practiced",
            "what was practised",
            "what i practiced",
            "what i practised",
            "beschreibung",
            "notiz",
            "notizen",
            "kommentar",
            "bemerkung",
            "descripción",
            "descripcion",
            "notas",
            "nota",
            "comentario",
            "comentarios",
            "descrição",
            "descricao",
            "observações",
            "commentaire",
            "remarques",
            "descrizione",
            "commento",
            "описание",
            "заметки",
            "заметка",
            "комментарий",
            "что делал",
        }
    ),
    "difficulty": frozenset({"difficulty", "difficulty rating", "schwierigkeit", "dificultad"}),
    "confidence": frozenset({"confidence", "confidence rating", "sicherheit", "confianza"}),
    "created_at": frozenset({"created at"}),
}
# Words that name the skill in a sheet with no skill column, and describe the session in one
# that has one ("Date, Skill, Minutes, Activity").
_EITHER_NAMES: Final = frozenset(
    {
        "activity",
        "topic",
        "subject",
        "task",
        "aktivität",
        "tätigkeit",
        "thema",
        "aufgabe",
        "actividad",
        "tema",
        "tarea",
        "atividade",
        "tarefa",
        "activité",
        "activite",
        "sujet",
        "tâche",
        "attività",
        "argomento",
        "занятие",
        "тема",
        "задача",
    }
)
_FIELD_BY_NAME: Final = {name: key for key, names in _FIELD_NAMES.items() for name in names}
_HOURS_UNITS: Final = frozenset({"h", "hr", "hrs", "hour", "hours", "decimal", "in hours"})
_MINUTES_UNITS: Final = frozenset({"m", "min", "mins", "minute", "minutes", "in minutes"})
_REQUIRED: Final = REQUIRED_FIELDS
_REQUIRED_HELP: Final = {
    "date": "date (date, day, when)",
    "skill": "skill (skill, project, topic, subject, activity)",
    "duration": "duration (minutes, duration, hours, time spent)",
}
_HEADER_EXAMPLE: Final = "for example: Date, Skill, Minutes, Description"


def header_name(cell: object) -> tuple[str, str]:
    """Normalise a header cell: "Time_Spent (Hours):" -> ("time spent", "hours")."""
    text = "" if cell is None else str(cell).casefold().replace("_", " ").replace("-", " ")
    unit = " ".join(" ".join(re.findall(r"\(([^)]*)\)", text)).split())
    base = re.sub(r"[^\w\s]", " ", re.sub(r"\([^)]*\)", " ", text))
    return " ".join(base.split()), unit


@dataclass(frozen=True, slots=True)
class Header:
    """Where each field sits in a header row."""

    columns: dict[str, int]
    hours: bool
    names: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """Whether date, skill and duration each have a column."""
        return all(key in self.columns for key in _REQUIRED)

    @property
    def missing(self) -> tuple[str, ...]:
        """The required fields without a column."""
        return tuple(key for key in _REQUIRED if key not in self.columns)

    def field_of(self, index: int) -> ColumnField | None:
        """What a column is read as, or None if it is ignored."""
        for key, column in self.columns.items():
            if column == index:
                if key == "duration":
                    return "hours" if self.hours else "minutes"
                if key in COLUMN_FIELDS:
                    return key
        return None


def _map_header(cells: Sequence[object]) -> Header:
    """Find the known columns in a row; the first column naming a field wins."""
    columns: dict[str, int] = {}
    hours = False
    names: list[str] = []
    either: list[int] = []
    for index, cell in enumerate(cells):
        base, unit = header_name(cell)
        names.append(base)
        key = _FIELD_BY_NAME.get(base)
        if key in {"minutes", "hours"}:
            if "duration" in columns:
                continue
            columns["duration"] = index
            hours = unit in _HOURS_UNITS or (key == "hours" and unit not in _MINUTES_UNITS)
        elif key is not None and key not in columns:
            columns[key] = index
        elif key is None and base in _EITHER_NAMES:
            either.append(index)
    for index in either:
        for key in ("skill", "description"):
            if key not in columns:
                columns[key] = index
                break
    return Header(columns, hours, tuple(names))


def chosen_header(cells: Sequence[object], choice: Mapping[int, ColumnField]) -> Header:
    """The header as the user mapped it in the preview (column -> field); unknown columns off."""
    columns: dict[str, int] = {}
    hours = False
    for index, field in sorted(choice.items()):
        key = "duration" if field in ("minutes", "hours") else field
        if 0 <= index < len(cells) and key not in columns:
            columns[key] = index
            hours = hours or field == "hours"
    return Header(columns, hours, tuple(header_name(cell)[0] for cell in cells))


def find_header(kept: Sequence[tuple[int, Sequence[object]]]) -> tuple[Header, int]:
    """Find the header among the first non-blank rows; return it and its position in ``kept``."""
    best: Header | None = None
    for position, (_number, cells) in enumerate(kept[:HEADER_SEARCH_ROWS]):
        header = _map_header(cells)
        if header.complete:
            return header, position
        if best is None or len(header.columns) > len(best.columns):
            best = header
    if best is None or not best.columns:
        raise DomainError(
            "I couldn't find a header row naming the columns. Put the column names in the "
            f"first row, {_HEADER_EXAMPLE}. " + ACCEPTED_FORMATS
        )
    missing = " and ".join(_REQUIRED_HELP[key] for key in _REQUIRED if key not in best.columns)
    raise DomainError(
        f"The header row has no column for {missing}. Name the columns in the first row, "
        f"{_HEADER_EXAMPLE}."
    )
