package io.connectha.cli.lab;

import io.connectha.cli.ExitCodes;
import io.connectha.cli.CommandContext;
import io.connectha.cli.OutputOptions;
import io.connectha.lab.Lab;
import io.connectha.lab.LabOptions;
import io.connectha.lab.LabStatus;
import io.connectha.lab.LabSubnet;
import io.connectha.render.LabView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "up",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE, ExitCodes.LINE_UNREACHABLE, ExitCodes.LINE_AUTHENTICATION_FAILED, ExitCodes.LINE_MISSING_PROGRAM, ExitCodes.LINE_INTERRUPTED},
        mixinStandardHelpOptions = true,
        description = {"Start a lab and wait until it is ready for use.",
                "Start a lab and return when it is truly ready: one leader, every replica streaming (per pg_stat_replication),",
                "HAProxy routing writes to the leader and reads to replicas, PgBouncer answering. Progress goes to stderr.",
                "Safe to run twice: on a running lab it says so and starts nothing."})
public final class LabUpCommand implements Runnable {

    @Mixin
    LabDirOption dir;

    @Option(names = "--members", defaultValue = "3", description = "PostgreSQL members, each with its own Patroni (1-9; default: ${DEFAULT-VALUE}).")
    int members;

    @Option(names = "--etcd-members", defaultValue = "1", description = "etcd members: 1 or 3 (default: ${DEFAULT-VALUE}).")
    int etcdMembers;

    @Option(names = "--port-base", defaultValue = "" + LabOptions.DEFAULT_PORT_BASE, paramLabel = "N",
            description = "Ports are N+1 ... N+50, all below 32768 (default: ${DEFAULT-VALUE}).")
    int portBase;

    @Option(names = "--profile", defaultValue = "fast", converter = ProfileConverter.class, paramLabel = "fast|default",
            description = {"fast (default): Patroni ttl 10, loop_wait 2, retry_timeout 4 and HAProxy checks every 500 ms, for drills;",
                    "default: Patroni's defaults (ttl 30, loop_wait 10, retry_timeout 10) and checks every second."})
    LabOptions.Profile profile;

    @Option(names = "--synchronous", description = "Turn on Patroni's synchronous_mode.")
    boolean synchronous;

    @Option(names = "--plain", description = {"No etcd, Patroni or HAProxy: pg1 a primary and pg2 a hot standby with streaming",
            "replication and a slot (built by replication setup and clone), PgBouncer in front of the primary."})
    boolean plain;

    @Option(names = "--network", defaultValue = "loopback", paramLabel = "loopback|namespaces",
            description = {"loopback (default): every host an address on lo, the quick lab;",
                    "namespaces: every host its own network namespace on a bridge (3 member hosts running etcd, Patroni and",
                    "PostgreSQL, a proxy host running HAProxy and PgBouncer), so that drills can partition them. Needs root, ip and nft."})
    LabOptions.Network network;

    @Option(names = "--subnet", defaultValue = "198.18.0.0/24", paramLabel = "CIDR",
            description = "The namespaces' addresses, inside 198.18.0.0/15 (reserved for network tests; default: ${DEFAULT-VALUE}).")
    String subnet;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        LabOptions options = new LabOptions(dir.dir(), plain ? 2 : members, network == LabOptions.Network.namespaces && etcdMembers == 1
                && !spec.commandLine().getParseResult().hasMatchedOption("--etcd-members") ? Math.min(3, members) : etcdMembers,
                portBase, profile, synchronous, plain, network, LabSubnet.parse(subnet));
        LabStatus status = new Lab(options.dir(), CommandContext.progress(spec)).up(options);
        Renderer.print(spec.commandLine().getOut(), output.format(), status, out -> LabView.print(out, status));
    }

    static final class ProfileConverter implements ITypeConverter<LabOptions.Profile> {
        @Override
        public LabOptions.Profile convert(String value) {
            return switch (value) {
                case "fast" -> LabOptions.Profile.fast;
                case "default" -> LabOptions.Profile.default_;
                default -> throw new picocli.CommandLine.TypeConversionException("expected fast or default, got '" + value + "'");
            };
        }
    }
}
