"""Real databases for tests: a migrated SQLite file per test, and PostgreSQL when configured."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

from sqlalchemy import text

from storage.db import create_engine
from storage.migrate import upgrade_to_head
from storage.models import Base

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"]


def sqlite_url(path: Path) -> str:
    """The aiosqlite URL of a file."""
    return f"sqlite+aiosqlite:///{path}"


async def migrate_fresh_sqlite(path: Path) -> None:
    """Create a SQLite file at `path` with the schema migrated to head."""
    engine = create_engine(sqlite_url(path))
    await upgrade_to_head(engine)
    await engine.dispose()


async def reset_postgres(url: str) -> None:
    """Drop everything in the test PostgreSQL database and migrate it to head."""
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await upgrade_to_head(engine)
    await engine.dispose()


async def truncate_postgres(url: str) -> None:
    """Empty every table (fast) between tests."""
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await engine.dispose()


class TemplateDatabases:
    """Migrate once per test session, then hand each test a clean copy."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._sqlite_template: Path | None = None
        self._postgres_ready = False

    def url_for(self, backend: str, tmp_path: Path) -> str:
        """A clean, migrated database URL for one test."""
        if backend == "sqlite":
            if self._sqlite_template is None:
                template = self._root / "template.db"
                asyncio.run(migrate_fresh_sqlite(template))
                self._sqlite_template = template
            target = tmp_path / "practice.db"
            shutil.copyfile(self._sqlite_template, target)
            return sqlite_url(target)
        if not self._postgres_ready:
            asyncio.run(reset_postgres(POSTGRES_URL))
            self._postgres_ready = True
        else:
            asyncio.run(truncate_postgres(POSTGRES_URL))
        return POSTGRES_URL
