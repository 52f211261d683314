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

{{/*
Name of the generated signing Secret, which the workloads read
(crm.workload.signingSecret) when global.signingSecret.generate is on.
*/}}
{{- define "crm.signingSecret.name" -}}
{{- printf "%s-signing" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The generated signing Secret: (list . $found), $found being what `lookup`
returned for it (an empty map when it does not exist yet, or when no cluster
is asked: helm template, --dry-run). A key that exists keeps its value, so
upgrades never change the secrets; a missing key gets 48 random letters and
digits (Sprig's randAlphaNum reads crypto/rand: about 285 bits).
*/}}
{{- define "crm.signingSecret" -}}
{{- $ctx := index . 0 -}}
{{- $found := (index . 1).data | default dict -}}
{{- $s := $ctx.Values.global.signingSecret -}}
apiVersion: v1
kind: Secret
type: Opaque
metadata:
  name: {{ include "crm.signingSecret.name" $ctx }}
  labels:
    {{- include "crm.labels" $ctx | nindent 4 }}
    app.kubernetes.io/component: signing
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: "-10"
    helm.sh/hook-delete-policy: before-hook-creation
    helm.sh/resource-policy: keep
data:
  {{- range $key := list $s.internalSecretKey $s.jwtSecretKey ($s.adminPasswordKey | default "admin-password") }}
  {{ $key | quote }}: {{ index $found $key | default (randAlphaNum 48 | b64enc) | quote }}
  {{- end }}
{{- end -}}

{{/* OpenTelemetry Collector object names; the workloads' default OTLP endpoint relies on them. */}}
{{- define "crm.otelCollector.fullname" -}}
{{- printf "%s-otel-collector" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "crm.otelCollector.selectorLabels" -}}
app.kubernetes.io/name: otel-collector
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: telemetry
{{- end -}}

{{- define "crm.otelCollector.labels" -}}
{{ include "crm.chartLabels" . }}
{{ include "crm.otelCollector.selectorLabels" . }}
{{- end -}}

{{/* Where the workloads send spans when the in-chart collector runs: its OTLP gRPC port. */}}
{{- define "crm.otelCollector.endpoint" -}}
{{- printf "http://%s:4317" (include "crm.otelCollector.fullname" .) -}}
{{- end -}}

{{/* An image reference from {registry?, repository, tag, digest}: repo@sha256:... when a digest is set. */}}
{{- define "crm.imageRef" -}}
{{- if .digest -}}
{{- printf "%s@%s" .repository .digest -}}
{{- else -}}
{{- printf "%s:%s" .repository (toString .tag) -}}
{{- end -}}
{{- end -}}
