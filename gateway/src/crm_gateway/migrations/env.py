from crm_core.migrations import run_env
from crm_gateway import idempotency, identity  # noqa: F401  (both register their tables)

run_env(identity.Base.metadata)
