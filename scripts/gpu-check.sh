#!/usr/bin/env bash
# The GPU embedder's check, for a machine with an NVIDIA GPU and driver (README, "GPU embedder"): runs
# `bench gpu` on the CUDA libtorch the CUDA embedder image carries (2.7.1+cu128, unpacked at LIBTORCH_DIR) with
# DJL 0.36's cu128 JNI: embedding parity CPU vs GPU on faces-dev crops (max |diff| of a normalised component
# <= 1e-4) and faces/s at batch 32 and 128 on both devices. Exit code 0 only when a GPU was used and parity
# held. About a minute once the project is built (./facestream builds what is missing first).
#   scripts/gpu-check.sh /opt/libtorch [--faces DIR] [--tolerance 1e-4]
set -euo pipefail
cd "$(dirname "$0")/.."
libtorch=${1:?usage: scripts/gpu-check.sh LIBTORCH_DIR [bench gpu options]}
shift
[ -f "$libtorch/lib/libtorch_cuda.so" ] || { echo "$libtorch/lib/libtorch_cuda.so not found" >&2; exit 2; }
command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
export JAVA_OPTS="${JAVA_OPTS:-} -DPYTORCH_LIBRARY_PATH=$libtorch/lib -DPYTORCH_VERSION=2.7.1 -DPYTORCH_FLAVOR=cu128"
exec timeout 300 ./facestream bench gpu "$@"
