#!/usr/bin/env bash
# Runs on the GPU machine, from the folder bin/gpu-bundle made (see there). Each step has a time
# limit and its own log under $OUT (or ./out); the summary says how long each took.
#   PYTHON=/path/to/python3   the interpreter with torch + transformers (default: python3 on PATH)
#   STEPS="devices tests compare gemm device"   which steps, in order (default: all of them)
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE/out}
mkdir -p "$OUT"
T0=$(date +%s)
elapsed() { echo $(( $(date +%s) - T0 )); }

[ -x /tmp/resumo-jre/bin/java ] || tar -C /tmp -xJf "$HERE/jre.tar.xz" --transform 's#^jre#resumo-jre#'
JAVA=/tmp/resumo-jre/bin/java
mapfile -t FLAGS < "$HERE/jvm-flags"
resumo() { "$JAVA" "${FLAGS[@]}" -jar "$HERE/resumo-gpu.jar" "$@"; }

step() { # name, limit in seconds, command...
  local name=$1 limit=$2; shift 2
  echo "=== [$(elapsed) s] $name (limit ${limit} s)" | tee -a "$OUT/summary.log"
  timeout "$limit" "$@" > "$OUT/$name.log" 2>&1
  echo "=== [$(elapsed) s] $name: exit $?" | tee -a "$OUT/summary.log"
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
    devices) step devices 60 resumo devices ;;
    tests) # the device the tests use: the first GPU (RESUMO_OPENCL_TEST_DEVICE overrides)
      step tests 180 "$JAVA" "${FLAGS[@]}" -cp "$HERE/resumo-gpu.jar:$(ls "$HERE"/tests/*.jar | tr '\n' ':')" RunTests \
        dev.resumo.engine.opencl.OpenClOpsTest dev.resumo.engine.opencl.ClOptimizerTest \
        dev.resumo.engine.opencl.OpenClRuntimeTest dev.resumo.engine.DeviceOpsTest ;;
    compare) step compare 300 resumo bench compare --device opencl --repeats 3 --python "$PYTHON" --model-dir /tmp/resumo-compare-small ;;
    gemm) step gemm 120 resumo bench gemm --device opencl --no-cpu --no-numpy ;;
    device) step device 120 resumo bench device --device opencl --size small --batch 8 --source-length 256 --target-length 64 --steps 3 ;;
    *) echo "unknown step $s (known: devices tests compare gemm device)" >&2 ;;
  esac
done
echo "=== done in $(elapsed) s; logs in $OUT" | tee -a "$OUT/summary.log"
