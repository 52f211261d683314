"""`python -m crm_documents`: serve until SIGTERM."""

from crm_core.event_loop import run_event_loop
from crm_documents.main import build

if __name__ == "__main__":
    run_event_loop(build().run())
