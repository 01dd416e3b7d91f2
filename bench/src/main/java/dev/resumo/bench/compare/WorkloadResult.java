package dev.resumo.bench.compare;

/**
 * One timed workload: median and best wall time, the work it did (examples or new tokens, and FLOPs by the
 * model's arithmetic, not by what an implementation happens to compute), the peak resident set and
 * the heap allocated per timed run (NaN where not measured).
 */
public record WorkloadResult(String name, double medianSeconds, double bestSeconds, double units, String unit, double flops,
                             double peakRssMib, double allocatedMibPerRun) {
    public double throughput() {
        return units / medianSeconds;
    }

    public double gflops() {
        return flops / medianSeconds / 1e9;
    }
}
