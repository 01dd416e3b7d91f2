package dev.resumo.engine.opencl;

import static org.jocl.CL.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/** Discovery of OpenCL platforms and devices; turns a missing library into a clear message. */
public final class OpenClDevices {
    private OpenClDevices() {}

    /** Every device of every platform; throws {@link OpenClUnavailableException} when OpenCL cannot load. */
    public static List<DeviceInfo> list() {
        List<DeviceInfo> out = new ArrayList<>();
        cl_platform_id[] platforms = platforms();
        for (int p = 0; p < platforms.length; p++) {
            cl_device_id[] devices = devices(platforms[p]);
            String platformName = string(platforms[p], CL_PLATFORM_NAME);
            for (int d = 0; d < devices.length; d++) {
                cl_device_id dev = devices[d];
                out.add(new DeviceInfo(p, d, platformName, string(dev, CL_DEVICE_NAME), string(dev, CL_DEVICE_VENDOR),
                        string(dev, CL_DEVICE_VERSION), string(dev, CL_DRIVER_VERSION), type(longInfo(dev, CL_DEVICE_TYPE)),
                        (int) intInfo(dev, CL_DEVICE_MAX_COMPUTE_UNITS), longInfo(dev, CL_DEVICE_GLOBAL_MEM_SIZE),
                        longInfo(dev, CL_DEVICE_LOCAL_MEM_SIZE), sizeInfo(dev, CL_DEVICE_MAX_WORK_GROUP_SIZE)));
            }
        }
        return out;
    }

    /**
     * The device a --device value names: "opencl" (first GPU, else the first device) or
     * "opencl:P:D" (platform P, device D as listed by `resumo devices`).
     */
    public static DeviceInfo select(String spec) {
        List<DeviceInfo> all = list();
        if (all.isEmpty()) throw new OpenClUnavailableException("OpenCL loaded but lists no device (is an ICD such as pocl-opencl-icd installed?)");
        if (spec.equals("opencl")) {
            return all.stream().filter(d -> d.type().contains("GPU")).findFirst().orElse(all.get(0));
        }
        String[] parts = spec.split(":");
        if (parts.length != 3 || !parts[0].equals("opencl")) {
            throw new IllegalArgumentException("device '" + spec + "' is not opencl or opencl:PLATFORM:DEVICE (e.g. opencl:0:0)");
        }
        int p, d;
        try {
            p = Integer.parseInt(parts[1]);
            d = Integer.parseInt(parts[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("device '" + spec + "': platform and device must be whole numbers (e.g. opencl:0:0)");
        }
        for (DeviceInfo info : all) {
            if (info.platformIndex() == p && info.deviceIndex() == d) return info;
        }
        throw new OpenClUnavailableException("device '" + spec + "' does not exist; `resumo devices` lists "
                + all.stream().map(DeviceInfo::selector).toList());
    }

    private static volatile boolean warned;

    /**
     * Once per JVM: an OpenCL platform built on LLVM (PoCL) replaces the JVM's SIGSEGV handler when
     * it loads, and the JVM, which raises SIGSEGV itself in normal operation, can then die with a
     * bare "Segmentation fault" (seen on the lent H200 machine). The JVM's signal-chaining library
     * prevents it; bin/resumo and the tests preload it. Embedders are told here.
     */
    private static void warnWithoutSignalChaining() {
        if (warned || System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) return;
        warned = true;
        String preload = System.getenv("LD_PRELOAD");
        if (preload != null && preload.contains("libjsig")) return;
        System.err.println("resumo: warning: OpenCL is loaded without the JVM's signal chaining; an OpenCL driver built on"
                + " LLVM (PoCL) replaces the JVM's signal handlers and the JVM may crash with 'Segmentation fault'."
                + " Start java with LD_PRELOAD=" + System.getProperty("java.home") + "/lib/libjsig.so (bin/resumo does).");
    }

    static cl_platform_id[] platforms() {
        try {
            CL.setExceptionsEnabled(true);
            int[] count = new int[1];
            clGetPlatformIDs(0, null, count);
            cl_platform_id[] platforms = new cl_platform_id[count[0]];
            if (count[0] > 0) clGetPlatformIDs(count[0], platforms, null);
            if (count[0] > 0) warnWithoutSignalChaining();
            return platforms;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new OpenClUnavailableException("OpenCL library not found (" + e.getMessage()
                    + "); install an OpenCL driver and the ICD loader (Debian: ocl-icd-libopencl1 plus pocl-opencl-icd "
                    + "or your GPU vendor's ICD)", e);
        } catch (CLException e) {
            if (e.getStatus() == CL_PLATFORM_NOT_FOUND_KHR) return new cl_platform_id[0];
            throw new OpenClUnavailableException("OpenCL platform query failed: " + e.getMessage(), e);
        }
    }

    static cl_device_id[] devices(cl_platform_id platform) {
        int[] count = new int[1];
        try {
            clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, count);
        } catch (CLException e) {
            if (e.getStatus() == CL_DEVICE_NOT_FOUND) return new cl_device_id[0];
            throw e;
        }
        cl_device_id[] devices = new cl_device_id[count[0]];
        clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, count[0], devices, null);
        return devices;
    }

    /** The platform and device handles for a listed device. */
    static cl_device_id handle(DeviceInfo info) {
        return devices(platforms()[info.platformIndex()])[info.deviceIndex()];
    }

    static cl_platform_id platformHandle(DeviceInfo info) {
        return platforms()[info.platformIndex()];
    }

    /** CL_DEVICE_MAX_MEM_ALLOC_SIZE of a device, in bytes. */
    static long maxAllocBytes(cl_device_id d) {
        return longInfo(d, CL_DEVICE_MAX_MEM_ALLOC_SIZE);
    }

    private static String string(cl_platform_id p, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(p, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetPlatformInfo(p, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    private static String string(cl_device_id d, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(d, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetDeviceInfo(d, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    private static String cString(byte[] buf) {
        int n = 0;
        while (n < buf.length && buf[n] != 0) n++;
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8).trim();
    }

    private static long intInfo(cl_device_id d, int param) {
        int[] v = new int[1];
        clGetDeviceInfo(d, param, Sizeof.cl_uint, Pointer.to(v), null);
        return v[0] & 0xffffffffL;
    }

    /**
     * Whether the device can build programs with -cl-fp32-correctly-rounded-divide-sqrt (the
     * CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT bit of CL_DEVICE_SINGLE_FP_CONFIG).
     */
    static boolean correctlyRoundedDivideSqrt(cl_device_id d) {
        return (longInfo(d, CL_DEVICE_SINGLE_FP_CONFIG) & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0;
    }

    private static long longInfo(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }

    static long sizeInfo(cl_device_id d, int param) {
        ByteBuffer b = ByteBuffer.allocate(Sizeof.size_t).order(ByteOrder.nativeOrder());
        clGetDeviceInfo(d, param, Sizeof.size_t, Pointer.to(b), null);
        return Sizeof.size_t == 8 ? b.getLong(0) : b.getInt(0);
    }

    private static String type(long t) {
        List<String> s = new ArrayList<>();
        if ((t & CL_DEVICE_TYPE_GPU) != 0) s.add("GPU");
        if ((t & CL_DEVICE_TYPE_CPU) != 0) s.add("CPU");
        if ((t & CL_DEVICE_TYPE_ACCELERATOR) != 0) s.add("ACCELERATOR");
        return s.isEmpty() ? "OTHER" : String.join("+", s);
    }
}
