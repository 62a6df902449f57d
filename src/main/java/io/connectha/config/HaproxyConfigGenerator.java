package io.connectha.config;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.HaproxySpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.Quantities;
import io.connectha.cluster.SecretName;
import io.connectha.config.Component;
import io.connectha.config.ConfigGenerator;
import io.connectha.config.GeneratedFile;
import io.connectha.config.GenerationContext;
import io.connectha.units.Units;
import org.apache.commons.codec.digest.Sha2Crypt;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * haproxy/haproxy.cfg: a write port that reaches only the member Patroni calls primary, a read port
 * over replicas, a stats page on loopback behind a password (stored as a SHA-512 crypt hash) and
 * an admin stats socket. The write and read sections take their names from haproxy.write_backend and
 * haproxy.read_backend, which is how everything that reads HAProxy finds them.
 */
public final class HaproxyConfigGenerator implements ConfigGenerator {

    public static final String STATS_USERLIST = "stats_users";
    private static final String HASH_PREFIX = "password ";

    @Override
    public Component component() {
        return Component.haproxy;
    }

    @Override
    public List<GeneratedFile> generate(GenerationContext ctx) {
        ClusterSpec spec = ctx.spec();
        HaproxySpec h = spec.haproxy();
        String inter = Units.shortDuration(Quantities.parseDuration(h.checkInterval()));
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(ctx.header("haproxy")).append('\n');
        sb.append("# Run in the foreground: haproxy -W -db -f haproxy.cfg\n");
        sb.append("""

                global
                    maxconn %d
                    stats socket %s mode 600 level admin
                    stats timeout 30s
                    log stdout format raw local0 notice

                defaults
                    mode tcp
                    log global
                    option dontlognull
                    retries 2
                    timeout connect 3s
                    timeout client 30m
                    timeout server 30m
                    timeout check 2s

                userlist %s
                    user %s %s%s

                listen stats
                    mode http
                    bind %s:%d
                    acl stats_authenticated http_auth(%s)
                    http-request auth realm connect-stats unless stats_authenticated
                    stats enable
                    stats uri /
                    stats refresh 5s
                """.formatted(h.maxconn(), h.statsSocket(), STATS_USERLIST, h.statsUser(), HASH_PREFIX,
                statsPasswordHash(ctx), h.statsHost(), h.statsPort(), STATS_USERLIST));
        // OPTIONS, not GET: Patroni answers both, but logs a traceback for every GET health check it ends early
        backend(sb, spec, h.writeBackend(), h.host(), h.writePort(), "/primary", "first", inter,
                "# writes: only the member whose Patroni answers 200 on /primary");
        String replicaUri = h.replicaMaxLag() == null ? "/replica" : "/replica?lag=" + h.replicaMaxLag().bytes();
        backend(sb, spec, h.readBackend(), h.host(), h.readPort(), replicaUri, "roundrobin", inter,
                "# reads: streaming replicas" + (h.replicaMaxLag() == null ? "" : " within " + Units.pgSize(h.replicaMaxLag().bytes()) + " of lag"));
        return List.of(new GeneratedFile("haproxy/haproxy.cfg", sb.toString(), GeneratedFile.Kind.PRIVATE_CONFIG));
    }

    private static void backend(StringBuilder sb, ClusterSpec spec, String name, String host, int port, String uri,
                                String balance, String inter, String comment) {
        HaproxySpec h = spec.haproxy();
        sb.append('\n').append(comment).append('\n');
        sb.append("listen ").append(name).append('\n');
        sb.append("    bind ").append(host).append(':').append(port).append('\n');
        sb.append("    balance ").append(balance).append('\n');
        sb.append("    option httpchk\n");
        sb.append("    http-check send meth OPTIONS uri ").append(uri).append('\n');
        sb.append("    http-check expect status 200\n");
        sb.append("    default-server inter ").append(inter).append(" fastinter ").append(inter).append(" downinter ").append(inter)
                .append(" fall ").append(h.fall()).append(" rise ").append(h.rise()).append(" on-marked-down shutdown-sessions\n");
        for (MemberSpec m : spec.members()) {
            sb.append("    server ").append(m.name()).append(' ').append(m.address()).append(" check port ").append(m.patroniPort()).append('\n');
        }
    }

    /** SHA-512 crypt of the stats password; the previous hash is kept while it still matches. */
    private static String statsPasswordHash(GenerationContext ctx) {
        String password = ctx.password(SecretName.haproxy_stats);
        byte[] key = password.getBytes(StandardCharsets.UTF_8);
        Optional<String> previous = ctx.existing()
                .valueAfter("haproxy/haproxy.cfg", "user " + ctx.spec().haproxy().statsUser() + " " + HASH_PREFIX)
                .filter(hash -> hash.startsWith("$6$") && Sha2Crypt.sha512Crypt(key, hash).equals(hash));
        return previous.orElseGet(() -> Sha2Crypt.sha512Crypt(key));
    }
}
