#!/usr/bin/env bash
# End-to-end test on a throwaway kind cluster: the Secrets Store CSI driver with tokenRequests
# and rotation, OpenBao in dev mode, this provider built from the working tree, and every
# example in deploy/examples, checked from inside the application pods.
#
# Needs: docker, kind, helm (3.8+), kubectl, jq, and network access to pull images and charts.
# None of these are on the development machine; run it on a workstation or a CI runner.
#
#   deploy/e2e/kind-e2e.sh
#
# Environment:
#   CLUSTER_NAME           kind cluster name                            (openbao-csi-e2e)
#   KIND_NODE_IMAGE        kindest/node image, to pick the Kubernetes version
#   KEEP_CLUSTER=1         leave the cluster running afterwards, to poke at it
#   REUSE_CLUSTER=1        use the existing cluster of that name (and keep it) instead of creating one
#   INSTALL_WITH           chart (default) or manifest: deploy/openbao-csi-provider.yaml
#   CSI_DRIVER_CHART_VERSION, OPENBAO_CHART_VERSION   pin the charts (default: latest)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLUSTER_NAME="${CLUSTER_NAME:-openbao-csi-e2e}"
INSTALL_WITH="${INSTALL_WITH:-chart}"
IMAGE="openbao-csi-provider:e2e"
BAO_SVC="http://openbao.openbao.svc:8200"
APP_NS="team-a"
TIMEOUT="180s"
# The driver re-reads at most this often; the rotation check waits a few multiples of it.
ROTATION_POLL_INTERVAL="15s"

for tool in docker kind helm kubectl jq; do
  command -v "${tool}" >/dev/null || { echo "kind-e2e.sh needs ${tool} on PATH" >&2; exit 2; }
done

