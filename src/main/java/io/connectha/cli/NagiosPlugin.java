package io.connectha.cli;

/**
 * A command that is a monitoring plugin: its exit codes are Nagios's (0 OK, 1 WARNING, 2 CRITICAL,
 * 3 UNKNOWN), so every error it cannot measure past, a bad option included, is UNKNOWN, and the
 * plugin still prints its one status line on stdout.
 */
public interface NagiosPlugin {

    /** The service name at the start of the status line, such as "REPLICATION LAG". */
    String serviceName();

    int UNKNOWN = 3;
}
