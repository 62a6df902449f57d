package io.connectha.render;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.config.LiveDcsConfig;

import java.util.Locale;

/** The effective cluster file as YAML, with a header saying where it came from. */
public final class ClusterFileView {

    private ClusterFileView() {
    }

    public static String yaml(LoadedCluster cluster) {
        return "# effective cluster file: " + cluster.file() + " with defaults filled in\n" + Renderer.yaml(cluster.spec());
    }

    /**
     * {@code config show -o json}: the effective cluster file's fields as they always were, and beside
     * them {@code dcs_config}, Patroni's dynamic settings as the cluster runs them.
     */
    public record Shown(@JsonUnwrapped ClusterSpec spec, LiveDcsConfig.Shown dcsConfig) {
    }

    /**
     * The effective cluster file, then Patroni's dynamic settings as the cluster runs them, as YAML
     * comments: the output still loads as a cluster file.
     */
    public static String yaml(LoadedCluster cluster, LiveDcsConfig.Shown live) {
        return yaml(cluster) + comments(live);
    }

    /** {@code -o yaml}: the cluster file alone (it loads again), the live settings as comments after it. */
    public static String plainYaml(LoadedCluster cluster, LiveDcsConfig.Shown live) {
        return Renderer.yaml(cluster.spec()) + comments(live);
    }

    private static String comments(LiveDcsConfig.Shown live) {
        StringBuilder sb = new StringBuilder();
        sb.append(live.live()
                ? "# Patroni's dynamic configuration, as the cluster runs it (live, from " + live.source() + "):\n"
                : "# Patroni's dynamic configuration could not be read; the cluster file's values:\n");
        int width = Math.max(24, live.settings().stream().mapToInt(s -> s.key().length()).max().orElse(0));
        for (LiveDcsConfig.Setting s : live.settings()) {
            String file = !live.live() ? (s.fileSets() ? "set in the file" : "default")
                    : s.differs() ? "differs: the file says " + s.fileValue()
                    : s.fileSets() ? "as the file says"
                    : s.fileValue() == null ? "not in the file"
                    : "the file leaves it out" + (io.connectha.patroni.DcsConfig.same(s.fileValue(), s.value()) ? ""
                            : " (its default: " + s.fileValue() + ")");
            sb.append(String.format(Locale.ROOT, "#   %-" + width + "s  %-14s %-18s %s%n", s.key(), s.value(), s.from(), file));
        }
        return sb.toString();
    }
}
