{{/*
Deployment of one CRM process. Probes are Kubernetes native gRPC probes
(grpc.health.v1, no probe binary in the image) for domain services, or
httpGet /healthz and /readyz for the gateway: probes.type chooses.
*/}}

{{- define "crm.workload.probe" -}}
{{- $ctx := index . 0 -}}
{{- $probe := index . 1 -}}
{{- $port := include "crm.workload.portNumber" (dict "w" $ctx "port" $ctx.v.probes.port) | int -}}
{{- if eq $ctx.v.probes.type "grpc" }}
grpc:
  port: {{ $port }}
  {{- with $probe.grpcService }}
  service: {{ . | quote }}
  {{- end }}
{{- else if eq $ctx.v.probes.type "http" }}
httpGet:
  path: {{ $probe.path }}
  port: {{ $ctx.v.probes.port }}
{{- else }}
{{- fail (printf "probes.type must be grpc or http, not %q" $ctx.v.probes.type) }}
{{- end }}
periodSeconds: {{ $probe.periodSeconds }}
timeoutSeconds: {{ $probe.timeoutSeconds }}
failureThreshold: {{ $probe.failureThreshold }}
{{- end -}}

{{- define "crm.workload.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end -}}

{{- define "crm.workload.deployment" -}}
{{- $v := .v }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "crm.workload.fullname" . }}
  labels:
    {{- include "crm.workload.labels" . | nindent 4 }}
spec:
  {{- if not $v.autoscaling.enabled }}
  replicas: {{ $v.replicaCount }}
  {{- end }}
  revisionHistoryLimit: {{ $v.revisionHistoryLimit }}
  {{- with $v.strategy }}
  strategy:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "crm.workload.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "crm.workload.labels" . | nindent 8 }}
        {{- with $v.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with $v.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      {{- with include "crm.workload.imagePullSecrets" . | trim }}
      {{- . | nindent 6 }}
      {{- end }}
      {{- with $v.serviceAccountName }}
      serviceAccountName: {{ . }}
      {{- end }}
      automountServiceAccountToken: false
      {{- with $v.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
      securityContext:
        {{- toYaml $v.podSecurityContext | nindent 8 }}
      containers:
        - name: {{ .name }}
          image: {{ include "crm.workload.image" . | quote }}
          imagePullPolicy: {{ include "crm.workload.imagePullPolicy" . }}
          {{- with $v.command }}
          command:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with $v.args }}
          args:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          ports:
            {{- include "crm.workload.containerPorts" . | trim | nindent 12 }}
          env:
            {{- include "crm.workload.env" . | trim | nindent 12 }}
          {{- with $v.envFrom }}
          envFrom:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- if $v.probes.startup.enabled }}
          startupProbe:
            {{- include "crm.workload.probe" (list . $v.probes.startup) | trim | nindent 12 }}
          {{- end }}
          livenessProbe:
            {{- include "crm.workload.probe" (list . $v.probes.liveness) | trim | nindent 12 }}
          readinessProbe:
            {{- include "crm.workload.probe" (list . $v.probes.readiness) | trim | nindent 12 }}
          {{- if gt (int $v.preStopSleepSeconds) 0 }}
          lifecycle:
            preStop:
              exec:
                command: ["sleep", "{{ $v.preStopSleepSeconds }}"]
          {{- end }}
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          securityContext:
            {{- toYaml $v.securityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- include "crm.workload.secretMount" . | nindent 12 }}
            {{- with $v.extraVolumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      volumes:
        {{- include "crm.workload.tmpVolume" . | nindent 8 }}
        {{- include "crm.workload.secretVolume" . | nindent 8 }}
        {{- with $v.extraVolumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- if $v.affinity }}
      affinity:
        {{- toYaml $v.affinity | nindent 8 }}
      {{- else if eq $v.podAntiAffinity "soft" }}
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector:
                  matchLabels:
                    {{- include "crm.workload.selectorLabels" . | nindent 20 }}
      {{- else if eq $v.podAntiAffinity "hard" }}
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - topologyKey: kubernetes.io/hostname
              labelSelector:
                matchLabels:
                  {{- include "crm.workload.selectorLabels" . | nindent 18 }}
      {{- end }}
      {{- with $v.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}
