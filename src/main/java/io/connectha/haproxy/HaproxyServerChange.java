package io.connectha.haproxy;

import java.util.List;

/**
 * What {@code haproxy enable|disable} did to one server, backend by backend.
 *
 * @param action {@code enable} or {@code disable}
 */
public record HaproxyServerChange(String server, String action, boolean dryRun, List<BackendChange> backends) {

    /**
     * @param before   the server's status in this backend before
     * @param after    its status read back from {@code show stat} afterwards (the same as before when nothing was sent)
     * @param commands what was sent on the admin socket, in order (with --dry-run: what would have been)
     * @param server   HAProxy's name for the server in this backend (a hand-written config may not use the member's)
     */
    public record BackendChange(String backend, String before, String after, List<String> commands, Outcome outcome, String server) {
    }

    public enum Outcome { disabled, already_disabled, enabled, already_enabled, dry_run }
}
