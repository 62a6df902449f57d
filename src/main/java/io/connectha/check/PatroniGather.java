package io.connectha.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;
import io.connectha.net.Http;
import io.connectha.patroni.PatroniClient;
import io.connectha.patroni.PatroniCluster;
import io.connectha.patroni.PatroniService;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks Patroni what the check items need and nothing more: {@code /cluster} and {@code /config} from the
 * first member that answers, {@code /patroni} from every member at once. Each request has the connect
 * and read timeouts; the members' are under one deadline, so a black-holed member costs one timeout, not one each.
 * A member that does not answer is recorded, not fatal; {@code /cluster} or {@code /config} unanswered by
 * every member is (the check is then UNKNOWN).
 */
public final class PatroniGather {

    private static final Duration MARGIN = Duration.ofMillis(500);

    private final LoadedCluster cluster;
    private final SecretResolver secrets;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    public PatroniGather(LoadedCluster cluster, SecretResolver secrets, Duration connectTimeout, Duration readTimeout) {
        this.cluster = cluster;
        this.secrets = secrets;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    public PatroniObservations gather(Set<CheckItem.Source> sources) {
        List<String> fileMembers = cluster.spec().members().stream().map(MemberSpec::name).toList();
        PatroniCluster view = null;
        JsonNode config = null;
        Map<String, PatroniObservations.Node> nodes = null;
        try (PatroniService patroni = new PatroniService(cluster, secrets, connectTimeout, readTimeout)) {
            if (sources.contains(CheckItem.Source.CLUSTER)) {
                view = patroni.cluster();
            }
            if (sources.contains(CheckItem.Source.CONFIG)) {
                config = patroni.config();
            }
        }
        if (sources.contains(CheckItem.Source.MEMBERS)) {
            nodes = nodes();
        }
        return new PatroniObservations(cluster.spec().name(), fileMembers, view, nodes, config);
    }

    private Map<String, PatroniObservations.Node> nodes() {
        List<MemberSpec> members = cluster.spec().members();
        Map<String, PatroniObservations.Node> nodes = new LinkedHashMap<>();
        // daemon threads: a read stuck past the deadline must not keep the JVM alive
        ExecutorService pool = Executors.newFixedThreadPool(members.size(), r -> {
            Thread t = new Thread(r, "patroni-node");
            t.setDaemon(true);
            return t;
        });
        try (Http http = PatroniClient.http(cluster.spec(), connectTimeout, readTimeout)) {
            PatroniClient client = new PatroniClient(http);
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (MemberSpec m : members) {
                answers.add(pool.submit(() -> client.patroni(m)));
            }
            long until = System.nanoTime() + connectTimeout.plus(readTimeout).plus(MARGIN).toNanos();
            for (int i = 0; i < members.size(); i++) {
                MemberSpec m = members.get(i);
                nodes.put(m.name(), node(m, answers.get(i), until));
            }
        } finally {
            pool.shutdownNow();
        }
        return nodes;
    }

    private PatroniObservations.Node node(MemberSpec m, Future<JsonNode> answer, long until) {
        try {
            return fromJson(m.name(), answer.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return PatroniObservations.Node.unanswered(m.name(), "Patroni on " + m.name() + " at " + m.restAddress()
                    + " did not answer within " + connectTimeout.plus(readTimeout).toMillis() + " ms");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            String message = cause instanceof ConnectError ? cause.getMessage()
                    : cause.getMessage() == null ? "unexpected error" : cause.getMessage().lines().findFirst().orElse("");
            return PatroniObservations.Node.unanswered(m.name(), message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectError(ConnectError.Kind.FAILURE, "interrupted", e);
        }
    }

    /** One member's {@code /patroni}: Patroni 3.0.2 says "master" for the leader's role there, later versions "primary". */
    static PatroniObservations.Node fromJson(String name, JsonNode n) {
        List<String> streaming = null;
        if (n.path("replication").isArray()) {
            streaming = new ArrayList<>();
            for (JsonNode r : n.path("replication")) {
                if ("streaming".equals(r.path("state").asText())) {
                    streaming.add(r.path("application_name").asText());
                }
            }
        }
        JsonNode scheduled = n.path("scheduled_restart");
        return new PatroniObservations.Node(name, null, text(n, "role"), text(n, "state"),
                n.path("timeline").isNumber() ? n.path("timeline").intValue() : null,
                n.path("pending_restart").asBoolean(false),
                scheduled.isObject() ? text(scheduled, "schedule") : null, streaming, text(n.path("patroni"), "version"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
