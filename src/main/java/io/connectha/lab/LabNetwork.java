package io.connectha.lab;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.EtcdSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.error.ConnectError;
import io.connectha.process.ProcessController;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The network of a lab whose hosts are network namespaces: one namespace per member host and one for the proxy
 * host, each with a veth whose other end is on a bridge in the host namespace, where connect and the drills'
 * clients run, as an application server would. No namespace has a route beyond the lab's range.
 *
 * <p>Every name is derived from the lab directory ({@code cx} and 6 hex digits of its hash), so that lab down
 * finds all of it again after a crash, without any state file. Partitions are nft rules in a table of their
 * own inside the namespaces; deleting a namespace deletes its rules, and {@link #heal} deletes them all.
 */
public final class LabNetwork {

    /** The nft table that holds a fault's rules in a namespace; nothing else of the lab uses nft. */
    static final String FAULT_TABLE = "connect_fault";
    static final String PROXY = "proxy";

    private final LabLayout layout;
    private final LabSubnet subnet;
    private final String prefix;

    LabNetwork(LabLayout layout, LabSubnet subnet) {
        this.layout = layout;
        this.subnet = subnet;
        this.prefix = prefix(layout.dir());
    }

    /** The network of the lab in {@code layout}, when its cluster file says its hosts are namespaces. */
    static Optional<LabNetwork> of(LabLayout layout) {
        if (!Files.isRegularFile(layout.clusterFile())) {
            return Optional.empty();
        }
        return LabClusterFile.namespaces(LabClusterFile.read(layout)).map(s -> new LabNetwork(layout, s));
    }

    static String prefix(Path dir) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(dir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return "cx" + HexFormat.of().formatHex(hash).substring(0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public LabSubnet subnet() {
        return subnet;
    }

    /** The address a client in the host namespace binds to be on the leader's side of every partition. */
    public String leaderSideClientAddress() {
        return subnet.leaderSideClient();
    }

    /** The namespace of a host: {@code proxy} or a member's name. */
    public String namespace(String host) {
        return prefix + "-" + host;
    }

    String bridge() {
        return prefix + "br";
    }

    /** The namespace a process of the lab runs in: etcd on its member's host, HAProxy and PgBouncer on the proxy host. */
    String namespaceOf(String process, ClusterSpec spec) {
        if (process.equals("haproxy") || process.equals("pgbouncer")) {
            return namespace(PROXY);
        }
        for (MemberSpec m : spec.members()) {
            if (process.equals(LabNames.patroni(m)) || process.equals(LabNames.postgres(m))) {
                return namespace(m.name());
            }
        }
        for (EtcdSpec.EtcdMemberSpec e : spec.etcd().members()) {
            if (process.equals(e.name())) {
                return spec.members().stream().filter(m -> m.host().equals(e.host())).findFirst().map(m -> namespace(m.name()))
                        .orElseThrow(() -> new ConnectError(ConnectError.Kind.FAILURE, e.name() + " is on no member's host"));
            }
        }
        throw new IllegalArgumentException("no process " + process + " in the lab");
    }

    // ---------------------------------------------------------------- making and removing it

    /** Refuses, in one line each, what would stop a namespace lab: not root, no ip or nft, the range in use. */
    static void requireCanCreate(LabSubnet subnet) {
        if (!ProcessController.isRoot()) {
            throw ConnectError.invalidInput("--network namespaces needs root: it makes network namespaces, a bridge and nft rules");
        }
        Programs.requireIn("ip", "iproute2");
        Programs.requireIn("nft", "nftables");
        String used = exec(List.of("ip", "-o", "-4", "addr", "show"), true);
        for (String line : used.lines().toList()) {
            if (line.contains(" " + subnet.gateway() + "/")) {
                throw ConnectError.invalidInput("--subnet " + subnet + ": " + subnet.gateway() + " is already an address of this host ("
                        + line.split("\\s+")[1] + "); another lab may use this range: choose another --subnet");
            }
        }
    }

    /** The bridge, then a namespace with its veth for the proxy host and each member host. */
    void create(ClusterSpec spec) {
        remove();
        String len = "/" + subnet.prefix();
        exec(List.of("ip", "link", "add", bridge(), "type", "bridge"), false);
        exec(List.of("ip", "addr", "add", subnet.gateway() + len, "dev", bridge()), false);
        exec(List.of("ip", "addr", "add", subnet.leaderSideClient() + len, "dev", bridge()), false);
        exec(List.of("ip", "link", "set", bridge(), "up"), false);
        Map<String, String> hosts = hosts(spec);
        int index = 0;
        for (Map.Entry<String, String> h : hosts.entrySet()) {
            String ns = namespace(h.getKey());
            String outside = prefix + "h" + index;
            String inside = prefix + "n" + index;
            index++;
            exec(List.of("ip", "netns", "add", ns), false);
            exec(List.of("ip", "link", "add", outside, "type", "veth", "peer", "name", inside, "netns", ns), false);
            exec(List.of("ip", "link", "set", outside, "master", bridge(), "up"), false);
            exec(List.of("ip", "-n", ns, "addr", "add", h.getValue() + len, "dev", inside), false);
            exec(List.of("ip", "-n", ns, "link", "set", inside, "up"), false);
            exec(List.of("ip", "-n", ns, "link", "set", "lo", "up"), false);
        }
        note("created " + bridge() + " and namespaces " + hosts.keySet().stream().map(this::namespace).toList());
    }

    /** The lab's hosts by name (proxy, then the members) and their addresses. */
    private Map<String, String> hosts(ClusterSpec spec) {
        Map<String, String> hosts = new LinkedHashMap<>();
        hosts.put(PROXY, subnet.proxy());
        spec.members().forEach(m -> hosts.put(m.name(), m.host()));
        return hosts;
    }

    /**
     * Kills whatever still runs in the lab's namespaces (what a crash leaves), deletes them, their veths and the
     * bridge. Safe to run twice, and with nothing there. Returns what it removed.
     */
    List<String> remove() {
        List<String> removed = new ArrayList<>();
        for (String ns : existingNamespaces()) {
            List<Long> pids = exec(List.of("ip", "netns", "pids", ns), true).lines().map(String::strip).filter(l -> l.matches("\\d+"))
                    .map(Long::parseLong).toList();
            if (!pids.isEmpty()) {
                ProcessController.signal("CONT", pids);
                ProcessController.stopAll(pids, java.time.Duration.ofSeconds(5));
                removed.add("pids " + pids + " in " + ns);
            }
            exec(List.of("ip", "netns", "del", ns), true);
            removed.add("namespace " + ns);
        }
        if (exec(List.of("ip", "-o", "link", "show"), true).lines().anyMatch(l -> l.contains(" " + bridge() + ":"))) {
            exec(List.of("ip", "link", "del", bridge()), true);
            removed.add("bridge " + bridge());
        }
        if (!removed.isEmpty()) {
            note("removed " + removed);
        }
        return removed;
    }

    /**
     * Whether the bridge is up. Without it, the lab's addresses are reached by the host's default route, that is,
     * through the real network: nothing of the lab may probe them then.
     */
    public boolean exists() {
        return exec(List.of("ip", "-o", "link", "show", "dev", bridge()), true).contains(bridge() + ":");
    }

    /** Whether anything of this lab's network is left. */
    boolean leftOver() {
        return !existingNamespaces().isEmpty()
                || exec(List.of("ip", "-o", "link", "show"), true).lines().anyMatch(l -> l.contains(" " + bridge() + ":"));
    }

    private List<String> existingNamespaces() {
        if (Programs.find("ip", null).isEmpty()) {
            return List.of();
        }
        return exec(List.of("ip", "netns", "list"), true).lines().map(l -> l.split("\\s+")[0])
                .filter(n -> n.startsWith(prefix + "-")).toList();
    }

    // ---------------------------------------------------------------- partitions

    /** Cuts a member's host off from every other lab host but the leader-side client; with {@code inboundOnly} it can still send. */
    public void isolate(String member, boolean inboundOnly) {
        String keep = subnet.leaderSideClient();
        String rules = chain("input", "iifname \"lo\" accept\n      ip saddr " + keep + " accept\n      ip saddr " + subnet + " drop")
                + (inboundOnly ? "" : chain("output", "oifname \"lo\" accept\n      ip daddr " + keep + " accept\n      ip daddr " + subnet + " drop"));
        apply(member, rules, (inboundOnly ? "one-way " : "") + "partition of " + member);
    }

    /** Cuts a member's host off from etcd: every etcd client and peer port, both ways, but on its own loopback. */
    public void cutEtcd(String member) {
        ClusterSpec spec = spec();
        Set<Integer> ports = new TreeSet<>();
        spec.etcd().members().forEach(e -> {
            ports.add(e.clientPort());
            ports.add(e.peerPort());
        });
        String set = "{ " + ports.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " }";
        String body = "tcp dport " + set + " drop\n      tcp sport " + set + " drop";
        apply(member, chain("input", "iifname \"lo\" accept\n      " + body) + chain("output", "oifname \"lo\" accept\n      " + body),
                "etcd cut off from " + member);
    }

    /** Splits the member hosts: those named reach only each other, the rest only each other; the proxy and clients reach both. */
    public void split(Collection<String> side) {
        ClusterSpec spec = spec();
        List<MemberSpec> a = spec.members().stream().filter(m -> side.contains(m.name())).toList();
        List<MemberSpec> b = spec.members().stream().filter(m -> !side.contains(m.name())).toList();
        if (a.size() != side.size() || a.isEmpty() || b.isEmpty()) {
            throw ConnectError.invalidInput("partition-halves: " + side + " must name some but not all of the members "
                    + spec.members().stream().map(MemberSpec::name).toList());
        }
        for (MemberSpec m : spec.members()) {
            List<MemberSpec> other = a.contains(m) ? b : a;
            String set = "{ " + other.stream().map(MemberSpec::host).collect(Collectors.joining(", ")) + " }";
            apply(m.name(), chain("input", "ip saddr " + set + " drop") + chain("output", "ip daddr " + set + " drop"),
                    "halves " + a.stream().map(MemberSpec::name).toList() + " | " + b.stream().map(MemberSpec::name).toList());
        }
    }

    /** Delays every packet leaving a member's host (so every exchange with it) by {@code delay}, with tc netem. */
    public void delay(String member, java.time.Duration delay) {
        exec(List.of("ip", "netns", "exec", namespace(member), "tc", "qdisc", "replace", "dev", device(member), "root", "netem", "delay",
                delay.toMillis() + "ms"), false);
        note("latency of " + delay.toMillis() + " ms on " + member);
    }

    /**
     * Why tc netem cannot be used here (this kernel has no sch_netem, or tc is missing), tried on a lab host's own
     * device and taken off at once; empty when it can.
     */
    public Optional<String> whyNoNetem() {
        if (Programs.find("tc", null).isEmpty()) {
            return Optional.of("tc is not installed (Debian package iproute2)");
        }
        ClusterSpec spec = spec();
        String member = spec.members().get(0).name();
        String out = exec(List.of("ip", "netns", "exec", namespace(member), "tc", "qdisc", "add", "dev", device(member), "root", "netem",
                "delay", "0ms"), true);
        exec(List.of("ip", "netns", "exec", namespace(member), "tc", "qdisc", "del", "dev", device(member), "root"), true);
        return out.isBlank() ? Optional.empty() : Optional.of("tc qdisc add ... netem said: " + out.strip().lines().findFirst().orElse(""));
    }

    /** The veth end inside a member's namespace: index 0 is the proxy's, then the members in the cluster file's order. */
    private String device(String member) {
        List<MemberSpec> members = spec().members();
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).name().equals(member)) {
                return prefix + "n" + (i + 1);
            }
        }
        throw ConnectError.invalidInput("no member '" + member + "' in the lab");
    }

    /** Removes every partition rule and any latency from every lab namespace; safe to call twice. */
    public void heal() {
        ClusterSpec spec = Files.isRegularFile(layout.clusterFile()) ? spec() : null;
        List<String> namespaces = existingNamespaces();
        for (String ns : namespaces) {
            nft(ns, deleteTable());
        }
        if (spec != null && Programs.find("tc", null).isPresent()) {
            for (MemberSpec m : spec.members()) {
                if (namespaces.contains(namespace(m.name()))) {
                    exec(List.of("ip", "netns", "exec", namespace(m.name()), "tc", "qdisc", "del", "dev", device(m.name()), "root"), true);
                }
            }
        }
        note("healed");
    }

    /** What lab status shows of the network. */
    LabNetworkStatus status() {
        List<String> namespaces = existingNamespaces();
        List<String> partitioned = namespaces.stream().filter(ns -> exec(List.of("ip", "netns", "exec", ns, "nft", "list", "tables"), true)
                .contains(FAULT_TABLE)).toList();
        return new LabNetworkStatus(subnet.toString(), bridge(), exists(), namespaces.stream().sorted().toList(), partitioned);
    }

    /** Whether some namespace holds partition rules: a lab left partitioned is a defect, and this is how it is seen. */
    public boolean partitioned() {
        return !status().partitioned().isEmpty();
    }

    private void apply(String member, String chains, String what) {
        spec().member(member).orElseThrow(() -> ConnectError.invalidInput("no member '" + member + "' in the lab"));
        nft(namespace(member), deleteTable() + "table inet " + FAULT_TABLE + " {\n" + chains + "}\n");
        note(what + ": rules in " + namespace(member));
    }

    /** Adding an empty table and deleting it is nft's "delete if there", in the same transaction as what follows. */
    private static String deleteTable() {
        return "table inet " + FAULT_TABLE + " {}\ndelete table inet " + FAULT_TABLE + "\n";
    }

    private static String chain(String hook, String rules) {
        return "  chain " + hook + " {\n      type filter hook " + hook + " priority -10; policy accept;\n      " + rules + "\n  }\n";
    }

    private void nft(String ns, String script) {
        try {
            Path file = Files.createTempFile(layout.run(), "nft-", ".rules");
            try {
                Files.writeString(file, script);
                exec(List.of("ip", "netns", "exec", ns, "nft", "-f", file.toString()), false);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw ConnectError.io("write nft rules in", layout.run(), e);
        }
    }

    private ClusterSpec spec() {
        return new io.connectha.cluster.ClusterFileLoader().load(layout.clusterFile()).spec();
    }

    private void note(String line) {
        try {
            Files.createDirectories(layout.logs());
            Files.writeString(layout.log("network"), Instant.now() + " " + line + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the log is for people; the network's state is what counts
        }
    }

    /** Runs ip or nft; its output, or with {@code lenient} whatever it said even on failure. */
    private static String exec(List<String> command, boolean lenient) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ConnectError(ConnectError.Kind.FAILURE, String.join(" ", command) + " did not finish within 20 s");
            }
            if (p.exitValue() != 0 && !lenient) {
                throw new ConnectError(ConnectError.Kind.FAILURE, String.join(" ", command) + " failed: " + out.strip().lines().findFirst().orElse(""));
            }
            return out;
        } catch (IOException e) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectError(ConnectError.Kind.FAILURE, "interrupted while running " + command.get(0), e);
        }
    }
}
