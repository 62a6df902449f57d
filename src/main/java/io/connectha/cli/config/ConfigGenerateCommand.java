package io.connectha.cli.config;

import io.connectha.cli.DryRunOption;
import io.connectha.cli.CommandContext;
import io.connectha.cli.OutputOptions;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cli.QuantityConverters;
import io.connectha.cluster.ByteSize;
import io.connectha.cluster.SecretResolver;
import io.connectha.config.Component;
import io.connectha.config.ConfigFileWriter;
import io.connectha.config.ConfigGenerationService;
import io.connectha.config.GenerationPlan;
import io.connectha.render.GenerationPlanView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate configuration for PostgreSQL, PgBouncer, HAProxy, Patroni and etcd, and the app's connection strings.",
                "Files are written atomically; a file whose content changes is kept as a copy",
                "named NAME.bak-<time>. A second run changes nothing.",
                "Secret files (passwords, SCRAM verifiers) are written with mode 0600 and never shown."})
public final class ConfigGenerateCommand implements Runnable {

    @Parameters(paramLabel = "COMPONENT", arity = "0..*",
            description = "Components to generate: ${COMPLETION-CANDIDATES} (default: all).")
    List<Component> components = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "config", converter = OutDirectory.class,
            description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    DryRunOption dryRun;

    @Option(names = "--diff", description = "Show a unified diff against the files on disk (implies nothing about writing; combine with --dry-run to only look).")
    boolean diff;

    @Option(names = "--memory", paramLabel = "SIZE", converter = QuantityConverters.PositiveSize.class,
            description = "Memory of the target machines for sizing, such as 128GB (default: postgresql.memory, else this machine's).")
    ByteSize memory;

    @Option(names = "--from-server", description = "Read SCRAM verifiers from pg_authid on a live member instead of computing them.")
    boolean fromServer;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    /** An empty --out (an unset variable in a script) would write into the current directory: refused. */
    public static final class OutDirectory implements picocli.CommandLine.ITypeConverter<Path> {
        @Override
        public Path convert(String text) {
            if (text.isBlank()) {
                throw new picocli.CommandLine.TypeConversionException(
                        "an empty directory name; give the directory to write into, such as --out config");
            }
            return Path.of(text);
        }
    }

    @Override
    public void run() {
        LoadedCluster cluster = CommandContext.loadClusterQuietly(spec);
        // broken timings are refused below, in one line, rather than warned of first
        CommandContext.warn(spec, cluster, w -> !w.path().equals("patroni.ttl"));
        SecretResolver secrets = new SecretResolver(cluster);
        ConfigGenerationService service = new ConfigGenerationService(cluster, secrets, new ConfigFileWriter());
        Map<String, String> serverVerifiers = fromServer ? service.serverVerifiers() : Map.of();
        var request = new ConfigGenerationService.Request(components, out, memory == null ? null : memory.bytes(), serverVerifiers);
        GenerationPlan plan = dryRun.on() ? service.plan(request, true) : service.write(request);
        Renderer.print(spec.commandLine().getOut(), output.format(), plan, w -> GenerationPlanView.print(w, plan, diff));
        if (!dryRun.on()) {
            CommandContext.progress(spec).info(GenerationPlanView.summary(plan));
        }
    }
}
