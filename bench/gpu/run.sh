#!/usr/bin/env bash
# Runs on the GPU machine, from the folder bin/gpu-bundle made (see there). Each step has a time
# limit and its own log under $OUT (or ./out); the summary says how long each took.
#   PYTHON=/path/to/python3   the interpreter with torch + transformers (default: python3 on PATH)
#   STEPS="devices tests compare gemm device"   which steps, in order (default: those five)
#   profile-train, profile-greedy1, profile-greedy8, profile-beam4: one workload on the GPU with
#                             the kernel profile (not by default)
#   jfr-greedy1, jfr-greedy8, jfr-beam4, jfr-train: one workload with a JFR recording of the host
#                             side ($OUT/jfr-WORKLOAD.jfr; `jfr print` it here)
#   resumo-only: every workload, Resumo alone (it writes the random-weight model if absent)
#   JAVA_EXTRA="-D..."        more JVM flags for every step; LOG_SUFFIX=-b   names this run's logs apart
#   OVERLAY=/path/to/jars     another build's module jars before the bundle's (see below)
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE/out}
mkdir -p "$OUT"
T0=$(date +%s)
elapsed() { echo $(( $(date +%s) - T0 )); }

[ -x /tmp/resumo-jre/bin/java ] || tar -C /tmp -xJf "$HERE/jre.tar.xz" --transform 's#^jre#resumo-jre#'
JAVA=/tmp/resumo-jre/bin/java
# JVM signal chaining: PoCL's LLVM (on that machine too) replaces the JVM's SIGSEGV handler, which
# crashed `bench device` without an hs_err file until libjsig was preloaded (see bin/java-env).
export LD_PRELOAD=/tmp/resumo-jre/lib/libjsig.so${LD_PRELOAD:+:$LD_PRELOAD}
mapfile -t FLAGS < "$HERE/jvm-flags"
FLAGS+=("-XX:ErrorFile=$OUT/hs_err_%p.log") # a JVM crash report comes back with the logs
FLAGS+=(${JAVA_EXTRA:-}) # e.g. JAVA_EXTRA=-Dresumo.opencl.smallOutputTiles=false for an A/B run
# An array, not a function: `timeout` runs programs only.
RESUMO=("$JAVA" "${FLAGS[@]}" -jar "$HERE/resumo-gpu.jar")
# OVERLAY=dir: that folder's module jars (another commit's engine, t5, bench, cli) come before the
# bundle's own, for an A/B of two builds in one lease with one JRE (two bundles exceed what travels).
if [ -n "${OVERLAY:-}" ]; then
  RESUMO=("$JAVA" "${FLAGS[@]}" --add-opens java.base/java.nio=ALL-UNNAMED \
    -cp "$(ls "$OVERLAY"/*.jar | tr '\n' ':')$HERE/resumo-gpu.jar" dev.resumo.cli.Main)
fi

step() { # name, limit in seconds, command...
  local name=$1 limit=$2; shift 2
  echo "=== [$(elapsed) s] $name (limit ${limit} s)" | tee -a "$OUT/summary.log"
  name=$name${LOG_SUFFIX:-}
  timeout "$limit" "$@" > "$OUT/$name.log" 2>&1
  local rc=$? # before any command substitution resets it
  echo "=== [$(elapsed) s] $name: exit $rc" | tee -a "$OUT/summary.log"
  tail -30 "$OUT/$name.log"
}

{ nvidia-smi -L 2>&1; nproc; ls /etc/OpenCL/vendors 2>&1; ldconfig -p | grep -i opencl; } > "$OUT/machine.log" 2>&1
# No ICD for the NVIDIA driver's OpenCL library: register it (containers often mount the driver only).
NV=$(ldconfig -p | awk '/libnvidia-opencl.so.1 /{print $NF; exit}')
if [ -n "$NV" ] && ! grep -qs nvidia /etc/OpenCL/vendors/*.icd 2>/dev/null; then
  mkdir -p /etc/OpenCL/vendors 2>/dev/null && echo "$NV" > /etc/OpenCL/vendors/nvidia.icd || echo "no write access to /etc/OpenCL/vendors: set OCL_ICD_VENDORS" >&2
fi

PYTHON=${PYTHON:-$(command -v python3)}
for s in ${STEPS:-devices tests compare gemm device}; do
  case $s in
    devices) step devices 60 "${RESUMO[@]}" devices ;;
    tests) # the device the tests use: the first GPU (RESUMO_OPENCL_TEST_DEVICE overrides)
      step tests 180 "$JAVA" "${FLAGS[@]}" -cp "$HERE/resumo-gpu.jar:$(ls "$HERE"/tests/*.jar | tr '\n' ':')" RunTests \
        dev.resumo.engine.opencl.OpenClOpsTest dev.resumo.engine.opencl.ClOptimizerTest \
        dev.resumo.engine.opencl.OpenClRuntimeTest dev.resumo.engine.DeviceOpsTest \
        dev.resumo.engine.DecodeAttentionOpTest dev.resumo.engine.KvCacheTest \
        dev.resumo.engine.opencl.FusedKernelsTest dev.resumo.engine.NormedLinearOpsTest \
        dev.resumo.t5.DeviceDecodingTest dev.resumo.t5.FuseOffDecodingBitsTest ;;
    compare) step compare 300 "${RESUMO[@]}" bench compare --device opencl --repeats 3 --python "$PYTHON" --model-dir /tmp/resumo-compare-small ;;
    gemm) step gemm 120 "${RESUMO[@]}" bench gemm --device opencl --no-cpu --no-numpy ;;
    device) step device 120 "${RESUMO[@]}" bench device --device opencl --size small --batch 8 --source-length 256 --target-length 64 --steps 3 ;;
    resumo-only) # every workload on the GPU without the PyTorch side: A/B runs with JAVA_EXTRA and LOG_SUFFIX
      step resumo-only 150 "${RESUMO[@]}" bench compare --device opencl --no-torch --repeats 5 --model-dir /tmp/resumo-compare-small ;;
    profile-train|profile-greedy1|profile-greedy8|profile-beam4) # device time per kernel (-Dresumo.opencl.profile=true), printed at exit
      step "$s" 120 "$JAVA" "${FLAGS[@]}" -Dresumo.opencl.profile=true -jar "$HERE/resumo-gpu.jar" bench compare --device opencl \
        --no-torch --workloads "${s#profile-}" --repeats 3 --model-dir /tmp/resumo-compare-small ;;
    jfr-greedy1|jfr-greedy8|jfr-beam4|jfr-train) # the host side of one workload on the GPU: a JFR recording in $OUT
      step "$s" 120 "$JAVA" "${FLAGS[@]}" "-XX:StartFlightRecording=filename=$OUT/$s${LOG_SUFFIX:-}.jfr,settings=profile" \
        -jar "$HERE/resumo-gpu.jar" bench compare --device opencl --no-torch --workloads "${s#jfr-}" --repeats 10 \
        --model-dir /tmp/resumo-compare-small ;;
    *) echo "unknown step $s (known: devices tests compare gemm device resumo-only profile-train profile-greedy1 profile-greedy8 profile-beam4 jfr-WORKLOAD)" >&2 ;;
  esac
done
echo "=== done in $(elapsed) s; logs in $OUT" | tee -a "$OUT/summary.log"
