"""`python -m crm_helpdesk`: serve until SIGTERM."""

from crm_core.event_loop import run_event_loop
from crm_helpdesk.main import build

if __name__ == "__main__":
    run_event_loop(build().run())
