"""`python -m bot`: settings -> migrations -> application -> polling or webhook.

`python -m bot migrate [--check]` only migrates (or reports pending migrations).
"""

from __future__ import annotations

import asyncio
import logging
import sys

from telegram import Update

from bot.app import build_application
from bot.config import (
    ConfigError,
    Settings,
    check_database_url,
    check_token,
    load_settings,
    sqlite_path,
)
from bot.logs import configure_logging
from storage.db import create_engine
from storage.migrate import pending_revisions, upgrade_to_head

log = logging.getLogger("bot")
EXIT_CONFIG = 2


async def _migrate(settings: Settings, *, check_only: bool) -> list[str]:
    path = sqlite_path(settings.database_url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.database_url)
    try:
        if check_only:
            return await pending_revisions(engine)
        await upgrade_to_head(engine)
        return []
    except Exception as exc:
        raise ConfigError(
            f"Could not open the database at DATABASE_URL ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0][:200]}). Check that the server is running and the URL, "
            "user and password are right, or unset DATABASE_URL to use the SQLite default."
        ) from None
    finally:
        await engine.dispose()


def main(argv: list[str]) -> int:
    """Run the bot or a maintenance command; returns the process exit code."""
    try:
        settings = load_settings()
        configure_logging(settings.log_level, [settings.token])
        check_database_url(settings)
        if argv[:1] == ["migrate"]:
            pending = asyncio.run(_migrate(settings, check_only="--check" in argv))
            if pending:
                print(f"{len(pending)} migration(s) pending: {', '.join(pending)}")
                return 1
            print("Database schema is up to date.")
            return 0
        if argv:
            print("Usage: python -m bot [migrate [--check]]", file=sys.stderr)
            return EXIT_CONFIG
        check_token(settings)
        asyncio.run(_migrate(settings, check_only=False))
    except ConfigError as exc:
        print(f"Practice Tracker can't start: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    app = build_application(settings)
    mode = "webhook" if settings.webhook_url else "polling"
    log.info(
        "starting: mode=%s database=%s api=%s",
        mode,
        settings.database_kind,
        settings.telegram_api_url,
    )
    app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
