"""`python -m crm_contacts`: serve until SIGTERM."""

from crm_contacts.main import build
from crm_core.event_loop import run_event_loop

if __name__ == "__main__":
    run_event_loop(build().run())
