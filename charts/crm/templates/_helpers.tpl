{{- define "crm.chartLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/part-of: crm
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "crm.labels" -}}
{{ include "crm.chartLabels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* NATS object names; global.natsUrl's default (nats://<release>-nats:4222) relies on them. */}}
{{- define "crm.nats.fullname" -}}
{{- printf "%s-nats" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "crm.nats.selectorLabels" -}}
app.kubernetes.io/name: nats
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: event-bus
{{- end -}}

{{- define "crm.nats.labels" -}}
{{ include "crm.chartLabels" . }}
{{ include "crm.nats.selectorLabels" . }}
{{- end -}}
