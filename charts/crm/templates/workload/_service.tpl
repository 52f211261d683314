{{/* ClusterIP Service exposing every named port (grpc + metrics, or http). */}}
{{- define "crm.workload.service" -}}
{{- $v := .v }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ include "crm.workload.fullname" . }}
  labels:
    {{- include "crm.workload.labels" . | nindent 4 }}
  {{- with $v.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ $v.service.type }}
  selector:
    {{- include "crm.workload.selectorLabels" . | nindent 4 }}
  ports:
    {{- range $name, $p := $v.ports }}
    - name: {{ $name }}
      port: {{ $p.port }}
      targetPort: {{ $name }}
      protocol: TCP
      {{- with $p.appProtocol }}
      appProtocol: {{ . }}
      {{- end }}
    {{- end }}
{{- $grpc := dict }}
{{- range $name, $p := $v.ports }}{{ if eq (toString $p.appProtocol) "grpc" }}{{ $_ := set $grpc $name $p }}{{ end }}{{ end }}
{{- if $grpc }}
---
# Headless twin of the Service for gRPC clients: its DNS name resolves to every
# ready pod, so clients (target dns:///<name>:<port>, round_robin policy) spread
# calls over all replicas instead of pinning one HTTP/2 connection to one pod
# behind a ClusterIP. Servers cap connection age, so clients re-resolve and
# pick up new replicas.
apiVersion: v1
kind: Service
metadata:
  name: {{ include "crm.workload.fullname" . }}-grpc
  labels:
    {{- include "crm.workload.labels" . | nindent 4 }}
spec:
  clusterIP: None
  selector:
    {{- include "crm.workload.selectorLabels" . | nindent 4 }}
  ports:
    {{- range $name, $p := $grpc }}
    - name: {{ $name }}
      port: {{ $p.port }}
      targetPort: {{ $name }}
      protocol: TCP
      appProtocol: grpc
    {{- end }}
{{- end }}
{{- end -}}
