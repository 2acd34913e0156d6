{{/*
picket.name is the chart name, or nameOverride.
*/}}
{{- define "picket.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
picket.fullname is the prefix of every resource name: fullnameOverride, or
the release name (with the chart name unless the release already has it).
*/}}
{{- define "picket.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
picket.labels are the labels of every resource.
*/}}
{{- define "picket.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "picket.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
picket.selectorLabels select the release's pods; they never change after
the first install (a Deployment's selector is immutable).
*/}}
{{- define "picket.selectorLabels" -}}
app.kubernetes.io/name: {{ include "picket.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
picket.serviceAccountName is the ServiceAccount the pods use.
*/}}
{{- define "picket.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "picket.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
picket.secretName is the Secret holding the key, the webhook secret and
the database URL: existingSecret, or the chart's.
*/}}
{{- define "picket.secretName" -}}
{{- default (include "picket.fullname" .) .Values.existingSecret }}
{{- end }}

{{/*
picket.image is repository:tag, or repository@digest when a digest is set.
*/}}
{{- define "picket.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
picket.multiReplica is "true" when more than one pod may run at once.
*/}}
{{- define "picket.multiReplica" -}}
{{- if or .Values.autoscaling.enabled (gt (int .Values.replicaCount) 1) }}true{{ end }}
{{- end }}

{{/*
picket.gracePeriod is the pod's terminationGracePeriodSeconds: the
configured value, or the shutdown timeout + 15 s. Picket lets running jobs
finish for the shutdown timeout, then spends up to 5 s cancelling the rest
and closes the store, so anything at or below timeout + 5 s could SIGKILL
a clean shutdown.
*/}}
{{- define "picket.gracePeriod" -}}
{{- $timeout := int .Values.config.shutdownTimeoutSeconds }}
{{- $grace := add $timeout 15 }}
{{- if ne (toString .Values.terminationGracePeriodSeconds) "" }}
{{- $grace = int .Values.terminationGracePeriodSeconds }}
{{- end }}
{{- if le $grace (add $timeout 5) }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must exceed config.shutdownTimeoutSeconds + 5 (%d): Kubernetes would kill Picket before its jobs are released" $grace (add $timeout 5)) }}
{{- end }}
{{- $grace }}
{{- end }}

{{/*
picket.validate fails the render on settings that cannot work.
*/}}
{{- define "picket.validate" -}}
{{- $driver := .Values.database.driver }}
{{- if not (has $driver (list "sqlite" "postgres")) }}
{{- fail (printf "database.driver must be \"sqlite\" or \"postgres\", not %q" $driver) }}
{{- end }}
{{- if and (include "picket.multiReplica" .) (ne $driver "postgres") }}
{{- fail "replicaCount > 1 and autoscaling need database.driver \"postgres\": SQLite is one file on one volume, written by one process. Set database.driver=postgres and database.url (or existingSecret), or run one replica." }}
{{- end }}
{{- if and (eq $driver "postgres") (not .Values.existingSecret) }}
{{- if not .Values.database.url }}
{{- fail "database.driver \"postgres\" needs database.url (postgres://USER:PASSWORD@HOST:5432/DB?sslmode=require), or existingSecret with the key secretKeys.databaseUrl" }}
{{- end }}
{{- if not (or (hasPrefix "postgres://" .Values.database.url) (hasPrefix "postgresql://" .Values.database.url)) }}
{{- fail "database.url must start with postgres:// or postgresql://" }}
{{- end }}
{{- end }}
{{- if lt (int .Values.config.shutdownTimeoutSeconds) 1 }}
{{- fail "config.shutdownTimeoutSeconds must be at least 1" }}
{{- end }}
{{- if and .Values.autoscaling.enabled (gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) }}
{{- fail "autoscaling.minReplicas must not exceed autoscaling.maxReplicas" }}
{{- end }}
{{- end }}
