package io.connectha.lab;

/**
 * One process of a lab as {@code lab status} shows it.
 *
 * @param pid       null when it is not running
 * @param answering whether its address accepts TCP connections
 */
public record LabProcess(String name, String program, Long pid, boolean running, String address, boolean answering) {
}
