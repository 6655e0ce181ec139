#!/usr/bin/env bash
# Sets up a real build engine on a Debian machine, as root: dockerd 26 with BuildKit, buildx,
# the containerd image store, a local registry on 127.0.0.1:5000 used as a mirror, arm64
# emulation and locally made debian base images (nothing can be pulled from a public registry).
# Idempotent: on a ready machine it only checks and returns within seconds.
set -euo pipefail

STATE_DIR=${DALEC_BAKE_ENGINE_DIR:-/var/lib/dalec-bake-engine}
REGISTRY_ADDR=127.0.0.1:5000
SUITES=(bookworm trixie)
ARCHES=(amd64 arm64)

say() { printf 'setup-engine: %s\n' "$*" >&2; }
die() { printf 'setup-engine: %s\n' "$*" >&2; exit 1; }

if [ "$(id -u)" != 0 ]; then
  die "must run as root (it installs Debian packages and starts dockerd); otherwise install Docker Engine >= 26 with buildx >= 0.13 and the containerd image store yourself"
fi
if [ ! -f /etc/debian_version ] || ! command -v apt-get >/dev/null 2>&1; then
  die "needs Debian with apt-get; elsewhere install Docker Engine >= 26 with buildx >= 0.13, the containerd image store and qemu binfmt for arm64 yourself"
fi

# The archive's URI is read from the machine's own apt configuration, never written down here.
archive_uri() {
  local uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list)
  fi
  [ -n "$uri" ] || die "cannot find the Debian archive URI in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list"
  printf '%s\n' "$uri"
}

APT_UPDATED=0
apt_update_once() {
  if [ "$APT_UPDATED" = 0 ]; then
    say "apt-get update"
    apt-get update -qq
    APT_UPDATED=1
  fi
}

install_host_packages() {
  local want=(containerd runc tini iptables debootstrap qemu-user-static docker-registry curl ca-certificates shellcheck lintian rpm)
  local missing=()
  local p
  for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]})); then
    apt_update_once
    say "installing Debian packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# bookworm's docker.io is 20.10 (no buildx); trixie's is 26.1 with buildx 0.13 and installs on bookworm.
