{{/*
Helpers of the workload templates. Each takes one workload as
(dict "root" $ "name" <its name> "v" <its values>); see crm.workloads.
*/}}

{{/* global (list root "a" "b"): .Values.global.a.b or "" */}}
{{- define "crm.global" -}}
{{- $root := index . 0 -}}
{{- $node := $root.Values.global | default dict -}}
{{- range rest . -}}
{{- if kindIs "map" $node -}}
{{- $node = index $node . | default "" -}}
{{- else -}}
{{- $node = "" -}}
{{- end -}}
{{- end -}}
{{- $node -}}
{{- end -}}

{{/* <release>-<workload>, always: the gateway's targets and the Secrets' names are derived from it. */}}
{{- define "crm.workload.fullname" -}}
{{- printf "%s-%s" .root.Release.Name .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels: a Deployment's selector cannot change, so neither can these. */}}
{{- define "crm.workload.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .v.component }}
{{- end -}}

{{/* Labels without the component, for objects that are not the workload (the migrations Job). */}}
{{- define "crm.workload.commonLabels" -}}
{{ include "crm.chartLabels" .root }}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- with .root.Chart.AppVersion }}
app.kubernetes.io/version: {{ . | quote }}
{{- end }}
{{- end -}}

{{- define "crm.workload.labels" -}}
{{ include "crm.workload.commonLabels" . }}
app.kubernetes.io/component: {{ .v.component }}
{{- end -}}

{{- define "crm.workload.image" -}}
{{- $img := .v.image -}}
{{- $registry := $img.registry | default (include "crm.global" (list .root "image" "registry")) -}}
{{- $ref := ternary (printf "%s/%s" (trimSuffix "/" $registry) $img.repository) $img.repository (ne $registry "") -}}
{{- if $img.digest -}}
{{- printf "%s@%s" $ref $img.digest -}}
{{- else -}}
{{- $tag := $img.tag | default (include "crm.global" (list .root "image" "tag")) | default .root.Chart.AppVersion -}}
{{- printf "%s:%s" $ref (toString $tag) -}}
{{- end -}}
{{- end -}}

{{- define "crm.workload.imagePullPolicy" -}}
{{- .v.image.pullPolicy | default (include "crm.global" (list .root "image" "pullPolicy")) | default "IfNotPresent" -}}
{{- end -}}

{{- define "crm.workload.imagePullSecrets" -}}
{{- $global := (.root.Values.global | default dict).imagePullSecrets | default list -}}
{{- $secrets := concat $global (.v.imagePullSecrets | default list) -}}
{{- with $secrets }}
imagePullSecrets:
{{- range . }}
- name: {{ kindIs "map" . | ternary (get . "name") . }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The number of the port named `port` in the workload's ports: (dict "w" $w "port" name). */}}
{{- define "crm.workload.portNumber" -}}
{{- $entry := index .w.v.ports .port | default dict -}}
{{- required (printf "%s.ports.%s is not defined (referenced by probes, metrics or ingress)" .w.name .port) $entry.port -}}
{{- end -}}

{{- define "crm.workload.containerPorts" -}}
{{- range $name, $p := .v.ports }}
- name: {{ $name }}
  containerPort: {{ $p.port }}
  protocol: TCP
{{- end }}
{{- end -}}

{{/*
The Secret that signs the platform's tokens, as YAML {name, internalSecretKey,
jwtSecretKey}. Each field: the workload's signingSecret value, else
global.signingSecret's. The name then falls back to the generated
"<release>-signing" when global.signingSecret.generate is on.
*/}}
{{- define "crm.workload.signingSecret" -}}
{{- $root := .root -}}
{{- $own := .v.signingSecret | default dict -}}
{{- $name := $own.existingSecret | default (include "crm.global" (list $root "signingSecret" "existingSecret")) -}}
{{- if and (not $name) (eq (include "crm.global" (list $root "signingSecret" "generate")) "true") -}}
{{- $name = include "crm.signingSecret.name" $root -}}
{{- end -}}
{{- $name = required "global.signingSecret.existingSecret is required: name the Secret with the platform's signing secrets, keys internal-secret and jwt-secret (random, 32+ characters each; e.g. kubectl create secret generic <release>-signing --from-literal=internal-secret=$(openssl rand -hex 32) --from-literal=jwt-secret=$(openssl rand -hex 32)), or let the chart generate it (global.signingSecret.generate: true)." $name -}}
{{- $internalKey := $own.internalSecretKey | default (include "crm.global" (list $root "signingSecret" "internalSecretKey")) | default "internal-secret" -}}
{{- $jwtKey := $own.jwtSecretKey | default (include "crm.global" (list $root "signingSecret" "jwtSecretKey")) | default "jwt-secret" -}}
{{- if eq $internalKey $jwtKey -}}
{{- fail (printf "signingSecret: internalSecretKey and jwtSecretKey are both %q; the two secrets must differ" $internalKey) -}}
{{- end -}}
name: {{ tpl $name $root | quote }}
internalSecretKey: {{ $internalKey | quote }}
jwtSecretKey: {{ $jwtKey | quote }}
adminPasswordKey: {{ include "crm.global" (list $root "signingSecret" "adminPasswordKey") | default "admin-password" | quote }}
{{- end -}}

{{/*
Where a domain service reaches the gateway's identity module: identityTarget,
else global.identityTarget, else the gateway's headless Service on its
identity port.
*/}}
{{- define "crm.workload.identityTarget" -}}
{{- $root := .root -}}
{{- $target := .v.identityTarget | default (include "crm.global" (list $root "identityTarget")) -}}
{{- if not $target -}}
{{- $identity := (($root.Values.gateway | default dict).ports | default dict).identity | default dict -}}
{{- $target = printf "dns:///%s-gateway-grpc:%v" $root.Release.Name ($identity.port | default 50050) -}}
{{- end -}}
{{- tpl $target $root -}}
{{- end -}}

{{/*
Environment of the workload and of its migrations Job (one definition, so a
migration always sees the same database and settings as the service).
*/}}
{{- define "crm.workload.env" -}}
{{- $root := .root -}}
{{- $v := .v -}}
{{- range $name, $p := $v.ports }}
{{- $vars := kindIs "string" $p.env | ternary (list $p.env) ($p.env | default list) }}
{{- range $vars }}
- name: {{ . }}
  value: {{ $p.port | quote }}
{{- end }}
{{- end }}
- name: CRM_LOG_LEVEL
  value: {{ $v.logLevel | default (include "crm.global" (list $root "logLevel")) | default "INFO" | quote }}
- name: CRM_DEFAULT_LANGUAGE
  value: {{ include "crm.global" (list $root "defaultLanguage") | default "ru" | quote }}
{{- with $v.natsUrl | default (include "crm.global" (list $root "natsUrl")) }}
- name: CRM_NATS_URL
  value: {{ tpl . $root | quote }}
{{- end }}
{{- if $v.secretsAsFiles }}
- name: CRM_SECRETS_DIR
  value: {{ include "crm.workload.secretsDir" . | quote }}
{{- else }}
{{- range include "crm.workload.secretRefs" . | fromYamlArray }}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret | quote }}
      key: {{ .key | quote }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end }}
{{- end }}
{{- if eq $v.component "service" }}
- name: CRM_IDENTITY_GRPC_TARGET
  value: {{ include "crm.workload.identityTarget" . | quote }}
{{- end }}
- name: OTEL_SERVICE_NAME
  value: {{ .name | quote }}
{{- /* The workload's own endpoint, else global.otelEndpoint, else the in-chart collector when it runs. */}}
{{- $otel := $v.otelEndpoint | default (include "crm.global" (list $root "otelEndpoint")) }}
{{- if and (not $otel) ($root.Values.otelCollector | default dict).enabled }}
{{- $otel = include "crm.otelCollector.endpoint" $root }}
{{- end }}
{{- with $otel }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ tpl . $root | quote }}
{{- end }}
{{- range $name, $value := $v.env }}
- name: {{ $name }}
  value: {{ tpl (toString $value) $root | quote }}
{{- end }}
{{- with $v.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "crm.workload.secretsDir" -}}/var/run/secrets/crm{{- end -}}

