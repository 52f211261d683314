{{/*
Shared helpers of the crm-service library chart. Every resource template
starts with `include "crm-service.init" .`, which completes .Values with the
library defaults (values.yaml of this chart, which Helm places under
.Values.crm-service): a key the application chart or the user sets wins,
whatever its value (false, 0, "", [] included); maps are filled key by key.
*/}}

{{- define "crm-service.init" -}}
{{- $defaults := omit (index .Values "crm-service" | default dict) "global" -}}
{{- include "crm-service.fillMissing" (list .Values $defaults) -}}
{{- end -}}

{{/* fillMissing (list dst src): copy into dst every key of src that dst lacks, recursing into maps. */}}
{{- define "crm-service.fillMissing" -}}
{{- $dst := index . 0 -}}
{{- range $key, $default := index . 1 -}}
{{- if not (hasKey $dst $key) -}}
{{- $_ := set $dst $key (deepCopy $default) -}}
{{- else if and (kindIs "map" $default) (kindIs "map" (index $dst $key)) -}}
{{- include "crm-service.fillMissing" (list (index $dst $key) $default) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* global (list . "a" "b"): .Values.global.a.b or "" */}}
{{- define "crm-service.global" -}}
{{- $ctx := index . 0 -}}
{{- $keys := rest . -}}
{{- $node := $ctx.Values.global | default dict -}}
{{- range $keys -}}
{{- if kindIs "map" $node -}}
{{- $node = index $node . | default "" -}}
{{- else -}}
{{- $node = "" -}}
{{- end -}}
{{- end -}}
{{- $node -}}
{{- end -}}

