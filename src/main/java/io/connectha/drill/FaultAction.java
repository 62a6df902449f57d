package io.connectha.drill;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretResolver;
import io.connectha.net.Http;
import io.connectha.patroni.PatroniClient;
import io.connectha.process.Progress;

import java.time.Duration;
import java.util.Optional;

/**
 * A fault's action, as drill failover and drill chaos both apply it: a switchover through Patroni's API, which answers
 * once the switchover is done, or the injector's {@code apply}. A failure is said on progress and returned, not thrown,
 * since the drill goes on measuring what the cluster does.
 */
final class FaultAction {

    private FaultAction() {
    }

    /** Null when the action succeeded, otherwise why it did not. */
    static String apply(FaultKind kind, Optional<FaultInjector> faults, MemberSpec old, String target, ClusterSpec spec,
                        SecretResolver secrets, Progress progress) {
        try {
            if (kind == FaultKind.SWITCHOVER) {
                try (Http http = PatroniClient.http(spec, Duration.ofSeconds(1), Duration.ofSeconds(60))) {
                    PatroniClient.authenticated(http, spec, secrets).switchover(old, old.name(), null, null);
                }
            } else {
                faults.orElseThrow().apply(kind, target);
            }
            return null;
        } catch (RuntimeException e) {
            progress.warn(kind.option() + ": " + e.getMessage());
            return e.getMessage();
        }
    }
}
