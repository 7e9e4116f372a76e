"""Settings read once from the environment and `.env`, validated by pydantic."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/practice.db"
OFFICIAL_API_URL = "https://api.telegram.org"
# Telegram tokens look like "123456789:AAE..." (bot id, colon, 35-ish url-safe characters).
TOKEN_PATTERN = re.compile(r"^\d{3,15}:[A-Za-z0-9_-]{30,64}$")

BOTFATHER_HELP = (
    "To get one, open Telegram, talk to @BotFather, send /newbot and follow its steps; "
    "it replies with a token like 123456789:AAE-example. Put it in a .env file next to "
    "README.md as TELEGRAM_BOT_TOKEN=<token> (see .env.example), or export it in your shell."
)


class ConfigError(Exception):
    """The configuration cannot run the bot; the message says what to fix."""


class Settings(BaseSettings):
    """Everything the bot reads from its environment."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr = Field(default=SecretStr(""))
    database_url: str = DEFAULT_DATABASE_URL
    telegram_api_url: str = OFFICIAL_API_URL
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    default_timezone: str = "UTC"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    conversation_timeout_minutes: int = Field(default=30, ge=1, le=24 * 60)
    sweep_interval_seconds: float = Field(default=60.0, gt=0)

    # --- operations ---
    # Bot API calls per second that carry a chat_id (Telegram's bulk limit is about 30);
    # 0 turns the limiter off, e.g. for a bot Telegram granted a higher limit.
    rate_limit_per_second: float = Field(default=30.0, ge=0)
    # Salt for the hashed user ids in logs; empty: derived from the token, so every instance
    # of one bot hashes a user the same way without extra configuration.
    log_salt: SecretStr = Field(default=SecretStr(""))
    # Updates handled at once (different users; one user's stay in order). Unset: 4 on SQLite,
    # 8 on PostgreSQL; 1 handles them strictly one by one.
    concurrent_updates: int | None = Field(default=None, ge=1, le=256)
    # Seconds after which another instance (PostgreSQL) handles an update that the instance
    # which stored it has not marked done: it is taken to have died. On SQLite, a restart
    # handles every pending update at once.
    inbox_lease_seconds: float = Field(default=60.0, gt=0, le=3600)

    # --- send-ledger pruning ---
    # Minutes between prunes of the send ledger (old reminder and summary records).
    ledger_prune_interval_minutes: int = Field(default=60, ge=1, le=24 * 60)
    # Days a reminder's or summary's record is kept. Nothing reads one after its local day, so
    # the floor is only a margin; the default keeps about a month of history for support.
    ledger_retention_days: int = Field(default=35, ge=7, le=3660)

    # --- the practice timer ---
    # Minutes without a word from the user before the bot asks "Still practising?".
    timer_guard_minutes: int = Field(default=120, ge=5, le=24 * 60)
    # Minutes the question waits for an answer before the timer stops at the last time seen.
    timer_guard_answer_minutes: int = Field(default=30, ge=1, le=24 * 60)
    # Seconds between runs of the live-timer refresh job.
    timer_refresh_seconds: float = Field(default=30.0, gt=0)
    # Share of RATE_LIMIT_PER_SECOND the refreshes may use; the rest wait (a stale display).
    timer_refresh_share: float = Field(default=0.2, gt=0, le=1)

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _blank_webhook_is_polling(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("telegram_api_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError("TELEGRAM_API_URL must start with http:// or https://")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"DEFAULT_TIMEZONE {value!r} is not an IANA time zone") from exc
        return value

    @property
    def token(self) -> str:
        """The bot token as plain text (never log it)."""
        return self.telegram_bot_token.get_secret_value()

    @property
    def bot_api_base_url(self) -> str:
        """Base URL PTB prepends to the token for Bot API methods."""
        return f"{self.telegram_api_url}/bot"

    @property
    def bot_api_file_url(self) -> str:
        """Base URL PTB prepends to the token for file downloads."""
        return f"{self.telegram_api_url}/file/bot"

    @property
    def mode(self) -> str:
        """'webhook' when WEBHOOK_URL is set, else 'polling'."""
        return "webhook" if self.webhook_url else "polling"

    @property
    def webhook_path(self) -> str:
        """The path of WEBHOOK_URL without its leading slash ('' for the root)."""
        return urlsplit(self.webhook_url or "").path.lstrip("/")

    @property
    def log_hash_salt(self) -> str:
        """The salt that makes logged user-id hashes irreversible without a secret."""
        return self.log_salt.get_secret_value() or "log:" + self.token

    @property
    def database_kind(self) -> str:
        """'sqlite' or 'postgresql', from the URL's scheme."""
        return self.database_url.split(":", 1)[0].split("+", 1)[0]


def check_token(settings: Settings) -> None:
    """Raise ConfigError unless the token is present and shaped like a Telegram token."""
    token = settings.token.strip()
    if not token:
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is not set, so the bot cannot talk to Telegram. " + BOTFATHER_HELP
        )
    if not TOKEN_PATTERN.match(token):
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN does not look like a Telegram bot token "
            "(expected digits, a colon, then about 35 letters, digits, - or _). " + BOTFATHER_HELP
        )


