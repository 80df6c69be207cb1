"""`python -m recoup_shared.migrate recoup_<name>`: apply the shared bus tables and one service's
forward-only SQL, then exit. The migrations Job (Kubernetes) and the `<name>-migrate` container
(docker-compose) run this from the service's own image before the service starts.

It needs only RECOUP_DATABASE_URL: no data keys or JWT settings, so the Job gets no more secrets
than it uses. Safe to run from several places at once (advisory lock in `migrate`).
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from pydantic_settings import BaseSettings, SettingsConfigDict

from .db import migrate_service
from .logging import configure_logging, get_logger
from .settings import ServiceSettings


class MigrationSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RECOUP_", extra="ignore", frozen=True)

    database_url: str = ServiceSettings.model_fields["database_url"].default
    service_name: str = "recoup-migrate"
    log_level: str = "INFO"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recoup_shared.migrate", description=__doc__)
    parser.add_argument("package", help="the service package whose migrations to apply, e.g. recoup_intake")
    args = parser.parse_args(argv)
    settings = MigrationSettings()
    configure_logging(settings.service_name, settings.log_level)
    log = get_logger("recoup_shared.migrate")
    applied = asyncio.run(migrate_service(settings.database_url, args.package))
    log.info("migrations done", package=args.package, applied=applied, count=len(applied))
    return 0


if __name__ == "__main__":
    sys.exit(main())
