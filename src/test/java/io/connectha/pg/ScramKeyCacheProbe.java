package io.connectha.pg;

/** What tests in other packages may see of {@link ScramKeyCache}. */
public final class ScramKeyCacheProbe {

    private ScramKeyCacheProbe() {
    }

    public static int derivations() {
        return ScramKeyCache.DERIVATIONS.get();
    }

    public static void clear() {
        ScramKeyCache.forgetAll();
    }
}