install_docker() {
  if dpkg-query -W -f='${Version}' docker.io 2>/dev/null | grep -q '^26\.' &&
    dpkg-query -W -f='${Status}' docker-buildx 2>/dev/null | grep -q 'install ok installed'; then
    return
  fi
  local uri tmp
  uri=$(archive_uri)
  tmp=$(mktemp -d)
  chmod 755 "$tmp" # apt downloads as _apt
  mkdir -p "$tmp/lists/partial"
  printf 'deb %s trixie main\n' "$uri" >"$tmp/trixie.list"
  local opts=(-o "Dir::Etc::SourceList=$tmp/trixie.list" -o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$tmp/lists")
  say "fetching docker.io, docker-cli and docker-buildx from trixie"
  apt-get "${opts[@]}" update -qq
  (cd "$tmp" && apt-get "${opts[@]}" download docker.io docker-cli docker-buildx >/dev/null)
  apt_update_once
  say "installing Docker Engine and buildx"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "$tmp"/docker.io_*.deb "$tmp"/docker-cli_*.deb "$tmp"/docker-buildx_*.deb >/dev/null
  rm -rf "$tmp"
}

write_daemon_json() {
  mkdir -p /etc/docker
  local want
  want='{"features":{"containerd-snapshotter":true},"registry-mirrors":["http://'$REGISTRY_ADDR'"],"insecure-registries":["'$REGISTRY_ADDR'"]}'
  if [ ! -f /etc/docker/daemon.json ] || [ "$(cat /etc/docker/daemon.json)" != "$want" ]; then
    printf '%s\n' "$want" >/etc/docker/daemon.json
    say "wrote /etc/docker/daemon.json"
  fi
}

registry_up() { curl -fs -o /dev/null "http://$REGISTRY_ADDR/v2/"; }

start_registry() {
  registry_up && return
  mkdir -p "$STATE_DIR/registry"
  cat >"$STATE_DIR/registry.yml" <<EOF
version: 0.1
storage:
  filesystem:
    rootdirectory: $STATE_DIR/registry
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
EOF
  say "starting the local registry on $REGISTRY_ADDR"
  setsid nohup docker-registry serve "$STATE_DIR/registry.yml" >"$STATE_DIR/registry.log" 2>&1 </dev/null &

  for _ in $(seq 1 50); do
    registry_up && return
    sleep 0.2
  done
  die "the registry did not answer on $REGISTRY_ADDR; see $STATE_DIR/registry.log"
}

docker_up() { docker info >/dev/null 2>&1; }

start_dockerd() {
  docker_up && return
  say "starting dockerd"
  setsid nohup dockerd >"$STATE_DIR/dockerd.log" 2>&1 </dev/null &

  for _ in $(seq 1 120); do
    docker_up && return
    sleep 0.5
  done
  die "dockerd did not answer within 60 s; see $STATE_DIR/dockerd.log"
}

setup_binfmt() {
  if [ ! -d /proc/sys/fs/binfmt_misc ] || [ ! -f /proc/sys/fs/binfmt_misc/register ]; then
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  fi
  if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
    say "registering qemu-aarch64 emulation"
    grep -v '^#' /usr/lib/binfmt.d/qemu-aarch64.conf | grep . >/proc/sys/fs/binfmt_misc/register
  fi
}

# True when the registry holds a manifest list for debian:<suite> with every arch.
base_image_ready() {
  local suite=$1 body arch
  body=$(curl -fs -H 'Accept: application/vnd.oci.image.index.v1+json' \
    -H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json' \
    "http://$REGISTRY_ADDR/v2/library/debian/manifests/$suite" 2>/dev/null) || return 1
  for arch in "${ARCHES[@]}"; do
    grep -q "\"architecture\":\"$arch\"" <<<"${body// /}" || return 1
  done
}

make_base_image() {
  local suite=$1 uri arch refs=()
  uri=$(archive_uri)
  mkdir -p "$STATE_DIR/rootfs"
  for arch in "${ARCHES[@]}"; do
    local tarball="$STATE_DIR/rootfs/$suite-$arch.tar"
    if [ ! -s "$tarball" ]; then
      local dir="$STATE_DIR/rootfs/$suite-$arch.tmp"
      rm -rf "$dir"
      say "debootstrap $suite $arch (a minute or two; longer for arm64, which runs under emulation)"
      debootstrap --variant=minbase --arch="$arch" "$suite" "$dir" "$uri" >"$STATE_DIR/debootstrap-$suite-$arch.log" 2>&1 ||
        die "debootstrap $suite $arch failed; see $STATE_DIR/debootstrap-$suite-$arch.log"
      rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
      tar -C "$dir" -c --numeric-owner . >"$tarball.tmp"
      mv "$tarball.tmp" "$tarball"
      rm -rf "$dir"
    fi
    local ref="$REGISTRY_ADDR/library/debian:$suite-$arch"
    say "importing $ref"
    docker import --platform "linux/$arch" "$tarball" "$ref" >/dev/null
    docker push -q "$ref" >/dev/null
    refs+=("$ref")
  done
  docker buildx imagetools create -t "$REGISTRY_ADDR/library/debian:$suite" "${refs[@]}" >/dev/null 2>&1
}

main() {
  mkdir -p "$STATE_DIR"
  install_host_packages
  install_docker
  write_daemon_json
  start_registry
  start_dockerd
  setup_binfmt
  local suite
  for suite in "${SUITES[@]}"; do
    base_image_ready "$suite" || make_base_image "$suite"
  done
  docker buildx version >/dev/null || die "docker buildx does not answer"
  say "engine ready: $(docker version -f 'dockerd {{.Server.Version}}') with $(docker buildx version | awk '{print $1, $2}')"
}

main "$@"
