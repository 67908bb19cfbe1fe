{{/*
Names, labels and the per-service facts every template shares. Templates that render one
object per service call these with (dict "root" $ "name" <service>).
*/}}

{{/* The services in dependency order; each has a block under .Values.services. */}}
{{- define "enclave.allServices" -}}
{{- list "tenant" "auth" "key-vault" "chat-gateway" "billing" "audit" | toJson -}}
{{- end -}}

{{/* Names of the enabled services, as a JSON list (use with fromJsonArray). */}}
{{- define "enclave.enabledServices" -}}
{{- $out := list -}}
{{- range $name := include "enclave.allServices" . | fromJsonArray -}}
{{- if (index $.Values.services $name).enabled -}}
{{- $out = append $out $name -}}
{{- end -}}
{{- end -}}
{{- $out | toJson -}}
{{- end -}}

{{- define "enclave.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* <release>-<chart>, or the release name alone when it already contains the chart name. */}}
{{- define "enclave.fullname" -}}
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

{{/* Name of one service's objects: <fullname>-<service>. */}}
{{- define "enclave.serviceFullname" -}}
{{- printf "%s-%s" (include "enclave.fullname" .root | trunc 50 | trimSuffix "-") .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "enclave.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "enclave.labels" -}}
helm.sh/chart: {{ include "enclave.chart" . }}
app.kubernetes.io/name: {{ include "enclave.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: enclave
enclave.io/tenancy: {{ .Values.tenancy.mode }}
{{- if .Values.tenancy.tenantId }}
enclave.io/tenant: {{ .Values.tenancy.tenantId | quote }}
{{- end }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels of one service's objects. */}}
{{- define "enclave.serviceLabels" -}}
{{ include "enclave.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* Immutable selector of one service's pods. */}}
{{- define "enclave.selectorLabels" -}}
app.kubernetes.io/name: {{ include "enclave.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* Selector of every pod of this release (the JWKS clients of auth). */}}
{{- define "enclave.releaseSelectorLabels" -}}
app.kubernetes.io/name: {{ include "enclave.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* metadata.annotations body (commonAnnotations), empty when none. */}}
{{- define "enclave.annotations" -}}
{{- with .Values.commonAnnotations }}
{{- toYaml . }}
{{- end }}
{{- end -}}

{{/* Image reference: repository[:tag][@digest]. */}}
{{- define "enclave.image" -}}
{{- $svc := index .root.Values.services .name -}}
{{- $img := .root.Values.image -}}
{{- $repo := $svc.image.repository -}}
{{- if not $repo -}}
{{- $registry := coalesce .root.Values.global.imageRegistry $img.registry -}}
{{- $repo = printf "%s/%s%s" $registry $img.repositoryPrefix .name -}}
{{- end -}}
{{- $tag := coalesce $svc.image.tag $img.tag .root.Chart.AppVersion | toString -}}
{{- if $svc.image.digest -}}
{{- printf "%s:%s@%s" $repo $tag $svc.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo $tag -}}
{{- end -}}
{{- end -}}

{{/* In-cluster DNS name of one service. */}}
{{- define "enclave.serviceHost" -}}
{{- printf "%s.%s.svc.%s" (include "enclave.serviceFullname" .) .root.Release.Namespace .root.Values.clusterDomain -}}
{{- end -}}

{{/* True ("true"/"") when the service serves gRPC. */}}
{{- define "enclave.servesGrpc" -}}
{{- $svc := index .root.Values.services .name -}}
{{- if and $svc.enabled (hasKey $svc "grpc") $svc.grpc.enabled -}}true{{- end -}}
{{- end -}}

{{/* Enabled gRPC servers that list this service among their callers (JSON list). */}}
{{- define "enclave.grpcServersCalledBy" -}}
{{- $out := list -}}
{{- range $server := include "enclave.enabledServices" .root | fromJsonArray -}}
{{- if include "enclave.servesGrpc" (dict "root" $.root "name" $server) -}}
{{- if has $.name (index $.root.Values.services $server).grpc.callers -}}
{{- $out = append $out $server -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- $out | toJson -}}
{{- end -}}

{{/*
Environment variable names read from the service's Secret (file keys such as kek.json excluded).
An optional key is read only when the chart-made Secret holds it (its value is set) or when the
Secret is an existing one (which may or may not hold it: the reference is then optional).
*/}}
{{- define "enclave.secretEnvNames" -}}
{{- $svc := index .root.Values.services .name -}}
{{- $optional := include "enclave.optionalSecretKeys" . | fromJsonArray -}}
{{- $out := list -}}
{{- if hasKey $svc "secret" -}}
{{- range $key := keys $svc.secret.values | sortAlpha -}}
{{- if not (contains "." $key) -}}
{{- if or (not (has $key $optional)) $svc.secret.existingSecret (index $svc.secret.values $key) -}}
{{- $out = append $out $key -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- $out | toJson -}}
{{- end -}}

{{/* Secret keys one service may leave empty (its config.ts reads them as optional). */}}
{{- define "enclave.optionalSecretKeys" -}}
{{- $byService := dict "auth" (list "SMTP_PASSWORD") "key-vault" (list "OPERATOR_TOKEN") "tenant" (list "OPERATOR_TOKEN") -}}
{{- default (list) (get $byService .name) | toJson -}}
{{- end -}}

{{/* Name of the Secret holding one service's secrets ("" when the service has none). */}}
{{- define "enclave.serviceSecretName" -}}
{{- $svc := index .root.Values.services .name -}}
{{- if hasKey $svc "secret" -}}
{{- default (include "enclave.serviceFullname" .) $svc.secret.existingSecret -}}
{{- end -}}
{{- end -}}

{{/* Name of the Secret the chart creates for inline external connection settings. */}}
{{- define "enclave.externalSecretName" -}}
{{- printf "%s-external" (include "enclave.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Data of the chart-made external Secret (only the inline settings), as YAML. */}}
{{- define "enclave.externalSecretData" -}}
{{- $v := .Values -}}
{{- if and (not $v.externalMongo.existingSecret) $v.externalMongo.url }}
{{ $v.externalMongo.existingSecretKey }}: {{ $v.externalMongo.url | b64enc | quote }}
{{- end }}
{{- if and (not $v.externalKafka.existingSecret) $v.externalKafka.brokers }}
{{ $v.externalKafka.existingSecretKey }}: {{ $v.externalKafka.brokers | b64enc | quote }}
{{- end }}
{{- if and (not $v.externalRedis.existingSecret) $v.externalRedis.url }}
{{ $v.externalRedis.existingSecretKey }}: {{ $v.externalRedis.url | b64enc | quote }}
{{- end }}
{{- end -}}

{{/* Data of the chart-made Secret of one service, as YAML (values required unless optional). */}}
{{- define "enclave.serviceSecretData" -}}
{{- $svc := index .root.Values.services .name -}}
{{- $optional := include "enclave.optionalSecretKeys" . | fromJsonArray -}}
{{- range $key, $value := $svc.secret.values }}
{{- if has $key $optional }}
{{- if $value }}
{{ $key }}: {{ $value | b64enc | quote }}
{{- end }}
{{- else }}
{{ $key }}: {{ required (printf "services.%s.secret.values.%s is required (or set services.%s.secret.existingSecret)" $.name $key $.name) $value | b64enc | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Where key-vault finds its key-encryption keys. */}}
{{- define "enclave.kekMountPath" -}}/var/run/secrets/enclave/kek{{- end -}}

{{/* Non-secret environment of one service (ConfigMap data), as YAML with quoted values. */}}
{{- define "enclave.configData" -}}
{{- $root := .root -}}
{{- $name := .name -}}
{{- $v := $root.Values -}}
{{- $svc := index $v.services $name -}}
{{- $env := dict -}}
{{- $_ := set $env "NODE_ENV" "production" -}}
{{- $_ := set $env "HTTP_HOST" "0.0.0.0" -}}
{{- $_ := set $env "HTTP_PORT" (toString $svc.ports.http) -}}
{{- $_ := set $env "LOG_LEVEL" (default $v.observability.logLevel $svc.logLevel) -}}
{{- $_ := set $env "MONGO_DB" (printf "%s%s" $v.externalMongo.databasePrefix (replace "-" "_" $name)) -}}
{{- $_ := set $env "KAFKA_ENABLED" (toString $svc.kafka.enabled) -}}
{{- if $v.services.auth.enabled -}}
{{- $_ := set $env "AUTH_JWKS_URL" (printf "http://%s:%v/v1/auth/jwks" (include "enclave.serviceHost" (dict "root" $root "name" "auth")) $v.services.auth.ports.http) -}}
{{- end -}}
{{- if hasKey $svc "grpc" -}}
{{- $_ := set $env "GRPC_ENABLED" (toString $svc.grpc.enabled) -}}
{{- if $svc.grpc.enabled -}}
{{- $_ := set $env "GRPC_PORT" (toString $svc.ports.grpc) -}}
{{- $trusted := dict -}}
{{- range $caller := $svc.grpc.callers -}}
{{- $_ := set $trusted $caller (required (printf "serviceIdentity.publicKeys.%s is required: %s is a gRPC caller of %s" $caller $caller $name) (index $v.serviceIdentity.publicKeys $caller)) -}}
{{- end -}}
{{- $_ := set $env "SERVICE_PUBLIC_KEYS" (toJson $trusted) -}}
{{- end -}}
{{- end -}}
{{- range $server := include "enclave.grpcServersCalledBy" . | fromJsonArray -}}
{{- $addr := printf "%s:%v" (include "enclave.serviceHost" (dict "root" $root "name" $server)) (index $v.services $server).ports.grpc -}}
{{- $_ := set $env (printf "%s_GRPC_ADDR" (upper (replace "-" "_" $server))) $addr -}}
{{- end -}}
{{- if $v.observability.otlpEndpoint -}}
{{- $_ := set $env "OTEL_EXPORTER_OTLP_ENDPOINT" $v.observability.otlpEndpoint -}}
{{- end -}}
{{- if $v.observability.metrics.enabled -}}
{{- $_ := set $env "METRICS_PORT" (toString $v.observability.metrics.port) -}}
{{- end -}}
{{- $c := $svc.config | default dict -}}
{{- if eq $name "tenant" -}}
{{- $_ := set $env "DEFAULT_MODEL" $c.defaultModel -}}
{{- $_ := set $env "TRUST_PROXY" (toString $c.trustProxy) -}}
{{- $_ := set $env "SIGN_UP_MODE" $c.signUp.mode -}}
{{- $_ := set $env "SIGN_UP_LIMIT_PER_IP" (toString (int64 $c.signUp.limitPerIp)) -}}
{{- $_ := set $env "SIGN_UP_LIMIT_PER_EMAIL" (toString (int64 $c.signUp.limitPerEmail)) -}}
{{- $_ := set $env "SIGN_UP_LIMIT_WINDOW_MS" (toString (int64 $c.signUp.windowMs)) -}}
{{- else if eq $name "auth" -}}
{{- $base := $c.publicBaseUrl -}}
{{- if and (not $base) $v.ingress.enabled -}}
{{- $base = printf "%s://%s" (ternary "https" "http" $v.ingress.tls.enabled) $v.ingress.host -}}
{{- end -}}
{{- $_ := set $env "PUBLIC_BASE_URL" (required "services.auth.config.publicBaseUrl is required when the ingress is disabled" $base) -}}
{{- $_ := set $env "COOKIE_SECURE" (toString $c.cookieSecure) -}}
{{- $_ := set $env "ACCESS_TOKEN_TTL_MS" (toString (int64 $c.accessTokenTtlMs)) -}}
{{- $_ := set $env "SESSION_TTL_MS" (toString (int64 $c.sessionTtlMs)) -}}
{{- $_ := set $env "MAIL_FROM" (required "services.auth.config.mailFrom is required" $c.mailFrom) -}}
{{- $_ := set $env "SMTP_HOST" (required "services.auth.config.smtp.host is required" $c.smtp.host) -}}
{{- $_ := set $env "SMTP_PORT" (toString $c.smtp.port) -}}
{{- $_ := set $env "SMTP_SECURE" (toString $c.smtp.secure) -}}
{{- if $c.smtp.user -}}
{{- $_ := set $env "SMTP_USER" $c.smtp.user -}}
{{- end -}}
{{- $_ := set $env "TRUST_PROXY" (toString $c.trustProxy) -}}
{{- else if eq $name "key-vault" -}}
{{- $_ := set $env "KEK_FILE" (printf "%s/kek.json" (include "enclave.kekMountPath" $root)) -}}
{{- if gt (int $c.kekActiveVersion) 0 -}}
{{- $_ := set $env "KEK_ACTIVE_VERSION" (toString (int $c.kekActiveVersion)) -}}
{{- end -}}
{{- $_ := set $env "ALLOW_PRIVATE_BASE_URLS" (toString $c.allowPrivateBaseUrls) -}}
{{- $_ := set $env "KEK_PROVIDER" $c.kekProvider -}}
{{- $_ := set $env "ROTATION_GRACE_MS" (toString (int64 $c.rotationGraceMs)) -}}
{{- $_ := set $env "RETIREMENT_SWEEP_INTERVAL_MS" (toString (int64 $c.retirementSweepIntervalMs)) -}}
{{- $_ := set $env "PROVIDER_TEST_TIMEOUT_MS" (toString (int64 $c.providerTestTimeoutMs)) -}}
{{- else if eq $name "chat-gateway" -}}
{{- $_ := set $env "SHUTDOWN_DRAIN_MS" (toString (int64 $c.shutdownDrainMs)) -}}
{{- /* One setting decides which provider base URLs key-vault stores and chat-gateway connects to. */ -}}
{{- $_ := set $env "ALLOW_PRIVATE_BASE_URLS" (toString (index $v.services "key-vault").config.allowPrivateBaseUrls) -}}
{{- $_ := set $env "RATE_LIMIT_PER_MINUTE" (toString (int64 $c.rateLimitPerMinute)) -}}
{{- else if eq $name "billing" -}}
{{- $_ := set $env "DEFAULT_MONTHLY_TOKEN_QUOTA" (toString (int64 $c.defaultMonthlyTokenQuota)) -}}
{{- else if eq $name "audit" -}}
{{- $_ := set $env "CHECKPOINT_INTERVAL_MS" (toString (int64 $c.checkpointIntervalMs)) -}}
{{- end -}}
{{- range $key, $value := $svc.extraEnv -}}
{{- $_ := set $env $key (toString $value) -}}
{{- end -}}
{{- range $key, $value := $env }}
{{ $key }}: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/* Fails the render with a clear message when the values cannot work together. */}}
{{- define "enclave.validate" -}}
{{- $v := .Values -}}
{{- if and (eq $v.tenancy.mode "dedicated") (not $v.tenancy.tenantId) -}}
{{- fail "tenancy.tenantId is required when tenancy.mode is dedicated" -}}
{{- end -}}
{{- $needKafka := false -}}
{{- $needRedis := false -}}
{{- range $name := include "enclave.enabledServices" . | fromJsonArray -}}
{{- $svc := index $v.services $name -}}
{{- if $svc.kafka.enabled }}{{ $needKafka = true }}{{ end -}}
{{- if $svc.redis.enabled }}{{ $needRedis = true }}{{ end -}}
{{- if and (include "enclave.servesGrpc" (dict "root" $ "name" $name)) (not $svc.ports.grpc) -}}
{{- fail (printf "services.%s.ports.grpc is required while gRPC is enabled" $name) -}}
{{- end -}}
{{- if and $svc.autoscaling.enabled (gt (int $svc.autoscaling.minReplicas) (int $svc.autoscaling.maxReplicas)) -}}
{{- fail (printf "services.%s.autoscaling.minReplicas is greater than maxReplicas" $name) -}}
{{- end -}}
{{- if hasKey $svc "grpc" -}}
{{- range $caller := $svc.grpc.callers -}}
{{- if not (has $caller (include "enclave.allServices" $ | fromJsonArray)) -}}
{{- fail (printf "services.%s.grpc.callers: unknown service %q" $name $caller) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- range $ext := list (list "externalMongo" $v.externalMongo.url true) (list "externalKafka" $v.externalKafka.brokers $needKafka) (list "externalRedis" $v.externalRedis.url $needRedis) -}}
{{- $key := index $ext 0 -}}
{{- $inline := index $ext 1 -}}
{{- $needed := index $ext 2 -}}
{{- $existing := (index $v $key).existingSecret -}}
{{- if and $inline $existing -}}
{{- fail (printf "%s: give either the inline setting or existingSecret, not both" $key) -}}
{{- end -}}
{{- if and $needed (not $inline) (not $existing) -}}
{{- fail (printf "%s: the connection setting or %s.existingSecret is required" $key $key) -}}
{{- end -}}
{{- end -}}
{{- /* Secret values are checked here, not by a schema pattern: helm would print the value. */ -}}
{{- $operatorToken := trim (index (index $v.services "key-vault").secret.values "OPERATOR_TOKEN") -}}
{{- if and $operatorToken (lt (len $operatorToken) 32) -}}
{{- fail "services.key-vault.secret.values.OPERATOR_TOKEN must be empty or at least 32 characters (e.g. openssl rand -base64 32)" -}}
{{- end -}}
{{- $tenant := $v.services.tenant -}}
{{- $signUpToken := trim (default "" $tenant.secret.values.OPERATOR_TOKEN) -}}
{{- if and $signUpToken (lt (len $signUpToken) 32) -}}
{{- fail "services.tenant.secret.values.OPERATOR_TOKEN must be empty or at least 32 characters (e.g. openssl rand -base64 32)" -}}
{{- end -}}
{{- if and $tenant.enabled (eq $tenant.config.signUp.mode "operator") (not $signUpToken) (not $tenant.secret.existingSecret) -}}
{{- fail "services.tenant.config.signUp.mode operator needs services.tenant.secret.values.OPERATOR_TOKEN (or an existingSecret holding it)" -}}
{{- end -}}
{{- if and $v.networkPolicy.enabled $v.networkPolicy.egress.enabled (not $v.networkPolicy.egress.extraTo) -}}
{{- fail "networkPolicy.egress.extraTo must allow Kafka, MongoDB and Redis when egress is restricted" -}}
{{- end -}}
{{- end -}}