# Telegram accepts 1-256 characters A-Z, a-z, 0-9, _ and - as a webhook secret token.
WEBHOOK_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
WEBHOOK_HOWTO = (
    "Make one with: python -c 'import secrets; print(secrets.token_urlsafe(32))' and put it in "
    ".env as WEBHOOK_SECRET=<secret>. Telegram sends it with every update so the bot can "
    "refuse requests that did not come from Telegram."
)


def check_webhook(settings: Settings) -> None:
    """Raise ConfigError unless webhook mode is off, or has an HTTPS URL and a valid secret."""
    if not settings.webhook_url:
        return
    parts = urlsplit(settings.webhook_url)
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(
            f"WEBHOOK_URL {settings.webhook_url!r} must be the public https:// address Telegram "
            "posts updates to, e.g. https://bot.example.com/telegram (Telegram only calls HTTPS "
            "URLs; put a TLS reverse proxy in front of the bot). Leave it empty for polling."
        )
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if not secret:
        raise ConfigError(
            "WEBHOOK_SECRET is not set, but webhook mode (WEBHOOK_URL) needs it. " + WEBHOOK_HOWTO
        )
    if not WEBHOOK_SECRET_PATTERN.match(secret):
        raise ConfigError(
            "WEBHOOK_SECRET may only contain letters, digits, _ and - (1 to 256 of them). "
            + WEBHOOK_HOWTO
        )


def check_database_url(settings: Settings) -> None:
    """Raise ConfigError unless DATABASE_URL names a backend this bot supports."""
    url = settings.database_url
    if url.startswith("sqlite+aiosqlite:///"):
        path = url.removeprefix("sqlite+aiosqlite:///")
        if path in ("", ":memory:"):
            raise ConfigError(
                "DATABASE_URL must name a SQLite file, e.g. "
                f"{DEFAULT_DATABASE_URL}; an in-memory database loses everything "
                "on restart."
            )
        return
    if url.startswith("postgresql+asyncpg://"):
        return
    raise ConfigError(
        f"DATABASE_URL {_redact(url)!r} is not supported. Use a SQLite file such as "
        f"{DEFAULT_DATABASE_URL} (the default) or PostgreSQL such as "
        "postgresql+asyncpg://user:password@localhost:5432/practice."
    )


def sqlite_path(url: str) -> Path | None:
    """The file path of a sqlite URL, or None for other backends."""
    prefix = "sqlite+aiosqlite:///"
    return Path(url.removeprefix(prefix)) if url.startswith(prefix) else None


def load_settings() -> Settings:
    """Read the settings, turning pydantic's errors into one ConfigError paragraph."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']).upper() or 'setting'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(
            f"The configuration is invalid: {problems}. "
            "Fix it in .env or the environment (see .env.example)."
        ) from None


def _redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):([^@]+)@", r"//\1:***@", url)
