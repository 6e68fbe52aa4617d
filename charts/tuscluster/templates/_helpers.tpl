{{- define "tuscluster.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "tuscluster.labels" -}}
app.kubernetes.io/name: tuscluster-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "tuscluster.selectorLabels" -}}
app.kubernetes.io/name: tuscluster-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "tuscluster.serviceAccountName" -}}
{{- default (include "tuscluster.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}
