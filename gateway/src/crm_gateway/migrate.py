"""`python -m crm_gateway.migrate`: create the gateway database if needed and migrate it."""

from pathlib import Path

from crm_core.migrations import upgrade
from crm_gateway.settings import GatewaySettings


def main() -> None:
    upgrade(Path(__file__).parent / "migrations", GatewaySettings().database_url)


if __name__ == "__main__":
    main()
