{{/* Ingress (networking.k8s.io/v1), when ingress.enabled: the gateway's way in. */}}
{{- define "crm.workload.ingress" -}}
{{- $ing := .v.ingress }}
{{- if $ing.enabled }}
{{- $fullname := include "crm.workload.fullname" . }}
{{- $_ := include "crm.workload.portNumber" (dict "w" . "port" $ing.port) }}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ $fullname }}
  labels:
    {{- include "crm.workload.labels" . | nindent 4 }}
  {{- with $ing.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- with $ing.className }}
  ingressClassName: {{ . }}
  {{- end }}
  {{- with $ing.tls }}
  tls:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  rules:
    {{- range $ing.hosts }}
    - host: {{ .host | quote }}
      http:
        paths:
          {{- range .paths }}
          - path: {{ .path }}
            pathType: {{ .pathType | default "Prefix" }}
            backend:
              service:
                name: {{ $fullname }}
                port:
                  name: {{ $ing.port }}
          {{- end }}
    {{- end }}
{{- end }}
{{- end -}}
