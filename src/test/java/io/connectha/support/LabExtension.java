package io.connectha.support;

import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.lab.Lab;
import io.connectha.lab.LabOptions;
import io.connectha.process.Progress;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Brings one 3-member lab (fast profile) up for the whole integration suite and always takes it
 * down when the suite ends, passed or failed. A lab left by a test JVM that was killed is cleared
 * first, so it never blocks the next run. Tests receive it as a {@link RunningLab} parameter.
 */
public final class LabExtension implements BeforeAllCallback, ParameterResolver {

    public static final Path DIR = Path.of(System.getProperty("connect.test.lab-dir", "/tmp/connect-test-lab"));
    public static final int PORT_BASE = Integer.getInteger("connect.test.lab-port-base", 23000);
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LabExtension.class);

    /** The shared lab: its directory, cluster file and secrets. */
    public record RunningLab(Lab lab, Path dir, LoadedCluster cluster, SecretResolver secrets)
            implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            lab.down(true);
        }

        public Path clusterFile() {
            return cluster.file();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        running(context);
    }

    private static RunningLab running(ExtensionContext context) {
        return context.getRoot().getStore(NS).getOrComputeIfAbsent(RunningLab.class, k -> start(), RunningLab.class);
    }

    private static RunningLab start() {
        Lab lab = new Lab(DIR, new Progress(new PrintWriter(System.err, true), false));
        lab.down(true);
        // a JVM stopped with SIGTERM or Ctrl-C still takes its lab down; after SIGKILL the next run does
        Thread hook = new Thread(() -> lab.down(false), "lab-down");
        Runtime.getRuntime().addShutdownHook(hook);
        lab.up(new LabOptions(DIR, 3, 1, PORT_BASE, LabOptions.Profile.fast, false));
        LoadedCluster cluster = new ClusterFileLoader().load(lab.layout().clusterFile());
        return new RunningLab(lab, DIR, cluster, new SecretResolver(cluster));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RunningLab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return running(context);
    }
}
