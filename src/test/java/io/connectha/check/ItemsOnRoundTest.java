package io.connectha.check;

import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.status.StatusSamples;
import io.connectha.status.StatusService;
import io.connectha.support.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The monitor's items, judged on one status round: what the round could not get is UNKNOWN, never a failure of the round. */
class ItemsOnRoundTest {

    @Test
    void with_etcd_frozen_no_view_and_no_config_every_item_is_unknown_and_the_state_is_kept(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, TestClusters.minimal(dir));
        LoadedCluster cluster = new ClusterFileLoader().load(file);
        // every Patroni's /cluster hangs on the DCS, and etcd gives no config key: only /patroni answered on one member
        StatusService.Gathered round = new StatusService.Gathered(StatusSamples.etcdDown(1, 2, 3), null,
                Map.of(), Map.of("pg1", "no answer within 3500 ms"), null);
        CheckState before = new CheckState(cluster.spec().name(), 3, "abc", Map.of("ttl", "30"));
        ItemsCheck.Judged judged = new ItemsCheck(cluster, new SecretResolver(cluster)).judge(round, before, null);
        assertThat(judged.report().items()).hasSize(CheckItem.values().length)
                .allSatisfy(r -> assertThat(r.status()).as(r.item().name()).isEqualTo(CheckStatus.UNKNOWN));
        assertThat(judged.report().status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(judged.next()).as("a round that saw nothing does not forget the timeline or the config").isEqualTo(before);
    }
}
