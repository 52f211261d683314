{{/*
NetworkPolicy of one workload (networkPolicy.enabled), default deny both ways
for its pods, then what the platform needs:
  in:  gRPC ports from the release's other workloads (the gateway calls the
       services, services call each other and the gateway's identity module);
       the gateway's http port from the ingress controller's namespace; the
       metrics port from Prometheus; networkPolicy.extraIngress.
  out: DNS; PostgreSQL; NATS; the OTLP collector; the release's workloads on
       their gRPC ports; networkPolicy.extraEgress.
(dict "root" $ "name" name "v" values "all" {name: values of every workload}).
Kubelet probes are not pod traffic and are not blocked.
*/}}
{{- define "crm.workload.networkpolicy" -}}
{{- $root := .root }}
{{- $np := $root.Values.networkPolicy }}
{{- if $np.enabled }}
{{- $v := .v }}
{{- $release := dict "app.kubernetes.io/instance" $root.Release.Name "app.kubernetes.io/part-of" "crm" }}
{{- $grpcPorts := list }}
{{- range $name, $p := $v.ports }}{{ if eq (toString $p.appProtocol) "grpc" }}{{ $grpcPorts = append $grpcPorts $p.port }}{{ end }}{{ end }}
{{- $allGrpc := list }}
{{- range $other, $ov := .all }}{{ range $name, $p := $ov.ports }}{{ if eq (toString $p.appProtocol) "grpc" }}{{ $allGrpc = append $allGrpc $p.port }}{{ end }}{{ end }}{{ end }}
{{- $metricsPort := include "crm.workload.portNumber" (dict "w" . "port" $v.metrics.port) }}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "crm.workload.fullname" . }}
  labels:
    {{- include "crm.workload.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "crm.workload.selectorLabels" . | nindent 6 }}
  policyTypes: [Ingress, Egress]
  ingress:
    {{- with $grpcPorts }}
    - from:
        - podSelector:
            matchLabels:
              {{- toYaml $release | nindent 14 }}
      ports:
        {{- range . }}
        - port: {{ . }}
          protocol: TCP
        {{- end }}
    {{- end }}
    {{- if $v.ingress.port }}
    {{- if eq $v.component "gateway" }}
    - from:
        - namespaceSelector:
            {{- include "crm.networkPolicy.namespaceSelector" $np.ingressController | nindent 12 }}
          {{- with $np.ingressController.podSelector }}
          podSelector:
            {{- toYaml . | nindent 12 }}
          {{- end }}
      ports:
        - port: {{ include "crm.workload.portNumber" (dict "w" . "port" $v.ingress.port) }}
          protocol: TCP
    {{- end }}
    {{- end }}
    - from:
        - namespaceSelector:
            {{- include "crm.networkPolicy.namespaceSelector" $np.prometheus | nindent 12 }}
          {{- with $np.prometheus.podSelector }}
          podSelector:
            {{- toYaml . | nindent 12 }}
          {{- end }}
      ports:
        - port: {{ $metricsPort }}
          protocol: TCP
    {{- with $np.extraIngress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  egress:
    {{- include "crm.networkPolicy.dnsEgress" $root | nindent 4 }}
    {{- include "crm.networkPolicy.egressTo" (dict "peer" $np.postgresql "ports" (list $np.postgresql.port)) | nindent 4 }}
    {{- if $root.Values.nats.enabled }}
    - to:
        - podSelector:
            matchLabels:
              {{- include "crm.nats.selectorLabels" $root | nindent 14 }}
      ports:
        - port: 4222
          protocol: TCP
    {{- else }}
    {{- include "crm.networkPolicy.egressTo" (dict "peer" $np.nats "ports" (list $np.nats.port)) | nindent 4 }}
    {{- end }}
    {{- /* OTLP: to an endpoint of the values (networkPolicy.otlp), else to the in-chart collector, else nowhere. */}}
    {{- if $v.otelEndpoint | default (include "crm.global" (list $root "otelEndpoint")) }}
    {{- include "crm.networkPolicy.egressTo" (dict "peer" $np.otlp "ports" (list $np.otlp.port)) | nindent 4 }}
    {{- else if $root.Values.otelCollector.enabled }}
    - to:
        - podSelector:
            matchLabels:
              {{- include "crm.otelCollector.selectorLabels" $root | nindent 14 }}
      ports:
        - port: 4317
          protocol: TCP
    {{- end }}
    - to:
        - podSelector:
            matchLabels:
              {{- toYaml $release | nindent 14 }}
      ports:
        {{- range $allGrpc | uniq }}
        - port: {{ . }}
          protocol: TCP
        {{- end }}
    {{- with $np.extraEgress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- if $v.migrations.enabled }}
---
# The migrations Job's pods: nothing comes in; out only DNS and PostgreSQL.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "crm.workload.fullname" . | trunc 55 | trimSuffix "-" }}-migrate
  labels:
    {{- include "crm.workload.commonLabels" . | nindent 4 }}
    app.kubernetes.io/component: migrations
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: {{ .name }}
      app.kubernetes.io/instance: {{ $root.Release.Name }}
      app.kubernetes.io/component: migrations
  policyTypes: [Ingress, Egress]
  egress:
    {{- include "crm.networkPolicy.dnsEgress" $root | nindent 4 }}
    {{- include "crm.networkPolicy.egressTo" (dict "peer" $np.postgresql "ports" (list $np.postgresql.port)) | nindent 4 }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Egress to the cluster DNS (networkPolicy.dns.podSelector, in any namespace). */}}
{{- define "crm.networkPolicy.dnsEgress" -}}
- to:
    - namespaceSelector: {}
      podSelector:
        {{- toYaml .Values.networkPolicy.dns.podSelector | nindent 8 }}
  ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- end -}}

{{/* The release's CRM workloads (every Deployment of the workload template carries these labels). */}}
{{- define "crm.networkPolicy.releasePods" -}}
podSelector:
  matchLabels:
    app.kubernetes.io/instance: {{ .Release.Name }}
    app.kubernetes.io/part-of: crm
{{- end -}}

{{/*
An egress rule to a peer outside the chart: (dict "peer" {cidrs, namespaceSelector,
podSelector} "ports" list). No cidr and no selector: any destination on those ports.
*/}}
{{- define "crm.networkPolicy.egressTo" -}}
{{- $peer := .peer -}}
- ports:
    {{- range .ports }}
    - port: {{ . }}
      protocol: TCP
    {{- end }}
  {{- if or $peer.cidrs $peer.namespaceSelector $peer.podSelector }}
  to:
    {{- range $peer.cidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
    {{- if or $peer.namespaceSelector $peer.podSelector }}
    - {{- with $peer.namespaceSelector }}
      namespaceSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $peer.podSelector }}
      podSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- end }}
  {{- end }}
{{- end -}}

{{/* {namespace, namespaceSelector}: the selector when set, else the namespace by its name label. */}}
{{- define "crm.networkPolicy.namespaceSelector" -}}
{{- if .namespaceSelector -}}
{{ toYaml .namespaceSelector }}
{{- else -}}
matchLabels:
  kubernetes.io/metadata.name: {{ required "networkPolicy: a namespace or a namespaceSelector is required" .namespace }}
{{- end -}}
{{- end -}}