log() { printf '\n==> %s\n' "$*" >&2; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

bao_in_pod() { kubectl exec -i -n openbao openbao-0 -- env BAO_TOKEN=root bao "$@"; }
in_app() { local pod="$1"; shift; kubectl exec -n "${APP_NS}" "${pod}" -- "$@"; }
read_file() { in_app "$1" cat "/mnt/secrets/$2"; }
# Through the symlink the driver's atomic writer puts in front of each file.
file_mode() { in_app "$1" stat -L -c '%a' "/mnt/secrets/$2"; }

expect_eq() {
  local what="$1" actual="$2" expected="$3"
  [[ "${actual}" == "${expected}" ]] || fail "${what}: expected '${expected}', got '${actual}'"
  echo "ok - ${what}"
}

expect_prefix() {
  local what="$1" actual="$2" prefix="$3"
  [[ "${actual}" == "${prefix}"* ]] || fail "${what}: expected it to start with '${prefix}'"
  echo "ok - ${what}"
}

diagnostics() {
  echo "---- diagnostics" >&2
  kubectl get pods -A -o wide >&2 || true
  kubectl describe pods -n "${APP_NS}" >&2 || true
  kubectl logs -n csi -l app.kubernetes.io/name=openbao-csi-provider --tail=200 --prefix >&2 || true
  kubectl logs -n kube-system -l app=secrets-store-csi-driver -c secrets-store --tail=100 --prefix >&2 || true
}

cleanup() {
  local status=$?
  if [[ ${status} -ne 0 ]]; then diagnostics; fi
  if [[ "${KEEP_CLUSTER:-}" == 1 || "${REUSE_CLUSTER:-}" == 1 ]]; then
    echo "cluster ${CLUSTER_NAME} kept (kind delete cluster --name ${CLUSTER_NAME})" >&2
  else
    kind delete cluster --name "${CLUSTER_NAME}" >/dev/null 2>&1 || true
  fi
  exit "${status}"
}

if [[ "${REUSE_CLUSTER:-}" != 1 ]]; then
  log "kind cluster ${CLUSTER_NAME}"
  kind create cluster --name "${CLUSTER_NAME}" --wait 120s ${KIND_NODE_IMAGE:+--image "${KIND_NODE_IMAGE}"}
fi
trap cleanup EXIT
kubectl config use-context "kind-${CLUSTER_NAME}" >/dev/null

log "provider image"
docker build -t "${IMAGE}" --build-arg VERSION=0.0.0-e2e "${ROOT}"
kind load docker-image "${IMAGE}" --name "${CLUSTER_NAME}"

log "Secrets Store CSI driver (tokenRequests for audience openbao, rotation every ${ROTATION_POLL_INTERVAL})"
helm upgrade --install csi-secrets-store secrets-store-csi-driver \
  --repo https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts \
  ${CSI_DRIVER_CHART_VERSION:+--version "${CSI_DRIVER_CHART_VERSION}"} \
  --namespace kube-system \
  --set 'tokenRequests[0].audience=openbao' \
  --set enableSecretRotation=true \
  --set rotationPollInterval="${ROTATION_POLL_INTERVAL}" \
  --wait --timeout 5m
expect_eq "CSIDriver token audience" \
  "$(kubectl get csidriver secrets-store.csi.k8s.io -o jsonpath='{.spec.tokenRequests[0].audience}')" openbao

log "OpenBao (dev mode, root token 'root') and PostgreSQL"
helm upgrade --install openbao openbao \
  --repo https://openbao.github.io/openbao-helm \
  ${OPENBAO_CHART_VERSION:+--version "${OPENBAO_CHART_VERSION}"} \
  --namespace openbao --create-namespace \
  --set server.dev.enabled=true \
  --set injector.enabled=false \
  --wait --timeout 5m
kubectl wait -n openbao --for=condition=Ready pod/openbao-0 --timeout="${TIMEOUT}"
kubectl apply -f "${ROOT}/deploy/e2e/postgres.yaml"
kubectl rollout status -n openbao deployment/postgres --timeout="${TIMEOUT}"
# The jwt example validates tokens against the cluster's OIDC discovery document, which the
# API server serves to anonymous callers only with this binding.
kubectl create clusterrolebinding oidc-discovery-anonymous \
  --clusterrole=system:service-account-issuer-discovery --group=system:unauthenticated \
  --dry-run=client -o yaml | kubectl apply -f -

log "OpenBao configuration (deploy/examples/openbao-setup.sh)"
BAO_EXEC="kubectl exec -i -n openbao openbao-0 -- env BAO_TOKEN=root" \
  POSTGRES_URL='postgresql://{{username}}:{{password}}@postgres.openbao.svc:5432/postgres?sslmode=disable' \
  POSTGRES_USER=postgres \
  POSTGRES_PASSWORD=e2e-only-password \
  "${ROOT}/deploy/examples/openbao-setup.sh"

log "openbao-csi-provider (${INSTALL_WITH})"
case "${INSTALL_WITH}" in
  chart)
    helm upgrade --install openbao-csi-provider "${ROOT}/charts/openbao-csi-provider" \
      --namespace csi --create-namespace \
      --set image.registry= \
      --set image.repository=openbao-csi-provider \
      --set image.tag=e2e \
      --set image.pullPolicy=Never \
      --set openbao.address="${BAO_SVC}" \
      --set logLevel=debug \
      --wait --timeout 5m
    ;;
  manifest)
    sed -e "s|image: .*openbao-csi-provider:.*|image: ${IMAGE}|" \
      -e "s|imagePullPolicy: IfNotPresent|imagePullPolicy: Never|" \
      -e "s|# - -openbao-addr=.*|- -openbao-addr=${BAO_SVC}|" \
      "${ROOT}/deploy/openbao-csi-provider.yaml" | kubectl apply -f -
    ;;
  *) fail "INSTALL_WITH must be chart or manifest, not ${INSTALL_WITH}" ;;
esac
kubectl rollout status -n csi daemonset/openbao-csi-provider --timeout="${TIMEOUT}"

log "examples"
examples="${ROOT}/deploy/examples"
kubectl apply -f "${examples}/00-namespace.yaml"
for f in kv-v2 database pki jwt-auth openbao-namespace; do
  kubectl apply -f "${examples}/${f}.yaml"
