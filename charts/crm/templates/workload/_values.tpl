{{/*
The workloads' values: each entry of .Values.services, and .Values.gateway,
completed with what its name implies and then with .Values.defaults. A key
the entry sets wins, whatever its value (false, 0, "", [] included); maps are
filled key by key (Sprig's merge would let the default overwrite a false or a
0, so this does not use it).

  {{- $workloads := include "crm.workloads" . | fromYaml }}

gives {name: values} for every enabled workload (the services and "gateway").
Templates hand one workload to the object templates as
(dict "root" $ "name" $name "v" $values).
*/}}
{{- define "crm.workloads" -}}
{{- $root := . -}}
{{- $services := $root.Values.services | default dict -}}
{{- if hasKey $services "gateway" -}}
{{- fail "services.gateway: the gateway is configured under `gateway:`, not in `services:`" -}}
{{- end -}}
{{- $all := dict -}}
{{- range $name, $entry := $services -}}
{{- $v := deepCopy ($entry | default dict) -}}
{{- include "crm.fillMissing" (list $v (include "crm.serviceImplied" (list $name $v) | fromYaml)) -}}
{{- $_ := set $all $name $v -}}
{{- end -}}
{{- $gateway := deepCopy ($root.Values.gateway | default dict) -}}
{{- include "crm.fillMissing" (list $gateway (dict "calls" (keys $services | sortAlpha))) -}}
{{- $_ := set $all "gateway" $gateway -}}
{{- $out := dict -}}
{{- range $name, $v := $all -}}
{{- include "crm.fillMissing" (list $v (include "crm.nameImplied" $name | fromYaml)) -}}
{{- include "crm.fillMissing" (list $v (deepCopy ($root.Values.defaults | default dict))) -}}
{{- include "crm.fillMissing" (list $v (dict "env" (include "crm.callTargets" (list $root $name $v.calls) | fromYaml))) -}}
{{- if $v.enabled -}}
{{- $_ := set $out $name $v -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/* fillMissing (list dst src): copy into dst every key of src that dst lacks, recursing into maps. */}}
{{- define "crm.fillMissing" -}}
{{- $dst := index . 0 -}}
{{- range $key, $default := index . 1 -}}
{{- if not (hasKey $dst $key) -}}
{{- $_ := set $dst $key (deepCopy $default) -}}
{{- else if and (kindIs "map" $default) (kindIs "map" (index $dst $key)) -}}
{{- include "crm.fillMissing" (list (index $dst $key) $default) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* What every workload's name implies: image, commands, its database Secret. */}}
{{- define "crm.nameImplied" -}}
image:
  repository: crm/{{ . }}
command: [python, -m, crm_{{ . }}]
migrations:
  command: [python, -m, crm_{{ . }}.migrate]
# Secret to create before installing:
#   kubectl create secret generic <release>-{{ . }}-db \
#     --from-literal=url=postgresql+asyncpg://user:pass@host:5432/crm_{{ . }}
secretEnv:
  CRM_{{ upper . }}_DATABASE_URL:
    existingSecret: "{{ "{{" }} .Release.Name {{ "}}" }}-{{ . }}-db"
    key: url
{{- end -}}

{{/*
What a domain service's entry implies: (list name values). Its gRPC port
(grpcPort, as in crm_core/services.toml) and its metrics port. CRM_GRPC_PORT
is the platform contract; crm_core's ServiceSettings reads the per-domain
CRM_<NAME>_GRPC_PORT, so both are set.
*/}}
{{- define "crm.serviceImplied" -}}
{{- $name := index . 0 -}}
{{- $v := index . 1 -}}
{{- $NAME := upper $name -}}
component: service
ports:
  grpc:
    port: {{ required (printf "services.%s.grpcPort is required (the port in crm_core/services.toml)" $name) $v.grpcPort }}
    env: [CRM_GRPC_PORT, CRM_{{ $NAME }}_GRPC_PORT]
    appProtocol: grpc
  metrics:
    port: 9100
    env: [CRM_METRICS_PORT, CRM_{{ $NAME }}_METRICS_PORT]
{{- end -}}

{{/*
CRM_<NAME>_GRPC_TARGET for each service a workload calls: (list root caller
calls). The headless Service of the callee, so DNS answers every replica and
the client (crm_core.grpc_client, round_robin) spreads calls over them.
*/}}
{{- define "crm.callTargets" -}}
{{- $root := index . 0 -}}
{{- $caller := index . 1 -}}
{{- range $callee := index . 2 | default list }}
{{- $entry := index ($root.Values.services | default dict) $callee -}}
{{- if not $entry }}
{{- fail (printf "%s.calls: %q is not an entry of services:" $caller $callee) }}
{{- end }}
{{- $host := include "crm.workload.fullname" (dict "root" $root "name" $callee) }}
CRM_{{ upper $callee }}_GRPC_TARGET: {{ printf "dns:///%s-grpc:%v" $host $entry.grpcPort | quote }}
{{- end }}
{{- end -}}
