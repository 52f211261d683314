from crm_core.migrations import run_env
from crm_helpdesk import knowledge_models, models, portal_models  # noqa: F401 - its tables join the metadata

run_env(models.Base.metadata)
