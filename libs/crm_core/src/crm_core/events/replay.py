"""Admin command: re-publish recent events from a service's outbox after a broker loss.

    python -m crm_core.events.replay --database-url postgresql+asyncpg://…/crm_contacts --since-minutes 1440

Marks the outbox rows sent in that window as pending again; the running
service's relay publishes them anew. Consumers' inboxes drop what they
already handled, so the replay is harmless where nothing was lost.
"""

from __future__ import annotations

import argparse
import asyncio

from crm_core.db import Database
from crm_core.events.relay import republish_since


async def _replay(url: str, minutes: int) -> int:
    db = Database(url, pool_size=1)
    try:
        return await republish_since(db, minutes)
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="the service's database (CRM_<DOMAIN>_DATABASE_URL)")
    parser.add_argument(
        "--since-minutes", type=int, required=True, help="re-publish events sent in this many last minutes"
    )
    args = parser.parse_args()
    count = asyncio.run(_replay(args.database_url, args.since_minutes))
    print(f"{count} events marked for re-publishing")


if __name__ == "__main__":
    main()
