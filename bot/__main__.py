"""`python -m bot`: settings -> migrations -> application -> polling or webhook.

`python -m bot migrate [--check]` only migrates (or reports pending migrations).
"""

from __future__ import annotations

import asyncio
import errno
import logging
import re
import socket
import sys

from bot.app import ALLOWED_UPDATES, build_application
from bot.config import (
    ConfigError,
    Settings,
    check_database_url,
    check_token,
    check_webhook,
    load_settings,
    sqlite_path,
)
from bot.core.logs import configure_logging
from bot.core.runtime import BotApp
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
        configure_logging(settings.log_level, _secrets(settings), salt=settings.log_hash_salt)
        check_database_url(settings)
        if argv[:1] == ["migrate"] and set(argv[1:]) <= {"--check"}:
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
        check_webhook(settings)
        if settings.webhook_url:
            _check_webhook_support()
            _check_port_free(settings.webhook_listen, settings.webhook_port)
        asyncio.run(_migrate(settings, check_only=False))
    except ConfigError as exc:
        print(f"Practice Tracker can't start: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    app = build_application(settings)
    _announce_start(app, settings)
    try:
        _run(app, settings)
    except OSError as exc:
        # Taken between the check at start-up and the server's own bind.
        if exc.errno != errno.EADDRINUSE:
            raise
        message = _port_in_use(settings.webhook_listen, settings.webhook_port)
        print(f"Practice Tracker can't start: {message}", file=sys.stderr)
        return EXIT_CONFIG
    return 0


def _port_in_use(listen: str, port: int) -> str:
    return (
        f"WEBHOOK_PORT: {listen}:{port} is already in use. Stop whatever listens there or set "
        "WEBHOOK_PORT to a free port (and point your reverse proxy at it)."
    )


def _check_port_free(listen: str, port: int) -> None:
    """Fail before migrating or registering the webhook if the server could not listen."""
    family = socket.AF_INET6 if ":" in listen else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As tornado does: a port in TIME_WAIT after a restart is free to use.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((listen, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ConfigError(_port_in_use(listen, port)) from None
            raise ConfigError(
                f"WEBHOOK_LISTEN/WEBHOOK_PORT: cannot listen on {listen}:{port} ({exc.strerror})."
            ) from None


def _run(app: BotApp, settings: Settings) -> None:
    """Serve updates until a stop signal: polling by default, a webhook with WEBHOOK_URL."""
    if not settings.webhook_url:
        app.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
        return
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    app.run_webhook(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        # PTB matches the path as a regular expression.
        url_path=re.escape(settings.webhook_path),
        webhook_url=settings.webhook_url,
        secret_token=secret,
        allowed_updates=ALLOWED_UPDATES,
        drop_pending_updates=False,
    )


def _announce_start(app: BotApp, settings: Settings) -> None:
    """Log the start-up line once the bot knows its own username (after getMe)."""
    publish_commands = app.post_init

    async def announce(application: BotApp) -> None:
        if publish_commands is not None:
            await publish_commands(application)
        where = (
            f" listen={settings.webhook_listen}:{settings.webhook_port}"
            f" path=/{settings.webhook_path}"
            if settings.webhook_url
            else ""
        )
        log.info(
            "starting: mode=%s database=%s bot=@%s concurrency=%d api=%s%s",
            settings.mode,
            settings.database_kind,
            application.bot.username,
            getattr(
                application.update_processor,
                "concurrency",
                application.update_processor.max_concurrent_updates,
            ),
            settings.telegram_api_url,
            where,
        )

    app.post_init = announce


def _secrets(settings: Settings) -> list[str]:
    """Values that must never appear in a log line."""
    secrets = [settings.token, settings.log_salt.get_secret_value()]
    if settings.webhook_secret is not None:
        secrets.append(settings.webhook_secret.get_secret_value())
    return secrets


def _check_webhook_support() -> None:
    """PTB's webhook server needs tornado (the `webhooks` extra)."""
    try:
        import tornado  # noqa: F401
    except ImportError:
        raise ConfigError(
            "Webhook mode needs python-telegram-bot's webhook server: "
            "pip install 'python-telegram-bot[webhooks]' (./run installs it)."
        ) from None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
