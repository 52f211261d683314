"""`python -m crm_tasks.migrate`: create the database if needed, migrate it to head, install shipped processes."""

import asyncio
from pathlib import Path

from crm_core.clock import Clock
from crm_core.db import Database
from crm_core.logging import get_logger
from crm_core.migrations import run_migrations
from crm_core.settings import ServiceSettings
from crm_tasks import DOMAIN
from crm_tasks.processes.commands import install_shipped

log = get_logger("crm.tasks.migrate")


async def _install(url: str, language: str) -> None:
    db = Database(url)
    try:
        installed = await install_shipped(db, Clock(), language=language)
    finally:
        await db.dispose()
    if installed:
        log.info("shipped_processes_installed", keys=installed, active=False)


def main() -> None:
    settings = ServiceSettings.for_domain(DOMAIN)
    url = settings.database_url
    run_migrations(DOMAIN, Path(__file__).parent / "migrations", url)
    asyncio.run(_install(url, settings.default_language))


if __name__ == "__main__":
    main()
