package io.connectha.cli;

import io.connectha.support.CommandRun;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code discover --all-scopes}: what it refuses before asking anything (exit 2, one line), and its help. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DiscoverAllScopesOptionsTest {

    private static final String ETCD = "http://127.0.0.1:1";

    private static void refused(String expected, String... args) {
        CommandRun run = CommandRun.of(args);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err().lines().toList()).containsExactly("connect: " + expected);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void all_scopes_without_out_dir_is_a_usage_error() {
        refused("--all-scopes writes one file per cluster: give --out-dir DIR", "ha", "discover", "--etcd", ETCD, "--all-scopes");
    }

    @Test
    void all_scopes_with_out_scope_or_context_is_a_usage_error() {
        String head = "--all-scopes writes DIR/<scope>.yaml and registers context <scope> for each cluster; it takes no ";
        refused(head + "--out", "ha", "discover", "--etcd", ETCD, "--all-scopes", "--out-dir", "/tmp/x", "--out", "/tmp/x/a.yaml");
        refused(head + "--scope", "ha", "discover", "--etcd", ETCD, "--all-scopes", "--out-dir", "/tmp/x", "--scope", "a");
        refused(head + "--context", "ha", "--context", "a", "discover", "--etcd", ETCD, "--all-scopes", "--out-dir", "/tmp/x");
    }

    @Test
    void all_scopes_needs_etcd_and_takes_no_one_cluster_source() {
        refused("--all-scopes finds the clusters in etcd: give --etcd URL", "ha", "discover", "--all-scopes", "--out-dir", "/tmp/x");
        refused("--all-scopes discovers each cluster from etcd alone; --haproxy-config describes one cluster: discover that one with --scope NAME",
                "ha", "discover", "--etcd", ETCD, "--all-scopes", "--out-dir", "/tmp/x", "--haproxy-config", "/tmp/x/haproxy.cfg");
    }

    @Test
    void out_dir_without_all_scopes_is_a_usage_error() {
        refused("--out-dir DIR is where --all-scopes writes one file per cluster; give --all-scopes too, or --out FILE",
                "ha", "discover", "--etcd", ETCD, "--out-dir", "/tmp/x");
    }

    @Test
    void help_names_the_all_scopes_exit_code_rule() {
        CommandRun help = CommandRun.of("ha", "discover", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--all-scopes").contains("--out-dir=DIR")
                .contains("With --all-scopes: the worst (highest) of the clusters' codes");
    }
}
