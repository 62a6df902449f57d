package io.connectha.config;

import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.config.EtcdConfigGenerator;
import io.connectha.config.HaproxyConfigGenerator;
import io.connectha.config.PatroniConfigGenerator;
import io.connectha.pg.MemorySizing;
import io.connectha.config.PostgresConfigGenerator;
import io.connectha.config.PgbouncerConfigGenerator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code config generate}: plans every file of the chosen components against the output directory, then writes. */
public final class ConfigGenerationService {

    /**
     * @param memoryBytes     target machine memory; null for the cluster file's, else this machine's
     * @param serverVerifiers SCRAM verifiers read from pg_authid, by role ({@code --from-server})
     */
    public record Request(Collection<Component> components, Path outDir, Long memoryBytes,
                          Map<String, String> serverVerifiers) {
    }

    private static final List<ConfigGenerator> GENERATORS = List.of(new PostgresConfigGenerator(),
            new PgbouncerConfigGenerator(), new HaproxyConfigGenerator(), new PatroniConfigGenerator(),
            new EtcdConfigGenerator(), new AppEnvGenerator());

    private final SecretResolver secrets;
    private final LoadedCluster cluster;
    private final ConfigFileWriter writer;

    public ConfigGenerationService(LoadedCluster cluster, SecretResolver secrets, ConfigFileWriter writer) {
        this.cluster = cluster;
        this.secrets = secrets;
        this.writer = writer;
    }

    /**
     * SCRAM verifiers of the app and PgBouncer admin roles as pg_authid holds them on a live member
     * ({@code --from-server}), so that PgBouncer's userlist matches the server exactly.
     */
    public Map<String, String> serverVerifiers() {
        var spec = cluster.spec();
        return new io.connectha.pg.AuthidReader(new io.connectha.pg.PgConnector(java.time.Duration.ofSeconds(3),
                java.time.Duration.ofSeconds(10)), secrets)
                .verifiers(spec, List.of(spec.postgresql().appUser(), spec.pgbouncer().adminUser()));
    }

    /** The generated files, in memory only. */
    public List<GeneratedFile> generate(Request request) {
        refuseUnsafeTimings();
        refuseOverRtoBudget();
        EnumSet<Component> wanted = request.components().isEmpty()
                ? EnumSet.allOf(Component.class) : EnumSet.copyOf(request.components());
        long memory = request.memoryBytes() != null ? request.memoryBytes()
                : cluster.spec().postgresql().memory() != null ? cluster.spec().postgresql().memory().bytes()
                : MemorySizing.thisMachine();
        GenerationContext ctx = new GenerationContext(cluster, secrets, memory, new ExistingFiles(request.outDir()),
                request.serverVerifiers());
        List<GeneratedFile> files = new ArrayList<>();
        for (ConfigGenerator g : GENERATORS) {
            if (wanted.contains(g.component())) {
                files.addAll(g.generate(ctx));
            }
        }
        return files;
    }

    /**
     * Patroni runs with timings that break its rule, and connect says so as a warning for a cluster that
     * runs; it does not write them into a new configuration.
     */
    private void refuseUnsafeTimings() {
        if (io.connectha.cluster.ClusterValidator.timingRule(cluster.spec().patroni()).isEmpty()) {
            return;
        }
        io.connectha.cluster.ClusterFileProblem warning = cluster.warnings().stream()
                .filter(w -> w.path().equals("patroni.ttl")).findFirst()
                .orElse(new io.connectha.cluster.ClusterFileProblem(0, 0, "patroni.ttl",
                        io.connectha.cluster.ClusterValidator.timingRule(cluster.spec().patroni()).get()));
        throw new io.connectha.cluster.ClusterFileException(cluster.file(), List.of(new io.connectha.cluster.ClusterFileProblem(
                warning.line(), warning.column(), warning.path(),
                warning.message() + "; config generate does not write timings that break Patroni's rule")));
    }

    /**
     * The settings' worst-case node-loss RTO must stay within the file's {@code rto_target}: a new configuration
     * is where the budget is cheapest to keep. The message names the setting that would bring it back under.
     */
    private void refuseOverRtoBudget() {
        var spec = cluster.spec();
        io.connectha.patroni.RtoBudget budget = io.connectha.patroni.RtoBudget.of(spec);
        if (!budget.overTarget()) {
            return;
        }
        var p = spec.patroni();
        String why = budget.overTargetMessage(p.ttl(), p.loopWait(), p.retryTimeout(), DcsConfigEditor.checkInterval(spec),
                spec.haproxy().rise());
        throw new io.connectha.cluster.ClusterFileException(cluster.file(), List.of(io.connectha.cluster.ClusterFileLoader.problemAt(
                cluster.file(), cluster.sets("/rto_target") ? "/rto_target" : "/patroni/ttl",
                why + "; config generate does not write a configuration over its RTO budget (or raise rto_target)")));
    }

    /** What writing would change, without writing. */
    public GenerationPlan plan(Request request, boolean dryRun) {
        List<GeneratedFile> files = generate(request);
        ConfigFileWriter.checkWritable(request.outDir(), files);
        List<FileChange> changes = files.stream().map(f -> compare(request.outDir(), f)).toList();
        return new GenerationPlan(request.outDir().toString(), dryRun, changes);
    }

    /** Plans, then writes every change. */
    public GenerationPlan write(Request request) {
        GenerationPlan plan = plan(request, false);
        List<FileChange> done = writer.applyAll(request.outDir(), plan.files());
        return new GenerationPlan(plan.outDir(), false, done);
    }

    private static FileChange compare(Path outDir, GeneratedFile file) {
        Path target = outDir.resolve(file.path());
        String mode = file.kind().octal();
        if (!Files.isRegularFile(target)) {
            return new FileChange(file.path(), FileChange.Action.create, mode, file.kind().secret(), file, Optional.empty(), Optional.empty());
        }
        try {
            String previous = Files.readString(target);
            FileChange.Action action = !previous.equals(file.content()) ? FileChange.Action.update
                    : !PosixFilePermissions.toString(Files.getPosixFilePermissions(target)).equals(file.kind().permissions()) ? FileChange.Action.chmod
                    : FileChange.Action.unchanged;
            return new FileChange(file.path(), action, mode, file.kind().secret(), file, Optional.of(previous), Optional.empty());
        } catch (IOException e) {
            return new FileChange(file.path(), FileChange.Action.update, mode, file.kind().secret(), file, Optional.empty(), Optional.empty());
        }
    }
}
