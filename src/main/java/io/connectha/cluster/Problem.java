package io.connectha.cluster;

/**
 * Something wrong with the cluster. Codes are stable (scripts match on them); see docs/status.md.
 *
 * @param member the member concerned, or null for the cluster or a component
 */
public record Problem(Severity severity, String code, String member, String message) {

    public enum Severity { critical, warning }

    public static Problem critical(String code, String member, String message) {
        return new Problem(Severity.critical, code, member, message);
    }

    public static Problem warning(String code, String member, String message) {
        return new Problem(Severity.warning, code, member, message);
    }
}
