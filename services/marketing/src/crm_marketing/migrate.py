"""`python -m crm_marketing.migrate`: create the database if needed and migrate it to head."""

from pathlib import Path

from crm_core.migrations import upgrade
from crm_core.settings import ServiceSettings
from crm_marketing import DOMAIN


def main() -> None:
    upgrade(Path(__file__).parent / "migrations", ServiceSettings.for_domain(DOMAIN).database_url)


if __name__ == "__main__":
    main()
