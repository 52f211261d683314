{{/*
ServiceMonitor (Prometheus Operator), only when serviceMonitor.enabled: the
CRD must exist in the cluster, and offline rendering cannot ask the cluster,
so the values flag is the guard (it stays off by default).
*/}}
{{- define "crm.workload.servicemonitor" -}}
{{- $sm := .v.serviceMonitor }}
{{- if $sm.enabled }}
{{- $_ := include "crm.workload.portNumber" (dict "w" . "port" .v.metrics.port) }}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "crm.workload.fullname" . }}
  labels:
    {{- include "crm.workload.labels" . | nindent 4 }}
    {{- with $sm.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "crm.workload.selectorLabels" . | nindent 6 }}
  endpoints:
    - port: {{ .v.metrics.port }}
      path: {{ .v.metrics.path }}
      # The processes label their series with their own `service` (the domain,
      # as in services:), which the alerts and dashboards select on; without this
      # the Operator's target label (the Kubernetes Service's name) would
      # replace it and rename ours to exported_service.
      honorLabels: true
      interval: {{ $sm.interval }}
      {{- with $sm.scrapeTimeout }}
      scrapeTimeout: {{ . }}
      {{- end }}
{{- end }}
{{- end -}}
