package io.connectha.cli;

import io.connectha.cluster.ByteSize;
import io.connectha.cluster.Quantities;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * picocli converters for the times and sizes options take, read as the cluster file reads them
 * ({@link Quantities}). A value that means nothing for its option is refused here, so picocli reports
 * it as a usage error that names the option: {@code Invalid value for option '--timeout': ...}.
 * Each kind is its own class because an annotation names a converter by class, and the start-up
 * replay makes converters with their no-argument constructor.
 */
public final class QuantityConverters {

    private QuantityConverters() {
    }

    /** A time that must be more than 0: timeouts, waits, intervals, durations and time thresholds. */
    public static final class PositiveTime implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            Duration d = read(() -> Quantities.parseDuration(text));
            if (d.isZero()) {
                throw new TypeConversionException("'" + text.strip() + "' is not more than 0");
            }
            return d;
        }
    }

    /** A size of 0 or more: a lag a replica may not exceed, where 0 means no lag at all. */
    public static final class Size implements ITypeConverter<ByteSize> {
        @Override
        public ByteSize convert(String text) {
            return new ByteSize(read(() -> Quantities.parseBytes(text)));
        }
    }

    /** A size that must be more than 0: a threshold a value reaches when at or above it, or an amount of memory. */
    public static final class PositiveSize implements ITypeConverter<ByteSize> {
        @Override
        public ByteSize convert(String text) {
            long bytes = read(() -> Quantities.parseBytes(text));
            if (bytes == 0) {
                throw new TypeConversionException("'" + text.strip() + "' is not more than 0");
            }
            return new ByteSize(bytes);
        }
    }

    private static <T> T read(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
