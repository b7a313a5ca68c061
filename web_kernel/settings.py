"""Configuration from the environment (the names are part of the public contract)."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    instance_path: Path
    database_url: str
    secret_key: str
    redis_url: str | None = None
    sms_backend: str = "log"
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_from_number: str | None = None
    rate_limits: bool = True
    public_url: str | None = None
    proxy_hops: int = 0
    kiosk_idle_seconds: int = 90
    kiosk_warn_seconds: int = 20
    console_idle_seconds: int = 30 * 60
    no_show_after_seconds: int = 5 * 60
    callback_attempts: int = 3
    callback_retry_minutes: int = 15
    secure_cookies: bool = False
    # Besides the public URL's host, the Host names the server answers for (a second name,
    # an internal one); without a public URL (demo, tests) any host.
    allowed_hosts: tuple[str, ...] = ()
    # Slow clients and connection floods (frontdoor/http_handler.py).
    header_timeout_seconds: float = 10.0
    body_timeout_seconds: float = 30.0
    max_connections_per_address: int = 50

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        instance = Path(env.get("FRONTDOOR_INSTANCE_PATH") or Path.cwd() / "instance").resolve()
        database_url = env.get("FRONTDOOR_DATABASE_URL") or _default_database(instance)
        return cls(
            instance_path=instance,
            database_url=database_url,
            secret_key=env.get("FRONTDOOR_SECRET_KEY") or _kept_secret(instance),
            redis_url=env.get("FRONTDOOR_REDIS_URL") or None,
            sms_backend=(env.get("FRONTDOOR_SMS_BACKEND") or "log").lower(),
            twilio_account_sid=env.get("TWILIO_ACCOUNT_SID") or None,
            twilio_auth_token=env.get("TWILIO_AUTH_TOKEN") or None,
            twilio_from_number=env.get("TWILIO_FROM_NUMBER") or None,
            rate_limits=(env.get("FRONTDOOR_RATE_LIMITS") or "on").lower() != "off",
            public_url=(env.get("FRONTDOOR_PUBLIC_URL") or "").rstrip("/") or None,
            proxy_hops=int(env.get("FRONTDOOR_PROXY_HOPS") or 0),
            kiosk_idle_seconds=_seconds(env.get("FRONTDOOR_KIOSK_IDLE_SECONDS"), 90),
            kiosk_warn_seconds=_seconds(env.get("FRONTDOOR_KIOSK_WARN_SECONDS"), 20),
            console_idle_seconds=_seconds(env.get("FRONTDOOR_CONSOLE_IDLE_SECONDS"), 30 * 60),
            no_show_after_seconds=_seconds(env.get("FRONTDOOR_NO_SHOW_AFTER_SECONDS"), 5 * 60),
            callback_attempts=max(1, _int(env.get("FRONTDOOR_CALLBACK_ATTEMPTS"), 3)),
            callback_retry_minutes=max(0, _int(env.get("FRONTDOOR_CALLBACK_RETRY_MINUTES"), 15)),
            # Behind HTTPS (a public URL starting https://), cookies are sent over TLS only.
            secure_cookies=(env.get("FRONTDOOR_PUBLIC_URL") or "").startswith("https://"),
            allowed_hosts=_names(env.get("FRONTDOOR_ALLOWED_HOSTS")),
            header_timeout_seconds=_positive(env.get("FRONTDOOR_HEADER_TIMEOUT_SECONDS"), 10.0),
            body_timeout_seconds=_positive(env.get("FRONTDOOR_BODY_TIMEOUT_SECONDS"), 30.0),
            # Behind a proxy every connection comes from the proxy: no cap unless asked for.
            max_connections_per_address=max(
                0,
                _int(
                    env.get("FRONTDOOR_MAX_CONNECTIONS_PER_ADDRESS"),
                    0 if _int(env.get("FRONTDOOR_PROXY_HOPS"), 0) else 50,
                ),
            ),
        )

    @property
    def webhook_token(self) -> str:
        """What webhook signatures are checked with: the Twilio account's auth token, or
        without one (the log backend) the server's own, derived from its secret key, with
        which the log backend's phone page signs the texts it sends."""
        if self.twilio_auth_token:
            return self.twilio_auth_token
        own = hmac.new(self.secret_key.encode(), b"frontdoor-webhook-token", hashlib.sha256)
        return own.hexdigest()

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _seconds(value: str | None, default: int) -> int:
    try:
        return max(5, int(value)) if value else default
    except ValueError:
        return default


def _names(value: str | None) -> tuple[str, ...]:
    return tuple(name.strip().lower() for name in (value or "").split(",") if name.strip())


def _positive(value: str | None, default: float) -> float:
    try:
        number = float(value) if value else default
    except ValueError:
        return default
    return number if number > 0 else default


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


def _private_folder(instance: Path) -> None:
    """The instance folder holds the database and the secret key: its owner's alone (700)."""
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)
    if instance.stat().st_mode & 0o077:
        instance.chmod(0o700)  # made by an older version, or by hand


def _default_database(instance: Path) -> str:
    _private_folder(instance)
    return f"sqlite:///{instance / 'frontdoor.sqlite3'}"


def _kept_secret(instance: Path) -> str:
    """Generated on first start and kept, so sessions and keyed hashes survive restarts."""
    _private_folder(instance)
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    elif path.stat().st_mode & 0o077:
        path.chmod(0o600)
    return path.read_text().strip()
