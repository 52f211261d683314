"""`python -m crm_gateway.migrate`: create the gateway database if needed and migrate it."""

from pathlib import Path

from crm_core.migrations import run_migrations
from crm_gateway.settings import GatewaySettings


def main() -> None:
    run_migrations("gateway", Path(__file__).parent / "migrations", GatewaySettings().database_url)


if __name__ == "__main__":
    main()
