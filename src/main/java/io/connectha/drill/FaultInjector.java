package io.connectha.drill;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.error.ConnectError;
import io.connectha.lab.Lab;
import io.connectha.lab.LabNetwork;
import io.connectha.process.Progress;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Applies a process fault to its target (a member, or an etcd member) and puts back what the fault took
 * away. It acts only on processes that someone has said belong to the target: a lab's own processes
 * (its pid files and the data directory's postmaster.pid), or the cluster file's {@code drill_fault_command}
 * for members the tool does not own. Never guesswork.
 */
public interface FaultInjector {

    /** Applies the fault; returns when it has taken effect (the process is gone, or the command returned). */
    void apply(FaultKind kind, String target);

    /** Starts what the fault stopped, if anything; safe to call twice. */
    void restore(FaultKind kind, String target);

    /** For the drill's announcement: how the fault is applied. */
    String describe();

    /** Whether it can cut the network between hosts: a lab in network namespaces, or a fault command (the user's word). */
    default boolean partitions() {
        return true;
    }

    /**
     * The local address a client binds to be on the leader's side of a partition (the fault lets it through), if
     * there is one: a namespace lab's; on other clusters, writers to the old leader use the route they have.
     */
    default Optional<String> leaderSideClientAddress() {
        return Optional.empty();
    }

    /** Why this injector cannot apply that fault here, said before anything happens; empty when it can. */
    default Optional<String> cannot(FaultKind kind) {
        return Optional.empty();
    }

    /** The delay of {@link FaultKind#LATENCY_LEADER}. */
    java.time.Duration LATENCY = java.time.Duration.ofMillis(200);

    /** The cluster file's fault command if it has one, otherwise the lab's processes, otherwise none. */
    static Optional<FaultInjector> forCluster(ClusterSpec spec, Path clusterFile, Progress progress) {
        if (spec.drillFaultCommand() != null) {
            return Optional.of(new Command(spec, spec.drillFaultCommand(), progress));
        }
        return Lab.of(clusterFile, progress).map(LabProcesses::new);
    }

    /** A lab's own processes, by the names the lab gives them. */
    final class LabProcesses implements FaultInjector {
        private final Lab lab;

        LabProcesses(Lab lab) {
            this.lab = lab;
        }

        @Override
        public void apply(FaultKind kind, String target) {
            switch (kind) {
                case POSTMASTER_KILL -> lab.stopProcess("postgres-" + target, true);
                case PATRONI_KILL -> {
                    lab.stopProcess("patroni-" + target, true);
                    lab.stopProcess("postgres-" + target, true);
                }
                case PATRONI_STOP -> lab.stopProcess("patroni-" + target, false);
                case PG_STOP -> {
                    if (!lab.pgCtlStop(target)) {
                        throw new ConnectError(ConnectError.Kind.FAILURE, "pg_ctl stop -m fast failed on " + target + "; see "
                                + lab.layout().log("lab"));
                    }
                }
                case ETCD_LEADER_KILL -> lab.stopProcess(target, true);
                case FREEZE_POSTGRES -> lab.freeze("postgres-" + target);
                case FREEZE_PATRONI -> lab.freeze("patroni-" + target);
                case DCS_OUTAGE -> names(target).forEach(lab::freeze);
                case PARTITION_LEADER, PARTITION_REPLICA -> network().isolate(target, false);
                case PARTITION_ONE_WAY -> network().isolate(target, true);
                case PARTITION_LEADER_DCS -> network().cutEtcd(target);
                case PARTITION_HALVES -> network().split(names(target));
                case LATENCY_LEADER -> network().delay(target, LATENCY);
                case SWITCHOVER -> throw new IllegalArgumentException("a switchover is not a process fault");
            }
        }

        @Override
        public void restore(FaultKind kind, String target) {
            switch (kind) {
                case PATRONI_KILL, PATRONI_STOP -> lab.startProcess("patroni-" + target);
                case ETCD_LEADER_KILL -> lab.startProcess(target);
                case FREEZE_POSTGRES -> lab.thaw("postgres-" + target);
                case FREEZE_PATRONI -> lab.thaw("patroni-" + target);
                case DCS_OUTAGE -> names(target).forEach(lab::thaw);
                case PARTITION_LEADER, PARTITION_REPLICA, PARTITION_ONE_WAY, PARTITION_LEADER_DCS, PARTITION_HALVES, LATENCY_LEADER ->
                        network().heal();
                default -> {
                    // Patroni starts PostgreSQL again by itself
                }
            }
        }

        @Override
        public String describe() {
            return "the lab's own processes" + (lab.network().isPresent() ? " and network namespaces" : "") + " in " + lab.layout().dir();
        }

        @Override
        public boolean partitions() {
            return lab.network().isPresent();
        }

        @Override
        public Optional<String> cannot(FaultKind kind) {
            if (kind.partitions() && lab.network().isEmpty()) {
                return Optional.of("--fault " + kind.option() + " acts on the network between hosts, so it needs a lab in network namespaces "
                        + "(lab up --network namespaces) or a drill_fault_command");
            }
            if (kind == FaultKind.LATENCY_LEADER) {
                return lab.network().flatMap(LabNetwork::whyNoNetem).map(why -> "--fault latency-leader needs tc's netem, which this "
                        + "machine cannot use: " + why);
            }
            return Optional.empty();
        }

        @Override
        public Optional<String> leaderSideClientAddress() {
            return lab.network().map(LabNetwork::leaderSideClientAddress);
        }

        private LabNetwork network() {
            return lab.network().orElseThrow(() -> ConnectError.invalidInput(
                    "partition faults need hosts of their own: a lab in network namespaces (lab up --network namespaces)"));
        }
    }

    /**
     * The cluster file's {@code drill_fault_command}, run as {@code COMMAND apply|restore FAULT TARGET} with the
     * target's details in the environment (CONNECT_FAULT, CONNECT_TARGET, CONNECT_TARGET_HOST, CONNECT_TARGET_PORT,
     * CONNECT_TARGET_DATA_DIR, CONNECT_CLUSTER). Exit 0 means done; it has 60 s. Its output goes to progress.
     */
    final class Command implements FaultInjector {
        private static final long TIMEOUT_S = 60;
        private final ClusterSpec spec;
        private final String command;
        private final Progress progress;

        Command(ClusterSpec spec, String command, Progress progress) {
            this.spec = spec;
            this.command = command;
            this.progress = progress;
        }

        @Override
        public void apply(FaultKind kind, String target) {
            run("apply", kind, target);
        }

        @Override
        public void restore(FaultKind kind, String target) {
            run("restore", kind, target);
        }

        @Override
        public String describe() {
            return "the cluster file's drill_fault_command " + command;
        }

        private void run(String action, FaultKind kind, String target) {
            ProcessBuilder pb = new ProcessBuilder(command, action, kind.option(), target).redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.putAll(environment(kind, target));
            Path output = null;
            try {
                output = Files.createTempFile("connect-fault-", ".out");
                pb.redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
                Process p = pb.start();
                boolean finished = p.waitFor(TIMEOUT_S, TimeUnit.SECONDS);
                byte[] out = Files.readAllBytes(output);
                if (!finished) {
                    p.destroyForcibly();
                    throw new ConnectError(ConnectError.Kind.FAILURE, command + " " + action + " " + kind.option() + " " + target
                            + " did not finish within " + TIMEOUT_S + " s");
                }
                String text = new String(out, StandardCharsets.UTF_8).strip();
                if (!text.isEmpty()) {
                    text.lines().forEach(l -> progress.info("  fault command: " + l));
                }
                if (p.exitValue() != 0) {
                    throw new ConnectError(ConnectError.Kind.FAILURE, command + " " + action + " " + kind.option() + " " + target
                            + " exited with " + p.exitValue());
                }
            } catch (IOException e) {
                throw new ConnectError(ConnectError.Kind.FAILURE, "cannot run drill_fault_command " + command + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectError(ConnectError.Kind.FAILURE, "interrupted while running " + command, e);
            } finally {
                if (output != null) {
                    try {
                        Files.deleteIfExists(output);
                    } catch (IOException ignored) {
                        // a temporary file
                    }
                }
            }
        }

        private Map<String, String> environment(FaultKind kind, String target) {
            Map<String, String> env = new HashMap<>();
            env.put("CONNECT_FAULT", kind.option());
            env.put("CONNECT_TARGET", target);
            env.put("CONNECT_CLUSTER", spec.name());
            Optional<MemberSpec> m = spec.member(target);
            m.ifPresent(member -> {
                env.put("CONNECT_TARGET_HOST", member.host());
                env.put("CONNECT_TARGET_PORT", Integer.toString(member.port()));
                env.put("CONNECT_TARGET_DATA_DIR", member.dataDir());
            });
            spec.etcd().members().stream().filter(e -> e.name().equals(target)).findFirst().ifPresent(e -> {
                env.put("CONNECT_TARGET_HOST", e.host());
                env.put("CONNECT_TARGET_PORT", Integer.toString(e.clientPort()));
            });
            env.putAll(hosts(spec, names(target)));
            return env;
        }
    }

    /**
     * What a network fault needs to know about hosts, for the fault command: CONNECT_TARGET_HOSTS (the named members'
     * or etcd members' hosts), CONNECT_MEMBER_HOSTS (every member's), CONNECT_PEER_HOSTS (every host of the cluster but
     * the targets': members, etcd, HAProxy, PgBouncer) and CONNECT_ETCD_PORTS (etcd's client and peer ports); comma-separated.
     */
    static Map<String, String> hosts(ClusterSpec spec, java.util.List<String> targets) {
        java.util.Set<String> targetHosts = new java.util.LinkedHashSet<>();
        for (String t : targets) {
            spec.member(t).ifPresent(m -> targetHosts.add(m.host()));
            spec.etcd().members().stream().filter(e -> e.name().equals(t)).forEach(e -> targetHosts.add(e.host()));
        }
        java.util.Set<String> all = new java.util.LinkedHashSet<>();
        spec.members().forEach(m -> all.add(m.host()));
        spec.etcd().members().forEach(e -> all.add(e.host()));
        all.add(spec.haproxy().host());
        all.add(spec.pgbouncer().host());
        all.removeAll(targetHosts);
        java.util.Set<String> ports = new java.util.TreeSet<>();
        spec.etcd().members().forEach(e -> {
            ports.add(Integer.toString(e.clientPort()));
            ports.add(Integer.toString(e.peerPort()));
        });
        return Map.of("CONNECT_TARGET_HOSTS", String.join(",", targetHosts),
                "CONNECT_MEMBER_HOSTS", String.join(",", spec.members().stream().map(MemberSpec::host).distinct().toList()),
                "CONNECT_PEER_HOSTS", String.join(",", all),
                "CONNECT_ETCD_PORTS", String.join(",", ports));
    }

    /** A TARGET naming several hosts or processes: names joined by commas. */
    static java.util.List<String> names(String target) {
        return java.util.Arrays.stream(target.split(",")).map(String::strip).filter(n -> !n.isEmpty()).toList();
    }

    /** Whether a file is there and executable: the fault command is checked before any drill starts. */
    static boolean executable(String command) {
        return Files.isExecutable(Path.of(command));
    }
}
