{{/*
ServiceMonitor (Prometheus Operator), only when serviceMonitor.enabled: the
CRD must exist in the cluster, and offline rendering cannot ask the cluster,
so the values flag is the guard (it stays off by default).
*/}}
{{- define "crm-service.servicemonitor" -}}
{{- include "crm-service.init" . -}}
{{- $sm := .Values.serviceMonitor }}
{{- if $sm.enabled }}
{{- $_ := include "crm-service.portNumber" (list . .Values.metrics.port) }}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "crm-service.fullname" . }}
  labels:
    {{- include "crm-service.labels" . | nindent 4 }}
    {{- with $sm.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "crm-service.selectorLabels" . | nindent 6 }}
  endpoints:
    - port: {{ .Values.metrics.port }}
      path: {{ .Values.metrics.path }}
      interval: {{ $sm.interval }}
      {{- with $sm.scrapeTimeout }}
      scrapeTimeout: {{ . }}
      {{- end }}
{{- end }}
{{- end -}}
