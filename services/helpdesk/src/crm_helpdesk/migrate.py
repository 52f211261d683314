"""`python -m crm_helpdesk.migrate`: create the database if needed and migrate it to head."""

from pathlib import Path

from crm_core.migrations import run_migrations
from crm_core.settings import ServiceSettings
from crm_helpdesk import DOMAIN


def main() -> None:
    run_migrations(DOMAIN, Path(__file__).parent / "migrations", ServiceSettings.for_domain(DOMAIN).database_url)


if __name__ == "__main__":
    main()
