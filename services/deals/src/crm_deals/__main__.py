"""`python -m crm_deals`: serve until SIGTERM."""

import asyncio

from crm_deals.main import build

if __name__ == "__main__":
    asyncio.run(build().run())
