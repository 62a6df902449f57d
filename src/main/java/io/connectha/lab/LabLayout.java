package io.connectha.lab;

import java.nio.file.Path;

/**
 * Where a lab keeps everything, and which address and port each process gets. Members have their
 * own loopback addresses (127.0.0.11, .12, ...) so that they look like separate hosts and Patroni's
 * validator accepts them; every port is below the ephemeral range.
 *
 * <pre>
 *   PostgreSQL of member i   127.0.0.(10+i)  base+i           (i = 1..9)
 *   Patroni REST of member i 127.0.0.(10+i)  base+10+i
 *   etcd member j            127.0.0.(20+j)  client base+20+j, peer base+30+j
 *   HAProxy                  127.0.0.10      write base+40, read base+41; stats 127.0.0.1:base+42
 *   PgBouncer                127.0.0.10      base+50
 * </pre>
 */
public record LabLayout(Path dir) {

    /** The highest offset is 50 (PgBouncer). */
    public static final int PORT_SPAN = 51;
    public static final String FRONT_HOST = "127.0.0.10";

    public Path clusterFile() {
        return dir.resolve("cluster.yaml");
    }

    public Path secrets() {
        return dir.resolve("secrets");
    }

    public Path config() {
        return dir.resolve("config");
    }

    public Path data() {
        return dir.resolve("data");
    }

    public Path etcdData() {
        return dir.resolve("etcd");
    }

    public Path logs() {
        return dir.resolve("logs");
    }

    public Path log(String process) {
        return logs().resolve(process + ".log");
    }

    public Path run() {
        return dir.resolve("run");
    }

    public Path sockets() {
        return dir.resolve("sock");
    }

    public static String memberName(int i) {
        return "pg" + i;
    }

    public static String memberHost(int i) {
        return "127.0.0." + (10 + i);
    }

    public static int memberPort(int base, int i) {
        return base + i;
    }

    public static int restPort(int base, int i) {
        return base + 10 + i;
    }

    public static String etcdName(int j) {
        return "etcd" + j;
    }

    public static String etcdHost(int j) {
        return "127.0.0." + (20 + j);
    }

    public static int etcdClientPort(int base, int j) {
        return base + 20 + j;
    }

    public static int etcdPeerPort(int base, int j) {
        return base + 30 + j;
    }

    public static int writePort(int base) {
        return base + 40;
    }

    public static int readPort(int base) {
        return base + 41;
    }

    public static int statsPort(int base) {
        return base + 42;
    }

    public static int pgbouncerPort(int base) {
        return base + 50;
    }
}
