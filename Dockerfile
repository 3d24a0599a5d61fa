# syntax=docker/dockerfile:1
# openbao-csi-provider: NativeAOT binary on a chiseled (distroless) Ubuntu base.
#
#   docker build -t openbao-csi-provider --build-arg VERSION=0.1.0 .
#   docker buildx build --platform linux/amd64,linux/arm64 ...
#
# The build stage runs on the target platform, not $BUILDPLATFORM: NativeAOT links with the
# platform's clang and cannot cross-compile to another architecture without a cross sysroot.
# An arm64 image therefore builds on an arm64 runner, or under QEMU (slow, but it works).

ARG DOTNET_VERSION=10.0

# Noble like the runtime image, so the binary links against the glibc it will run with.
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble AS build
ARG TARGETARCH
ARG VERSION=0.1.0
RUN apt-get update \
 && apt-get install -y --no-install-recommends clang zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
# The runtime identifier for the architecture Docker builds for (amd64 -> x64).
RUN case "${TARGETARCH:-amd64}" in \
      amd64) echo linux-x64 ;; \
      arm64) echo linux-arm64 ;; \
      *) echo "unsupported TARGETARCH ${TARGETARCH}" >&2; exit 1 ;; \
    esac > /rid
WORKDIR /src

# Restore in its own layer, keyed on the project and package files only, so a source change
# does not download the packages (and the ILCompiler) again.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/OpenBao.Csi.Provider/OpenBao.Csi.Provider.csproj src/OpenBao.Csi.Provider/
RUN dotnet restore src/OpenBao.Csi.Provider/OpenBao.Csi.Provider.csproj -r "$(cat /rid)"

COPY proto/ proto/
COPY src/OpenBao.Csi.Provider/ src/OpenBao.Csi.Provider/
RUN dotnet publish src/OpenBao.Csi.Provider -c Release -r "$(cat /rid)" \
      -p:PublishAot=true -p:Version="${VERSION}" --no-restore -o /app \
 && test -x /app/openbao-csi-provider

# runtime-deps is all a NativeAOT binary needs (libc, OpenSSL, CA certificates); the chiseled
# variant has no shell or package manager and runs as the non-root `app` user. The DaemonSet
# overrides the user to 0 only to create its socket in the root-owned hostPath (see the chart).
FROM mcr.microsoft.com/dotnet/runtime-deps:${DOTNET_VERSION}-noble-chiseled
ARG VERSION=0.1.0
ARG REVISION=""
ARG SOURCE="https://github.com/openbao-csi-provider/openbao-csi-provider"
LABEL org.opencontainers.image.title="openbao-csi-provider" \
      org.opencontainers.image.description="OpenBao provider for the Kubernetes Secrets Store CSI driver" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="MPL-2.0"
COPY --from=build --chmod=0555 /app/openbao-csi-provider /openbao-csi-provider
USER $APP_UID
ENTRYPOINT ["/openbao-csi-provider"]
