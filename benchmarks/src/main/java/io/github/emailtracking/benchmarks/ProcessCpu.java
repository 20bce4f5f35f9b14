package io.github.emailtracking.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.OptionalLong;

/**
 * The CPU time this process has used, every thread together: Jetty's, the stores' and the JVM's
 * own. A rate moves with whatever else the machine runs; the CPU time a request costs moves much
 * less, so it is the better figure to compare two builds by.
 */
final class ProcessCpu {

    private ProcessCpu() {}

    /** Returns the process's CPU time so far, or empty where the JVM does not tell it. */
    static OptionalLong nanos() {
        OperatingSystemMXBean system = ManagementFactory.getOperatingSystemMXBean();
        if (system instanceof com.sun.management.OperatingSystemMXBean measured) {
            long nanos = measured.getProcessCpuTime();
            return nanos < 0 ? OptionalLong.empty() : OptionalLong.of(nanos);
        }
        return OptionalLong.empty();
    }
}
