package dev.resumo.engine.opencl;

/** One OpenCL device as `resumo devices` lists it; indices select it with --device opencl:P:D. */
public record DeviceInfo(int platformIndex, int deviceIndex, String platformName, String name, String vendor,
                         String version, String driverVersion, String type, int computeUnits,
                         long globalMemBytes, long localMemBytes, long maxWorkGroupSize) {
    /** "opencl:P:D", the --device value that selects this device. */
    public String selector() {
        return "opencl:" + platformIndex + ":" + deviceIndex;
    }

    /** Key for per-device caches (tuning results): name and driver, filesystem-safe. */
    public String cacheKey() {
        return (name + "_" + driverVersion).replaceAll("[^A-Za-z0-9._-]+", "_");
    }

    public String describe() {
        return String.format("%-14s %s [%s] %s, %d compute units, %d MiB global, %d KiB local, max work-group %d (%s)",
                selector(), name, type, vendor, computeUnits, globalMemBytes >> 20, localMemBytes >> 10,
                maxWorkGroupSize, platformName + ", " + version + ", driver " + driverVersion);
    }
}
