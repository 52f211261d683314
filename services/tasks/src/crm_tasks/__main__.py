"""`python -m crm_tasks`: serve until SIGTERM."""

import asyncio

from crm_tasks.main import build

if __name__ == "__main__":
    asyncio.run(build().run())
