"""Reading practice history from files people send: our exports, spreadsheets and Toggl CSVs.

Accepted (the format is told by the content; the file name only sharpens the error message):
- our JSON export, versions 1 and 2: sessions, skills (goals, archive dates), evidence and user
  settings; a restore judges "future" dates in the time zone the file carries;
- our CSV export (the leading-quote formula neutralisation is undone);
- any CSV (comma, semicolon or tab) or XLSX (first sheet) whose header row names the columns
  in common words, in English and six other languages (headers.py); the user can change how
  each column is read in the preview (SheetChoices);
- Toggl Track's and Clockify's detailed CSV exports (Project -> skill, Start date -> date,
  Duration hh:mm:ss); Loop Habit Tracker's CSV zip or Checkmarks.csv (loop_habits.py).
Text is UTF-8 (BOM optional) or UTF-16 with a BOM; a UTF-8 file's stray non-UTF-8 lines are
read as Windows-1252 and counted, and a file with no UTF-8 at all is detected (decoding.py).

Decisions:
- Every session passes the same rules as /log (shared validators); a row that breaks one becomes
  a :class:`RowError` with every reason found, and the rest of the file still imports.
- A spreadsheet row with no description gets a generated one ("Imported practice: 45 min of
  React"), so Toggl entries without a description still import. A description that is present
  but too short is an error, as in /log. Our JSON export never gets generated text.
- Numeric dates: the file's own proof decides (28/10 is day first, 10/28 month first, when
  no date says the opposite); otherwise the user's order (SheetChoices.order, their setting or
  their answer); otherwise day first, and a file whose dates read either way is asked about in
  the preview (DateReading.needs_answer). A date whose first number is over 12 is day first.
- A sheet with no description column whose header names one takes the unnamed column of long
  free text, if there is one (shown in the preview as "its long text").
- Row numbers are the ones a spreadsheet shows (header = row 1, blank rows counted). In the JSON
  export, a session's row number is its position in "practice_logs", from 1; a problem with an
  evidence item is numbered by its position in "evidence" and its reason says "Evidence item N".
- Caps: 10 MB per file, 20,000 data rows (and 5 lines per allowed row, so a file of blank lines
  is refused quickly); XLSX: 50 MB unpacked, 1,000 zip entries, compression ratio 100 per big part.
- Seconds (Toggl's hh:mm:ss, Excel time cells) round to the nearest minute, halves up.

Modules (callers import from this package root; its ``__all__`` is the public API):
- reader: read_import, which tells the format from the bytes and decodes text;
- intake: caps, accepted file types, check_import_size, is_import_document;
- model: ImportFile, ImportRow, RowError and the rest of the result, dedupe keys;
- json_export: our JSON export; csv_sheets: CSV delimiter and rows; xlsx: safe XLSX reading;
- decoding: bytes -> text; loop_habits: Loop Habit Tracker's export;
- tables: sheet rows -> sessions for CSV and XLSX (our CSV, Toggl, any spreadsheet);
- headers: finding the header row and its columns; rows: one row -> session or RowError;
- cells: reading one cell (date, skill, duration, rating, description, timestamp).
"""

from __future__ import annotations

from bot.domain.import_format.headers import HEADER_SEARCH_ROWS
from bot.domain.import_format.intake import (
    ACCEPTED_FORMATS,
    IMPORT_EXTENSIONS,
    IMPORT_MIME_TYPES,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    check_import_size,
    has_import_caption,
    is_import_document,
)
from bot.domain.import_format.model import (
    DedupeKey,
    ImportEvidence,
    ImportFile,
    ImportKind,
    ImportRow,
    ImportSkill,
    RowError,
    dedupe_key,
    session_dedupe_key,
)
from bot.domain.import_format.reader import read_import
from bot.domain.import_format.xlsx import (
    MAX_XLSX_COMPRESSION_RATIO,
    MAX_XLSX_ENTRIES,
    MAX_XLSX_UNCOMPRESSED_BYTES,
)

__all__ = [
    "ACCEPTED_FORMATS",
    "HEADER_SEARCH_ROWS",
    "IMPORT_EXTENSIONS",
    "IMPORT_MIME_TYPES",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "MAX_XLSX_COMPRESSION_RATIO",
    "MAX_XLSX_ENTRIES",
    "MAX_XLSX_UNCOMPRESSED_BYTES",
    "DedupeKey",
    "ImportEvidence",
    "ImportFile",
    "ImportKind",
    "ImportRow",
    "ImportSkill",
    "RowError",
    "check_import_size",
    "dedupe_key",
    "has_import_caption",
    "is_import_document",
    "read_import",
    "session_dedupe_key",
]
