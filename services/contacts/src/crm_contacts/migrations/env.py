from crm_contacts import models
from crm_core.migrations import run_env

run_env(models.Base.metadata)
