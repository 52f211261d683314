"""`python -m crm_marketing`: serve until SIGTERM."""

import asyncio

from crm_marketing.main import build

if __name__ == "__main__":
    asyncio.run(build().run())
