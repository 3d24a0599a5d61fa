{{/*
Whether the cluster serves the Prometheus operator's API. Monitoring objects are rendered only
then, so enabling them on a cluster without the operator's CRDs does not fail the install;
NOTES.txt says what was skipped. `helm template` asks for it with
`--api-versions monitoring.coreos.com/v1`.
*/}}
{{- define "openbao-csi-provider.monitoringApi" -}}
{{- if .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }}true{{ end }}
{{- end }}

{{/* The headless Service a ServiceMonitor finds the provider pods through. */}}
{{- define "openbao-csi-provider.metricsServiceName" -}}
{{- printf "%s-metrics" (include "openbao-csi-provider.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The scrape settings PodMonitor and ServiceMonitor endpoints share: (list <monitor values>).
The job label is the pods' (or Service's) app.kubernetes.io/name, openbao-csi-provider
unless nameOverride says otherwise, so both kinds give the same job and the alert rules'
`job=~".*openbao-csi-provider.*"` finds it.
*/}}
{{- define "openbao-csi-provider.scrapeEndpoint" -}}
{{- $monitor := index . 0 -}}
path: /metrics
{{- with $monitor.interval }}
interval: {{ . }}
{{- end }}
{{- with $monitor.scrapeTimeout }}
scrapeTimeout: {{ . }}
{{- end }}
{{- with $monitor.relabelings }}
relabelings:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $monitor.metricRelabelings }}
metricRelabelings:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
