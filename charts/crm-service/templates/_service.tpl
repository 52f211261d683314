{{/* ClusterIP Service exposing every named port (grpc + metrics, or http). */}}
{{- define "crm-service.service" -}}
{{- include "crm-service.init" . -}}
{{- $v := .Values }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ include "crm-service.fullname" . }}
  labels:
    {{- include "crm-service.labels" . | nindent 4 }}
  {{- with $v.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ $v.service.type }}
  selector:
    {{- include "crm-service.selectorLabels" . | nindent 4 }}
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
{{- end -}}
