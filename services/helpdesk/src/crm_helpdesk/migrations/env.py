from crm_core.migrations import run_env
from crm_helpdesk import models

run_env(models.Base.metadata)