{{- define "crm-service.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* <release>-<chart>, always: other charts derive service and secret names from it. */}}
{{- define "crm-service.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "crm-service.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "crm-service.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "crm-service.selectorLabels" -}}
app.kubernetes.io/name: {{ include "crm-service.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: {{ .Values.component }}
{{- end -}}

{{/* Labels without the component, for objects that are not the workload (the migrations Job). */}}
{{- define "crm-service.commonLabels" -}}
helm.sh/chart: {{ include "crm-service.chart" . }}
app.kubernetes.io/name: {{ include "crm-service.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: crm
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Chart.AppVersion }}
app.kubernetes.io/version: {{ . | quote }}
{{- end }}
{{- end -}}

{{- define "crm-service.labels" -}}
{{ include "crm-service.commonLabels" . }}
app.kubernetes.io/component: {{ .Values.component }}
{{- end -}}

{{- define "crm-service.image" -}}
{{- $img := .Values.image -}}
{{- $repository := required "image.repository is required" $img.repository -}}
{{- $registry := $img.registry | default (include "crm-service.global" (list . "image" "registry")) -}}
{{- $ref := ternary (printf "%s/%s" (trimSuffix "/" $registry) $repository) $repository (ne $registry "") -}}
{{- if $img.digest -}}
{{- printf "%s@%s" $ref $img.digest -}}
{{- else -}}
{{- $tag := $img.tag | default (include "crm-service.global" (list . "image" "tag")) | default .Chart.AppVersion -}}
{{- printf "%s:%s" $ref (toString $tag) -}}
{{- end -}}
{{- end -}}

{{- define "crm-service.imagePullPolicy" -}}
{{- .Values.image.pullPolicy | default (include "crm-service.global" (list . "image" "pullPolicy")) | default "IfNotPresent" -}}
{{- end -}}

{{/* The port number of the entry named `name` in .Values.ports: (list . name). */}}
{{- define "crm-service.portNumber" -}}
{{- $ctx := index . 0 -}}
{{- $name := index . 1 -}}
{{- $entry := index $ctx.Values.ports $name | default dict -}}
{{- required (printf "ports.%s is not defined (referenced by probes, metrics or ingress)" $name) $entry.port -}}
{{- end -}}

{{- define "crm-service.containerPorts" -}}
{{- range $name, $p := .Values.ports }}
- name: {{ $name }}
  containerPort: {{ $p.port }}
  protocol: TCP
{{- end }}
{{- end -}}

{{/*
The Secret that signs the platform's tokens, as YAML {name, internalSecretKey,
jwtSecretKey}. Each field: the workload's signingSecret value, else
global.signingSecret's. The name then falls back to "<release>-signing" only
when global.signingSecret.generate is on, which only the crm umbrella chart
sets (it generates that Secret); a workload chart installed on its own must
be told which Secret to read.
*/}}
{{- define "crm-service.signingSecret" -}}
{{- $own := .Values.signingSecret | default dict -}}
{{- $name := $own.existingSecret | default (include "crm-service.global" (list . "signingSecret" "existingSecret")) -}}
{{- if and (not $name) (eq (include "crm-service.global" (list . "signingSecret" "generate")) "true") -}}
{{- $name = printf "%s-signing" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- $name = required "signingSecret.existingSecret (or global.signingSecret.existingSecret) is required: name the Secret with the platform's signing secrets, keys internal-secret and jwt-secret (random, 32+ characters each; e.g. kubectl create secret generic <release>-signing --from-literal=internal-secret=$(openssl rand -hex 32) --from-literal=jwt-secret=$(openssl rand -hex 32)). The crm umbrella chart generates it unless global.signingSecret.generate is false." $name -}}
{{- $internalKey := $own.internalSecretKey | default (include "crm-service.global" (list . "signingSecret" "internalSecretKey")) | default "internal-secret" -}}
{{- $jwtKey := $own.jwtSecretKey | default (include "crm-service.global" (list . "signingSecret" "jwtSecretKey")) | default "jwt-secret" -}}
{{- if eq $internalKey $jwtKey -}}
{{- fail (printf "signingSecret: internalSecretKey and jwtSecretKey are both %q; the two secrets must differ" $internalKey) -}}
{{- end -}}
name: {{ tpl $name . | quote }}
internalSecretKey: {{ $internalKey | quote }}
jwtSecretKey: {{ $jwtKey | quote }}
{{- end -}}

{{/*
Environment of the workload and of its migrations Job (one definition, so a
migration always sees the same database and settings as the service).
*/}}
{{- define "crm-service.env" -}}
{{- $root := . -}}
{{- range $name, $p := .Values.ports }}
{{- $vars := kindIs "string" $p.env | ternary (list $p.env) ($p.env | default list) }}
{{- range $vars }}
- name: {{ . }}
  value: {{ $p.port | quote }}
{{- end }}
{{- end }}
- name: CRM_LOG_LEVEL
  value: {{ .Values.logLevel | default (include "crm-service.global" (list . "logLevel")) | default "INFO" | quote }}
{{- with .Values.natsUrl | default (include "crm-service.global" (list . "natsUrl")) }}
- name: CRM_NATS_URL
  value: {{ tpl . $root | quote }}
{{- end }}
{{- $signing := include "crm-service.signingSecret" . | fromYaml }}
- name: CRM_INTERNAL_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $signing.name | quote }}
      key: {{ $signing.internalSecretKey | quote }}
{{- if .Values.signingSecret.jwt }}
- name: CRM_JWT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $signing.name | quote }}
      key: {{ $signing.jwtSecretKey | quote }}
{{- end }}
{{- if eq .Values.component "service" }}
- name: CRM_IDENTITY_GRPC_TARGET
  value: {{ tpl (.Values.identityTarget | default (include "crm-service.global" (list . "identityTarget")) | default "dns:///{{ .Release.Name }}-gateway-grpc:50050") $root | quote }}
{{- end }}
- name: OTEL_SERVICE_NAME
  value: {{ include "crm-service.name" . | quote }}
{{- with .Values.otelEndpoint | default (include "crm-service.global" (list . "otelEndpoint")) }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ tpl . $root | quote }}
{{- end }}
{{- range $name, $ref := .Values.secretEnv }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ tpl (required (printf "secretEnv.%s.existingSecret is required" $name) $ref.existingSecret) $root | quote }}
      key: {{ required (printf "secretEnv.%s.key is required" $name) $ref.key | quote }}
      {{- if $ref.optional }}
      optional: true
      {{- end }}
{{- end }}
{{- range $name, $value := .Values.env }}
- name: {{ $name }}
  value: {{ tpl (toString $value) $root | quote }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "crm-service.imagePullSecrets" -}}
{{- $global := (.Values.global | default dict).imagePullSecrets | default list -}}
{{- $secrets := concat $global (.Values.imagePullSecrets | default list) -}}
{{- with $secrets }}
imagePullSecrets:
{{- range . }}
- name: {{ kindIs "map" . | ternary (get . "name") . }}
{{- end }}
{{- end }}
{{- end -}}