{{/*
Every secret variable of the workload, as a YAML list of {env, secret, key,
optional}: CRM_INTERNAL_SECRET (and the gateway's CRM_JWT_SECRET) from the
signing Secret, then secretEnv. Read as env variables, or, with
secretsAsFiles, as files named like the variables (crm.workload.secretVolume).
*/}}
{{- define "crm.workload.secretRefs" -}}
{{- $root := .root -}}
{{- $signing := include "crm.workload.signingSecret" . | fromYaml -}}
- {env: CRM_INTERNAL_SECRET, secret: {{ $signing.name | quote }}, key: {{ $signing.internalSecretKey | quote }}}
{{- if .v.signingSecret.jwt }}
- {env: CRM_JWT_SECRET, secret: {{ $signing.name | quote }}, key: {{ $signing.jwtSecretKey | quote }}}
{{- /* The first admin's password: generated with the signing secrets; optional in a Secret of your own
(without it, a gateway that finds no user refuses to start and says so). */}}
- {env: CRM_ADMIN_PASSWORD, secret: {{ $signing.name | quote }}, key: {{ $signing.adminPasswordKey | quote }}, optional: true}
{{- end }}
{{- range $name, $ref := .v.secretEnv }}
- env: {{ $name }}
  secret: {{ tpl (required (printf "secretEnv.%s.existingSecret is required" $name) $ref.existingSecret) $root | quote }}
  key: {{ required (printf "secretEnv.%s.key is required" $name) $ref.key | quote }}
  optional: {{ $ref.optional | default false }}
{{- end }}
{{- end -}}

{{/*
The workload's secrets as files (secretsAsFiles): one projected volume, a file
per variable named like it, read by crm_core.settings through CRM_SECRETS_DIR.
Files do not leak into child processes' environments or crash reports, and a
rotated Secret reaches the file without a new pod spec.
*/}}
{{- define "crm.workload.secretVolume" -}}
{{- if .v.secretsAsFiles }}
- name: secrets
  projected:
    defaultMode: 0440
    sources:
      {{- range include "crm.workload.secretRefs" . | fromYamlArray }}
      - secret:
          name: {{ .secret | quote }}
          items:
            - key: {{ .key | quote }}
              path: {{ .env }}
          {{- if .optional }}
          optional: true
          {{- end }}
      {{- end }}
{{- end }}
{{- end -}}

{{- define "crm.workload.secretMount" -}}
{{- if .v.secretsAsFiles }}
- name: secrets
  mountPath: {{ include "crm.workload.secretsDir" . }}
  readOnly: true
{{- end }}
{{- end -}}

{{- define "crm.workload.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end -}}
