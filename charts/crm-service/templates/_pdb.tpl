{{/* PodDisruptionBudget (policy/v1), when pdb.enabled. */}}
{{- define "crm-service.pdb" -}}
{{- include "crm-service.init" . -}}
{{- $pdb := .Values.pdb }}
{{- if $pdb.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "crm-service.fullname" . }}
  labels:
    {{- include "crm-service.labels" . | nindent 4 }}
spec:
  {{- if ne (toString $pdb.minAvailable) "" }}
  minAvailable: {{ $pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ $pdb.maxUnavailable }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "crm-service.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end -}}
