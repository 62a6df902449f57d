package io.connectha.cluster;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.connectha.units.Units;

/** A size in bytes, written in a cluster file as {@code 1MB} or {@code 1048576}. */
public record ByteSize(long bytes) {

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative");
        }
    }

    @JsonCreator
    public static ByteSize parse(String text) {
        return new ByteSize(Quantities.parseBytes(text));
    }

    @JsonCreator
    public static ByteSize ofBytes(long bytes) {
        return new ByteSize(bytes);
    }

    public static ByteSize ofMegabytes(long mb) {
        return new ByteSize(mb << 20);
    }

    @JsonValue
    @Override
    public String toString() {
        return Units.pgSize(bytes);
    }
}