done
ciphertext="$(bao_in_pod write -field=ciphertext transit/encrypt/team-a plaintext="$(printf 'hello transit' | base64)")"
sed "s|vault:v1:REPLACE-WITH-CIPHERTEXT|${ciphertext}|" "${examples}/transit.yaml" | kubectl apply -f -
kubectl apply -f "${ROOT}/deploy/e2e/cross-tenant.yaml"

for pod in kv-app db-app pki-app transit-app jwt-app ns-app; do
  kubectl wait -n "${APP_NS}" --for=condition=Ready "pod/${pod}" --timeout="${TIMEOUT}"
done

log "checks"
expect_eq "kv: username" "$(read_file kv-app username)" app
expect_eq "kv: password" "$(read_file kv-app password)" s3cr3t
expect_eq "kv: default mode" "$(file_mode kv-app username)" 644
expect_eq "kv: filePermission 0444" "$(file_mode kv-app password)" 444
expect_eq "kv: whole response without secretKey" \
  "$(read_file kv-app app.json | jq -r .data.data.username)" app

db_user="$(read_file db-app db-username)"
db_password="$(read_file db-app db-password)"
[[ -n "${db_user}" && -n "${db_password}" ]] || fail "database: empty credentials"
# Username and password from two objects only log in together if they came from one read.
expect_eq "database: the pair logs in" \
  "$(kubectl exec -n openbao deployment/postgres -- env PGPASSWORD="${db_password}" \
      psql -h 127.0.0.1 -U "${db_user}" -d postgres -tAc 'select 1')" 1

expect_prefix "pki: certificate" "$(read_file pki-app tls.crt)" "-----BEGIN CERTIFICATE-----"
expect_prefix "pki: private key" "$(read_file pki-app tls.key)" "-----BEGIN"
bundle="$(read_file pki-app bundle.json)"
expect_eq "pki: certificate and key from one issue" \
  "$(jq -r .data.certificate <<<"${bundle}")$(jq -r .data.private_key <<<"${bundle}")" \
  "$(read_file pki-app tls.crt)$(read_file pki-app tls.key)"

expect_eq "transit: envelope decrypted" "$(read_file transit-app api-key)" "hello transit"
expect_eq "jwt auth" "$(read_file jwt-app username)" app
expect_eq "OpenBao namespace" "$(read_file ns-app greeting)" hello-from-namespace

kubectl get secret -n csi openbao-csi-provider-hmac-key >/dev/null || fail "no HMAC key Secret in csi"
echo "ok - HMAC key Secret"
if kubectl get secretproviderclasspodstatuses -n "${APP_NS}" -o json | grep -q 's3cr3t'; then
  fail "a secret value shows in SecretProviderClassPodStatus"
fi
echo "ok - versions reveal no secret"

denied=""
for _ in $(seq 1 30); do
  if kubectl get events -n "${APP_NS}" --field-selector involvedObject.name=cross-tenant,reason=FailedMount \
      -o jsonpath='{.items[*].message}' | grep -Eqi 'permission ?denied'; then
    denied=yes
    break
  fi
  sleep 3
done
[[ -n "${denied}" ]] || fail "cross-tenant: expected a FailedMount event saying permission denied"
[[ "$(kubectl get pod -n "${APP_NS}" cross-tenant -o jsonpath='{.status.phase}')" != Running ]] \
  || fail "cross-tenant: the pod must not start"
echo "ok - team-a's worker cannot read team-b"

log "rotation"
bao_in_pod kv put secret/team-a/app username=app password=rotated >/dev/null
rotated=""
for _ in $(seq 1 60); do
  if [[ "$(read_file kv-app password)" == rotated ]]; then
    rotated=yes
    break
  fi
  sleep 5
done
[[ -n "${rotated}" ]] || fail "rotation: password file still old after 5 minutes"
echo "ok - rotated secret reached the running pod"
expect_eq "rotation: mode kept" "$(file_mode kv-app password)" 444

log "all checks passed"
