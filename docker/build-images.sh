#!/usr/bin/env bash
# Builds every FaceStream image on the Docker daemon at $DOCKER_HOST (docker/dockerd.sh starts one under
# target/docker) from Debian packages and Maven Central only; nothing is pulled from a container registry:
#   facestream/debian:trixie     debootstrap --variant=minbase trixie (default mirror), imported (once; root)
#   facestream/jre:21            + Debian's openjdk-21-jre-headless: the one JRE layer of every image
#   facestream/kafka:<kafka>     the broker and admin tools from the Kafka jars (docker/kafka/pom.xml)
#   facestream/<svc>:<version>   per service: its third-party jars, then the project's own jars (Maven packages
#                                them here; no Maven inside an image)
# Options: --cuda LIBTORCH_DIR also builds facestream/embedder-service:<version>-cuda on libtorch 2.7.1+cu128
# unpacked at LIBTORCH_DIR (README, "GPU embedder"). Maven runs as `mvn` with $MAVEN_OPTS (e.g. the local repo).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# One word per service image; the module is services/<word>-service.
SERVICES=(ingest detector embedder matcher retrainer dashboard)

cuda_libtorch=
while [ $# -gt 0 ]; do
  case "$1" in
    --cuda) cuda_libtorch=${2:?--cuda needs the unpacked libtorch folder}; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -z "$cuda_libtorch" ] || [ -f "$cuda_libtorch/lib/libtorch_cuda.so" ] \
  || { echo "$cuda_libtorch/lib/libtorch_cuda.so not found: --cuda needs a CUDA libtorch 2.7.1 folder" >&2; exit 2; }

docker=${DOCKER:-docker}
"$docker" version --format '{{.Server.Version}}' >/dev/null \
  || { echo "no Docker daemon at ${DOCKER_HOST:-the default socket} (docker/dockerd.sh start)" >&2; exit 1; }
work=target/docker
mkdir -p "$work"
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -n 1)
kafka_version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' pom.xml)
step() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*"; }

if ! "$docker" image inspect facestream/debian:trixie >/dev/null 2>&1; then
  step "base image: debootstrap --variant=minbase trixie"
  rm -rf "$work/rootfs"
  debootstrap --variant=minbase trixie "$work/rootfs" > "$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
  tar -C "$work/rootfs" -c . | "$docker" import - facestream/debian:trixie >/dev/null
  rm -rf "$work/rootfs"
fi

step "facestream/jre:21"
"$docker" build -q -t facestream/jre:21 docker/jre >/dev/null

# The services and everything they depend on, packaged, with each service's runtime jars copied beside it
# (target/dependency, groupId-prefixed names, so the project's own jars can go to a layer of their own).
modules=$(printf 'services/%s-service,' "${SERVICES[@]}")
step "mvn package + copy-dependencies: ${modules%,}"
rm -rf services/*/target/dependency docker/kafka/target/dependency
mvn -q -DskipTests -pl "${modules%,}" -am package dependency:copy-dependencies \
  -DincludeScope=runtime -Dmdep.prependGroupId=true
mvn -q -f docker/kafka/pom.xml dependency:copy-dependencies -DincludeScope=runtime

step "facestream/kafka:$kafka_version"
context=$work/images/kafka
rm -rf "$context" && mkdir -p "$context"
cp -r docker/kafka/Dockerfile docker/kafka/bin "$context/"
cp -r docker/kafka/target/dependency "$context/libs"
"$docker" build -q -t "facestream/kafka:$kafka_version" "$context" >/dev/null

# build_service NAME TAG [JVM_FLAGS]: the image of services/NAME-service from its copied jars
build_service() {
  local name=$1 tag=$2 flags=${3:-} module=services/$1-service context=$work/images/$1
  local main_class
  main_class=$(sed -n 's:.*<facestream.main-class>\(.*\)</facestream.main-class>.*:\1:p' "$module/pom.xml")
  rm -rf "$context" && mkdir -p "$context/lib" "$context/app"
  cp docker/service/Dockerfile docker/service/start.sh docker/service/logback.xml "$context/"
  cp "$module"/target/dependency/*.jar "$context/lib/"
  mv "$context"/lib/io.facestream.*.jar "$context/app/"
  cp "$module/target/$1-service-$version.jar" "$context/app/"
  [ -z "$cuda_libtorch" ] || [ "$tag" = "${tag%-cuda}" ] || cuda_lib "$context"
  "$docker" build -q --build-arg MAIN_CLASS="$main_class" --build-arg JVM_FLAGS="$flags" \
    -t "facestream/$1-service:$tag" "$context" >/dev/null
}

# The CUDA embedder: no CPU libtorch jar; the CUDA libtorch (which bundles its CUDA runtime libraries) in
# lib/libtorch, found through PYTORCH_LIBRARY_PATH; DJL 0.36's pytorch-jni carries the cu128 JNI.
cuda_lib() {
  rm -f "$1"/lib/ai.djl.pytorch.pytorch-native-cpu-*.jar
  mkdir -p "$1/lib/libtorch"
  cp -r "$cuda_libtorch/lib" "$1/lib/libtorch/"
}

for s in "${SERVICES[@]}"; do
  step "facestream/$s-service:$version"
  build_service "$s" "$version"
done
if [ -n "$cuda_libtorch" ]; then
  step "facestream/embedder-service:$version-cuda"
  build_service embedder "$version-cuda" \
    "-DPYTORCH_LIBRARY_PATH=/opt/facestream/lib/libtorch/lib -DPYTORCH_VERSION=2.7.1 -DPYTORCH_FLAVOR=cu128"
fi
"$docker" image prune -f >/dev/null
step "images ready"
"$docker" images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^facestream/' | sort
