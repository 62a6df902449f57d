package io.connectha.check;

/** Nagios plugin states; the ordinal is the exit code. */
public enum CheckStatus {
    OK, WARNING, CRITICAL, UNKNOWN;

    public int exitCode() {
        return ordinal();
    }

    /** The worse of two; UNKNOWN only wins over OK, since a definite CRITICAL says more. */
    public CheckStatus worst(CheckStatus other) {
        if (this == UNKNOWN || other == UNKNOWN) {
            return this == CRITICAL || other == CRITICAL ? CRITICAL : UNKNOWN;
        }
        return ordinal() >= other.ordinal() ? this : other;
    }
}
