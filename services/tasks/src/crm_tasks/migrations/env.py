from crm_core.migrations import run_env
from crm_tasks import models

run_env(models.Base.metadata)
