"""Settings from the environment (prefix `KALKAN_`), built on demand — never at import time."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from classifiers.base import check_thresholds

Environment = Literal["dev", "demo", "test", "production"]

#: Values people paste from examples; refused outside dev/demo/test.
PLACEHOLDER_SECRETS = {"changeme", "change-me", "secret", "password", "kalkan", "example", "xxx"}


class Settings(BaseSettings):
    """Everything an operator configures; see README "Configuration"."""

    model_config = SettingsConfigDict(env_prefix="KALKAN_", env_file=".env", extra="ignore")

    env: Environment = "dev"
    data_dir: Path = Path("var")
    database_url: str = ""
    secret_key: SecretStr | None = Field(
        default=None, description="Master key material; generated into data_dir when unset."
    )
    host: str = "127.0.0.1"
    port: int = 8000
    timezone: str = "UTC"
    base_url: str = ""

    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "kalkan@localhost"
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = Field(default=30.0, gt=0)

    # Notifications (monitor/notify): officers are mailed about alerts at or above this
    # severity; an unacknowledged critical alert escalates after the deadline.
    notify_min_severity: Literal["medium", "high", "critical"] = "high"
    ack_deadline_minutes: int = Field(default=30, ge=1)
    # Weekly digest (monitor/digest): last ISO week's, on Monday from this hour (timezone).
    digest_enabled: bool = True
    digest_hour: int = Field(default=7, ge=0, le=23)

    # Classifier operating point: per-label thresholds replacing the shipped ones, as JSON,
    # e.g. KALKAN_CLASSIFIER_THRESHOLDS='{"threat": 0.5}' (model card: what each one trades).
    classifier_thresholds: dict[str, float] = Field(default_factory=dict)

    http_proxy: str | None = Field(
        default=None, description="Proxy for every collector, e.g. socks5://127.0.0.1:9050 (Tor)"
    )
    http_user_agent: str | None = None

    alert_group_window_minutes: int = 360
    high_reach_followers: int = 10_000
    pipeline_batch_size: int = 200
    scheduler_enabled: bool = True

    # Deletion recheck: evidence posts collected within the window are looked up again on
    # their platform, each at most once per `recheck_every_hours`, a batch per source per run.
    recheck_window_days: int = Field(default=30, ge=1)
    recheck_every_hours: int = Field(default=12, ge=1)
    recheck_batch_size: int = Field(default=25, ge=1, le=500)
    recheck_interval_minutes: int = Field(default=15, ge=1)

    @field_validator("classifier_thresholds")
    @classmethod
    def _known_labels_and_probabilities(cls, value: dict[str, float]) -> dict[str, float]:
        return check_thresholds(value)

    @model_validator(mode="after")
    def _fill_defaults_and_refuse_placeholders(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'kalkan.db'}"
        if self.secret_key is not None:
            value = self.secret_key.get_secret_value()
            weak = value.strip().lower() in PLACEHOLDER_SECRETS or len(value) < 32
            if weak and self.env == "production":
                raise ValueError(
                    "KALKAN_SECRET_KEY is a placeholder or shorter than 32 characters; "
                    "generate one with: "
                    "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
                )
        return self

    @property
    def mail_enabled(self) -> bool:
        """Whether an SMTP server is configured: without one nothing is ever mailed."""
        return bool(self.smtp_host)

    @property
    def public_url(self) -> str:
        """The dashboard's address for links in e-mails: KALKAN_BASE_URL, else host:port."""
        if self.base_url:
            return self.base_url.rstrip("/")
        return f"http://{self.host}:{self.port}"

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is the embedded SQLite file."""
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings()
