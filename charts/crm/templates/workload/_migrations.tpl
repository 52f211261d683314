{{/*
Migrations Job, a Helm hook: runs `migrations.command` (alembic upgrade head
inside the image) before the release's objects are created or upgraded, so new
code never starts against an old schema; a failed migration fails the release.
It is deleted before the next run and after success; a failed Job stays for
its logs. Its pods carry component=migrations, so the workload's Service and
PDB never select them.
*/}}
{{- define "crm.workload.migrations" -}}
{{- $v := .v }}
{{- $m := $v.migrations }}
{{- if $m.enabled }}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "crm.workload.fullname" . | trunc 55 | trimSuffix "-" }}-migrate
  labels:
    {{- include "crm.workload.commonLabels" . | nindent 4 }}
    app.kubernetes.io/component: migrations
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: "-5"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  backoffLimit: {{ $m.backoffLimit }}
  activeDeadlineSeconds: {{ $m.activeDeadlineSeconds }}
  template:
    metadata:
      labels:
        {{- include "crm.workload.commonLabels" . | nindent 8 }}
        app.kubernetes.io/component: migrations
      {{- with $m.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      restartPolicy: Never
      {{- with include "crm.workload.imagePullSecrets" . | trim }}
      {{- . | nindent 6 }}
      {{- end }}
      automountServiceAccountToken: false
      securityContext:
        {{- toYaml $v.podSecurityContext | nindent 8 }}
      containers:
        - name: migrate
          image: {{ include "crm.workload.image" . | quote }}
          imagePullPolicy: {{ include "crm.workload.imagePullPolicy" . }}
          command:
            {{- toYaml (required "migrations.command is required when migrations.enabled" $m.command) | nindent 12 }}
          env:
            {{- include "crm.workload.env" . | trim | nindent 12 }}
          {{- with $v.envFrom }}
          envFrom:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          resources:
            {{- toYaml ($m.resources | default $v.resources) | nindent 12 }}
          securityContext:
            {{- toYaml $v.securityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- include "crm.workload.secretMount" . | nindent 12 }}
      volumes:
        {{- include "crm.workload.tmpVolume" . | nindent 8 }}
        {{- include "crm.workload.secretVolume" . | nindent 8 }}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}
{{- end -}}
