package io.connectha.haproxy;

/** The backend names connect's generated HAProxy config uses for the write and the read port. */
public final class HaproxyBackends {

    public static final String WRITE = "write";
    public static final String READ = "read";

    private HaproxyBackends() {
    }
}
