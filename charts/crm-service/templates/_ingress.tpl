{{/* Ingress (networking.k8s.io/v1), when ingress.enabled: the gateway's way in. */}}
{{- define "crm-service.ingress" -}}
{{- include "crm-service.init" . -}}
{{- $ing := .Values.ingress }}
{{- if $ing.enabled }}
{{- $fullname := include "crm-service.fullname" . }}
{{- $_ := include "crm-service.portNumber" (list . $ing.port) }}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ $fullname }}
  labels:
    {{- include "crm-service.labels" . | nindent 4 }}
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
