{{/* Chart name, at most 63 characters (a DNS label). */}}
{{- define "strongbox.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Fully qualified name: RELEASE-NAME, or RELEASE if it already contains the name. */}}
{{- define "strongbox.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* chart label value: NAME-VERSION */}}
{{- define "strongbox.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels every object carries. */}}
{{- define "strongbox.labels" -}}
helm.sh/chart: {{ include "strongbox.chart" . }}
{{ include "strongbox.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Labels that select the pod. */}}
{{- define "strongbox.selectorLabels" -}}
app.kubernetes.io/name: {{ include "strongbox.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "strongbox.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "strongbox.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the root credentials and the KMS root key. */}}
{{- define "strongbox.secretName" -}}
{{- default (include "strongbox.fullname" .) .Values.existingSecret -}}
{{- end -}}

{{- define "strongbox.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The --drives argument: a brace range the server expands to /drives/d1 .. /drives/dN. */}}
{{- define "strongbox.drivesArg" -}}
{{- printf "/drives/d{1...%d}" (int .Values.drivesPerPod) -}}
{{- end -}}

{{/* storageClassName of a persistence block ("-" means the empty class); call only when set. */}}
{{- define "strongbox.storageClassName" -}}
{{- if eq .storageClass "-" -}}
""
{{- else -}}
{{- .storageClass | quote -}}
{{- end -}}
{{- end -}}

{{/* Fails the render on values the server would refuse at startup. */}}
{{- define "strongbox.validate" -}}
{{- $drives := int .Values.drivesPerPod -}}
{{- if or (lt $drives 1) (gt $drives 16) -}}
{{- fail "drivesPerPod must be 1 to 16 (one erasure set)" -}}
{{- end -}}
{{- if not (kindIs "invalid" .Values.server.parity) -}}
{{- if or (lt (int .Values.server.parity) 0) (gt (mul 2 .Values.server.parity) $drives) -}}
{{- fail "server.parity must be 0 to drivesPerPod/2 (never more parity than data shards)" -}}
{{- end -}}
{{- end -}}
{{- if not (or (eq .Values.server.auditMode "fail-closed") (eq .Values.server.auditMode "best-effort")) -}}
{{- fail "server.auditMode must be fail-closed or best-effort" -}}
{{- end -}}
{{- if not .Values.existingSecret -}}
{{- if ne (empty .Values.auth.rootAccessKey) (empty .Values.auth.rootSecretKey) -}}
{{- fail "set both auth.rootAccessKey and auth.rootSecretKey, or neither" -}}
{{- end -}}
{{- if and .Values.auth.rootAccessKey (lt (len .Values.auth.rootAccessKey) 3) -}}
{{- fail "auth.rootAccessKey must have at least 3 characters" -}}
{{- end -}}
{{- if and .Values.auth.rootSecretKey (lt (len .Values.auth.rootSecretKey) 8) -}}
{{- fail "auth.rootSecretKey must have at least 8 characters" -}}
{{- end -}}
{{- if and .Values.kms.rootKey (ne (len .Values.kms.rootKey) 44) -}}
{{- fail "kms.rootKey must be base64 of 32 bytes (44 characters: openssl rand -base64 32)" -}}
{{- end -}}
{{- end -}}
{{- if and .Values.metrics.serviceMonitor.enabled (not .Values.metrics.serviceMonitor.bearerTokenSecret.name) -}}
{{- fail "metrics.serviceMonitor.bearerTokenSecret.name is required: the metrics endpoint wants a bearer token" -}}
{{- end -}}
{{- end -}}
