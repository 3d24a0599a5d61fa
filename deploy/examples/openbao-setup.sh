#!/usr/bin/env bash
# Prepares an OpenBao server for the examples in this folder: kubernetes and jwt auth, KV v2,
# PKI, transit, optionally a database and an OpenBao namespace, and one least-privileged policy
# and role per use. Tenant team-a (Kubernetes namespace team-a) gets the examples; tenant
# team-b exists to show that team-a's roles cannot read its paths.
#
# Safe to run again: it only enables what is missing and overwrites its own policies and roles.
#
# Usage, with the bao CLI and an admin token:
#   BAO_ADDR=https://openbao.example.com:8200 BAO_TOKEN=... ./openbao-setup.sh
# or through the OpenBao pod, where the cluster's CA and address are at hand (deploy/e2e does this):
#   BAO_EXEC="kubectl exec -i -n openbao openbao-0 -- env BAO_TOKEN=root" ./openbao-setup.sh
#
# Environment:
#   BAO_EXEC         command prefix that runs `bao` somewhere else (split on spaces)
#   K8S_HOST         Kubernetes API as OpenBao reaches it     (https://kubernetes.default.svc)
#   K8S_CA_FILE      its CA, as a path where `bao` runs        (the service account ca.crt)
#   K8S_REVIEWER_JWT token OpenBao uses for TokenReview; only when OpenBao runs outside the
#                    cluster (in a pod it uses its own service account)
#   K8S_ISSUER       service account issuer, for the jwt mount (https://kubernetes.default.svc.cluster.local)
#   AUDIENCE         audience of the tokens the CSI driver requests (openbao)
#   POSTGRES_URL     e.g. postgresql://{{username}}:{{password}}@postgres.openbao.svc:5432/app?sslmode=disable
#                    with POSTGRES_USER and POSTGRES_PASSWORD: configures the database example
#   SKIP_JWT=1       leave out the jwt mount (needs anonymous access to the cluster's OIDC discovery)
#   SKIP_NAMESPACES=1  leave out the OpenBao namespace (servers older than OpenBao 2.3, Vault CE)
set -euo pipefail

K8S_HOST="${K8S_HOST:-https://kubernetes.default.svc}"
K8S_CA_FILE="${K8S_CA_FILE:-/var/run/secrets/kubernetes.io/serviceaccount/ca.crt}"
K8S_ISSUER="${K8S_ISSUER:-https://kubernetes.default.svc.cluster.local}"
AUDIENCE="${AUDIENCE:-openbao}"

bao() {
  if [[ -n "${BAO_EXEC:-}" ]]; then
    local -a prefix
    read -r -a prefix <<<"${BAO_EXEC}"
    "${prefix[@]}" bao "$@"
  else
    command bao "$@"
  fi
}

log() { printf '==> %s\n' "$*" >&2; }

# enable_auth PATH TYPE [-namespace=NS]
enable_auth() {
  bao read "${@:3}" "sys/auth/$1" >/dev/null 2>&1 || bao auth enable "${@:3}" -path="$1" "$2"
}

# enable_secrets PATH TYPE [-namespace=NS]
enable_secrets() {
  bao read "${@:3}" "sys/mounts/$1" >/dev/null 2>&1 || bao secrets enable "${@:3}" -path="$1" "$2"
}

# kubernetes_role NAME SERVICE_ACCOUNT K8S_NAMESPACE POLICY [-namespace=NS]
# Short TTLs: the provider logs in again when a token expires, and a leaked token dies soon.
kubernetes_role() {
  bao write "${@:5}" "auth/kubernetes/role/$1" \
    bound_service_account_names="$2" \
    bound_service_account_namespaces="$3" \
    audience="${AUDIENCE}" \
    token_policies="$4" \
    token_ttl=20m \
    token_max_ttl=1h >/dev/null
}

configure_kubernetes_auth() {
  local -a args=(kubernetes_host="${K8S_HOST}")
  if [[ -n "${K8S_REVIEWER_JWT:-}" ]]; then
    args+=(token_reviewer_jwt="${K8S_REVIEWER_JWT}" kubernetes_ca_cert=@"${K8S_CA_FILE}")
  fi
  bao write "$@" auth/kubernetes/config "${args[@]}" >/dev/null
}

log "kubernetes auth"
enable_auth kubernetes kubernetes
configure_kubernetes_auth

log "KV v2 at secret/ with one secret per tenant"
enable_secrets secret kv-v2
bao kv put secret/team-a/app username=app password=s3cr3t >/dev/null
bao kv put secret/team-b/app username=team-b password=team-b-only >/dev/null

# Policies grant exactly the request each example makes. The `default` policy, attached to
# every login, already lets a token renew its own leases (sys/leases/renew).
log "policies"
for tenant in team-a team-b; do
  bao policy write "${tenant}-kv-read" - >/dev/null <<EOF
