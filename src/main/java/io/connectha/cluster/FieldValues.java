package io.connectha.cluster;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The checks of one cluster-file value each: a host, a network, a name, an environment variable's
 * name, a Patroni namespace. Each answers why the value cannot work, or nothing; the validator adds
 * the file, line and column. Sizes and times are parsed by {@link Quantities}, as options are.
 */
public final class FieldValues {

    /**
     * Names that become Patroni keys ({@code /service/<scope>/members/<name>}), file names
     * ({@code patroni/<name>.yml}), replication slot names and unquoted SQL identifiers: lower-case,
     * no dot, no slash, no space, at most 63 bytes (PostgreSQL's identifier length).
     */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    static final String NAME_RULE = "lower-case letters, digits, - and _, starting with a letter or digit, at most 63";
    /** A user that is no SQL role (Patroni's REST user, HAProxy's stats user): no colon (basic auth), space or quote. */
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern DOTTED_NUMBERS = Pattern.compile("[0-9.]+");
    private static final Pattern NAMESPACE_PART = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]*");

    private FieldValues() {
    }

    /** A name as {@link #NAME} says; {@code what} is "member name", "scope"... */
    public static Optional<String> name(String value, String what) {
        if (NAME.matcher(value).matches()) {
            return Optional.empty();
        }
        return Optional.of("'" + value + "' is not a valid " + what + " (" + NAME_RULE + ")");
    }

    /** HAProxy's rule for a proxy's name: letters, digits, '-', '_', '.' and ':'. */
    private static final Pattern HAPROXY_NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");

    /** A backend's name as HAProxy accepts it. */
    public static Optional<String> haproxyName(String value) {
        if (HAPROXY_NAME.matcher(value).matches()) {
            return Optional.empty();
        }
        return Optional.of("'" + value + "' is not a valid HAProxy backend name (letters, digits, - _ . and :)");
    }

    /** A user name for HTTP basic authentication or HAProxy's userlist. */
    public static Optional<String> userName(String value) {
        if (USER.matcher(value).matches()) {
            return Optional.empty();
        }
        return Optional.of("'" + value + "' is not a valid user name (letters, digits, _ - and ., starting with a letter "
                + "or digit, at most 63)");
    }

    /**
     * An IPv4 address with four parts of 0-255, or a DNS host name (RFC 1123: labels of letters,
     * digits and inner hyphens, at most 63 characters, 253 in all). Every host ends up as
     * {@code host:port} in Patroni, HAProxy and etcd files and in pg_hba.conf, where an IPv6 literal
     * would need brackets or a /128 that they do not get: it is refused, with what to do instead.
     */
    public static Optional<String> host(String host) {
        if (host == null || host.isBlank()) {
            return Optional.of("a host is required");
        }
        if (host.equals("0.0.0.0") || host.equals("*")) {
            return Optional.of("give the address others connect to, not the wildcard '" + host + "'");
        }
        if (host.contains(":")) {
            return Optional.of("IPv6 literal '" + host + "' is not supported yet; use a host name that resolves to it");
        }
        if (DOTTED_NUMBERS.matcher(host).matches()) {
            return ipv4(host) ? Optional.empty()
                    : Optional.of("'" + host + "' is not a valid IPv4 address (four numbers 0-255, such as 10.0.1.11)");
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.length() > 253 || name.isEmpty()) {
            return Optional.of("'" + host + "' is not a valid host name (at most 253 characters)");
        }
        for (String label : name.split("\\.", -1)) {
            if (!DNS_LABEL.matcher(label).matches()) {
                return Optional.of("'" + host + "' is not a valid host name (letters, digits and inner hyphens, "
                        + "parts separated by dots) or IPv4 address");
            }
        }
        return Optional.empty();
    }

    static boolean ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            // a leading zero reads as octal to inet_aton (and so to libpq): 010 would be 8
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.startsWith("0"))
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** A network as pg_hba.conf takes it: an IPv4 or IPv6 address, '/', and a prefix no longer than it. */
    public static Optional<String> cidr(String cidr) {
        String refusal = "'" + cidr + "' is not a network in CIDR form such as 10.0.0.0/24";
        String[] parts = cidr.split("/", -1);
        if (parts.length != 2 || !parts[1].matches("\\d{1,3}")) {
            return Optional.of(refusal);
        }
        int bits = Integer.parseInt(parts[1]);
        if (parts[0].contains(":")) {
            if (!ipv6(parts[0])) {
                return Optional.of(refusal);
            }
            return bits <= 128 ? Optional.empty() : Optional.of(refusal + " (an IPv6 prefix is at most 128)");
        }
        if (!DOTTED_NUMBERS.matcher(parts[0]).matches() || !ipv4(parts[0])) {
            return Optional.of(refusal);
        }
        return bits <= 32 ? Optional.empty() : Optional.of(refusal + " (an IPv4 prefix is at most 32)");
    }

    /** Only hex groups and one {@code ::}, so that nothing here ever asks DNS. */
    private static boolean ipv6(String text) {
        if (!text.matches("[0-9a-fA-F:]+") || text.contains(":::")) {
            return false;
        }
        int compressions = text.split("::", -1).length - 1;
        if (compressions > 1) {
            return false;
        }
        String[] groups = text.replace("::", ":x:").split(":", -1);
        int count = 0;
        for (String g : groups) {
            if (g.equals("x") || (g.isEmpty() && compressions == 1)) {
                continue;
            }
            if (g.isEmpty() || g.length() > 4) {
                return false;
            }
            count++;
        }
        return compressions == 1 ? count < 8 : count == 8;
    }

    /**
     * The name in {@code {env: NAME}}. A value that is not a variable's name is most likely the
     * password itself, pasted in the wrong place: the message never shows it.
     */
    public static Optional<String> environmentVariableName(String name) {
        if (ENV_NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return Optional.of("is not an environment variable name (it looks like a secret: it is not shown); "
                + "give the name of the variable that holds the password, such as CONNECT_APP_PASSWORD");
    }

    /**
     * Patroni's {@code namespace}, the first part of every key it keeps in etcd: parts of letters,
     * digits, {@code _ - .} separated by '/', no {@code .} or {@code ..} part.
     */
    public static Optional<String> namespace(String namespace) {
        String inner = namespace.replaceAll("^/+|/+$", "");
        String refusal = "'" + namespace + "' is not a valid namespace (such as /service: parts of letters, digits, "
                + "_ - and . separated by /)";
        if (inner.isEmpty()) {
            return Optional.of(refusal);
        }
        for (String part : inner.split("/", -1)) {
            if (!NAMESPACE_PART.matcher(part).matches() || part.equals(".") || part.equals("..")) {
                return Optional.of(refusal);
            }
        }
        return Optional.empty();
    }
}
