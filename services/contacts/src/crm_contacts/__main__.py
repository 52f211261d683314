"""`python -m crm_contacts`: serve until SIGTERM."""

import asyncio

from crm_contacts.main import build

if __name__ == "__main__":
    asyncio.run(build().run())
