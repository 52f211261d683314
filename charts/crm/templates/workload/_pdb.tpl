{{/* PodDisruptionBudget (policy/v1), when pdb.enabled. */}}
{{- define "crm.workload.pdb" -}}
{{- $pdb := .v.pdb }}
{{- if $pdb.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "crm.workload.fullname" . }}
  labels:
    {{- include "crm.workload.labels" . | nindent 4 }}
spec:
  {{- if ne (toString $pdb.minAvailable) "" }}
  minAvailable: {{ $pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ $pdb.maxUnavailable }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "crm.workload.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end -}}
