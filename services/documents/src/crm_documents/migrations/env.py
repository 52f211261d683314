from crm_core.migrations import run_env
from crm_documents import models

run_env(models.Base.metadata)
