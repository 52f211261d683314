"""`python -m crm_tasks`: serve until SIGTERM."""

from crm_core.event_loop import run_event_loop
from crm_tasks.main import build

if __name__ == "__main__":
    run_event_loop(build().run())
