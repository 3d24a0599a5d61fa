{{/* Chart name, or nameOverride. */}}
{{- define "openbao-csi-provider.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Name shared by every object of a release. A release named after the chart (the usual
`helm install openbao-csi-provider`) gets the bare name, the one the Go provider's objects have.
*/}}
{{- define "openbao-csi-provider.fullname" -}}
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
The DaemonSet's selector, immutable once created. It is the plain manifest's and the Go
provider's (app.kubernetes.io/name only), so the chart's default install and
deploy/openbao-csi-provider.yaml select the same pods and either can take over the other's
DaemonSet. A second release in the same namespace sets its own nameOverride (e.g.
vault-csi-provider), which keeps the selectors apart.
*/}}
{{- define "openbao-csi-provider.selectorLabels" -}}
app.kubernetes.io/name: {{ include "openbao-csi-provider.name" . }}
{{- end }}

{{- define "openbao-csi-provider.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "openbao-csi-provider.selectorLabels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: csi-provider
{{- end }}

{{/*
Pod labels leave out helm.sh/chart: a chart release that changes nothing in the pod should not
restart the provider on every node.
*/}}
{{- define "openbao-csi-provider.podLabels" -}}
{{ include "openbao-csi-provider.selectorLabels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: csi-provider
{{- end }}

{{/* The Secret holding the HMAC key; the Role grants `get` on exactly this name. */}}
{{- define "openbao-csi-provider.hmacSecretName" -}}
{{- default (printf "%s-hmac-key" (include "openbao-csi-provider.fullname" .)) .Values.hmacSecretName }}
{{- end }}

{{- define "openbao-csi-provider.image" -}}
{{- $repo := .Values.image.repository }}
{{- if .Values.image.registry }}
{{- $repo = printf "%s/%s" (trimSuffix "/" .Values.image.registry) .Values.image.repository }}
{{- end }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" $repo .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" $repo (default .Chart.AppVersion .Values.image.tag | toString) }}
{{- end }}
{{- end }}

{{/*
Renders a value the OpenBao chart accepts either as YAML or as a templated string:
(list <value> <root context>). Strings go through tpl, anything else through toYaml.
*/}}
{{- define "openbao-csi-provider.render" -}}
{{- $value := index . 0 }}
{{- if kindIs "string" $value }}
{{- tpl $value (index . 1) | trim }}
{{- else }}
{{- toYaml $value }}
{{- end }}
{{- end }}

{{/* Where openbao.tls.secretName is mounted. */}}
{{- define "openbao-csi-provider.tlsDir" -}}
/etc/openbao-csi-provider/tls
{{- end }}

{{/*
A TLS file value as a container path: a key of openbao.tls.secretName, or an absolute path to
a file the user mounted. (list <value> <root context>)
*/}}
{{- define "openbao-csi-provider.tlsPath" -}}
{{- $value := index . 0 }}
{{- $root := index . 1 }}
{{- if hasPrefix "/" $value }}
{{- $value }}
{{- else if $root.Values.openbao.tls.secretName }}
{{- printf "%s/%s" (include "openbao-csi-provider.tlsDir" $root) $value }}
{{- else }}
{{- fail (printf "openbao.tls: %q is a Secret key, so openbao.tls.secretName must be set (or give an absolute path to a file from volumeMounts)" $value) }}
{{- end }}
{{- end }}
