{{/*
Everything a CRM workload needs, in one include. An application chart's
template is just:  {{ include "crm-service.all" . }}
Each object can also be included on its own (crm-service.deployment,
.service, .hpa, .pdb, .servicemonitor, .ingress, .migrations).
*/}}
{{- define "crm-service.all" -}}
{{- include "crm-service.migrations" . }}
{{- include "crm-service.deployment" . }}
{{- include "crm-service.service" . }}
{{- include "crm-service.hpa" . }}
{{- include "crm-service.pdb" . }}
{{- include "crm-service.servicemonitor" . }}
{{- include "crm-service.ingress" . }}
{{- end -}}