# Read-only, and only this tenant's tree: no list, no metadata, no write, no other tenant.
path "secret/data/${tenant}/*" {
  capabilities = ["read"]
}
EOF
done
bao policy write team-a-db - >/dev/null <<'EOF'
path "database/creds/team-a-app" {
  capabilities = ["read"]
}
EOF
bao policy write team-a-pki - >/dev/null <<'EOF'
# Issue from this one role; no signing of arbitrary CSRs, no reading the CA's key.
path "pki/issue/team-a" {
  capabilities = ["update"]
}
EOF
bao policy write team-a-files - >/dev/null <<'EOF'
# files.yaml: formats and templates read secrets; a folder mount lists it; versionHistory reads metadata.
path "secret/data/team-a/*" {
  capabilities = ["read"]
}
path "secret/metadata/team-a/*" {
  capabilities = ["read", "list"]
}
path "pki/issue/team-a" {
  capabilities = ["update"]
}
EOF
bao policy write team-a-transit - >/dev/null <<'EOF'
# Decrypt only: the pod can open its envelope but not seal new ones or touch the key.
path "transit/decrypt/team-a" {
  capabilities = ["update"]
}
EOF

log "kubernetes auth roles"
# The read-only worker: bound to one service account in one Kubernetes namespace, and its
# policy names only that tenant's path, so it cannot read team-b even with a SecretProviderClass
# that asks for it.
kubernetes_role team-a-worker worker team-a team-a-kv-read
kubernetes_role team-b-worker worker team-b team-b-kv-read
kubernetes_role team-a-db db-app team-a team-a-db
kubernetes_role team-a-pki pki-app team-a team-a-pki
kubernetes_role team-a-files files-app team-a team-a-files
kubernetes_role team-a-transit transit-app team-a team-a-transit

log "PKI"
enable_secrets pki pki
bao secrets tune -max-lease-ttl=8760h pki >/dev/null
if ! bao list pki/issuers >/dev/null 2>&1; then
  bao write -field=certificate pki/root/generate/internal \
    common_name="example.com root" issuer_name=root ttl=8760h >/dev/null
fi
bao write pki/roles/team-a \
  allowed_domains=team-a.example.com \
  allow_subdomains=true \
  max_ttl=72h >/dev/null

log "transit"
enable_secrets transit transit
bao read transit/keys/team-a >/dev/null 2>&1 || bao write -f transit/keys/team-a >/dev/null

log "database"
if [[ -n "${POSTGRES_URL:-}" ]]; then
  enable_secrets database database
  bao write database/config/team-a-postgres \
    plugin_name=postgresql-database-plugin \
    connection_url="${POSTGRES_URL}" \
    username="${POSTGRES_USER:?POSTGRES_USER is required with POSTGRES_URL}" \
    password="${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required with POSTGRES_URL}" \
    allowed_roles=team-a-app >/dev/null
  bao write database/roles/team-a-app \
    db_name=team-a-postgres \
    creation_statements="CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'; GRANT SELECT ON ALL TABLES IN SCHEMA public TO \"{{name}}\";" \
    default_ttl=1h \
    max_ttl=24h >/dev/null
else
  # Without POSTGRES_URL the database example has nothing to read. The commands are:
  #   bao secrets enable database
  #   bao write database/config/team-a-postgres plugin_name=postgresql-database-plugin \
  #     connection_url='postgresql://{{username}}:{{password}}@postgres:5432/app' \
  #     username=postgres password=... allowed_roles=team-a-app
  #   bao write database/roles/team-a-app db_name=team-a-postgres default_ttl=1h max_ttl=24h \
  #     creation_statements="CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';"
  log "skipped: POSTGRES_URL is not set"
fi

if [[ "${SKIP_JWT:-}" != 1 ]]; then
  log "jwt auth"
  enable_auth jwt jwt
  bao write auth/jwt/config \
    oidc_discovery_url="${K8S_ISSUER}" \
    oidc_discovery_ca_pem=@"${K8S_CA_FILE}" >/dev/null
  bao write auth/jwt/role/team-a-worker \
    role_type=jwt \
    bound_audiences="${AUDIENCE}" \
    user_claim=sub \
    bound_subject=system:serviceaccount:team-a:worker \
    token_policies=team-a-kv-read \
    token_ttl=20m \
    token_max_ttl=1h >/dev/null
fi

if [[ "${SKIP_NAMESPACES:-}" != 1 ]]; then
  log "OpenBao namespace team-a"
  ns=-namespace=team-a
  bao namespace lookup team-a >/dev/null 2>&1 || bao namespace create team-a >/dev/null
  enable_auth kubernetes kubernetes "${ns}"
  configure_kubernetes_auth "${ns}"
  enable_secrets secret kv-v2 "${ns}"
  bao kv put "${ns}" secret/app greeting=hello-from-namespace >/dev/null
  bao policy write "${ns}" worker - >/dev/null <<'EOF'
path "secret/data/app" {
  capabilities = ["read"]
}
EOF
  kubernetes_role worker worker team-a worker "${ns}"
fi

log "done"
