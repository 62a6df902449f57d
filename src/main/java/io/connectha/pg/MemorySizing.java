package io.connectha.pg;

/**
 * Memory settings sized from the target machine, as the seed plan does: shared_buffers a quarter
 * of memory, effective_cache_size a half, work_mem what is left after shared_buffers spread over
 * three sorts per connection, maintenance_work_mem a sixteenth up to 2GB. All values in bytes.
 */
public record MemorySizing(long totalMemory, long sharedBuffers, long effectiveCacheSize, long workMem,
                           long maintenanceWorkMem, long walBuffers, long minWalSize, long maxWalSize) {

    private static final long KB = 1024;
    private static final long MB = 1024 * KB;
    private static final long GB = 1024 * MB;

    public static MemorySizing forMachine(long totalMemory, int maxConnections) {
        long shared = roundDownMb(totalMemory / 4);
        long cache = roundDownMb(totalMemory / 2);
        long maintenance = clamp(roundDownMb(totalMemory / 16), 64 * MB, 2 * GB);
        long work = clamp(roundDownMb((totalMemory - shared) / (3L * Math.max(1, maxConnections))), 4 * MB, 1 * GB);
        long walBuffers = clamp(roundDownKb(shared / 32), 64 * KB, 16 * MB);
        boolean small = totalMemory < 4 * GB;
        return new MemorySizing(totalMemory, Math.max(shared, 128 * KB), cache, work, maintenance, walBuffers,
                small ? 256 * MB : 1 * GB, small ? 1 * GB : 4 * GB);
    }

    private static long roundDownMb(long bytes) {
        return bytes - bytes % MB;
    }

    private static long roundDownKb(long bytes) {
        return bytes - bytes % KB;
    }

    private static long clamp(long value, long min, long max) {
        return Math.max(min, Math.min(max, value));
    }

    /** This machine's physical memory. */
    public static long thisMachine() {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os.getTotalMemorySize();
    }
}
