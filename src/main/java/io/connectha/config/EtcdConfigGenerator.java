package io.connectha.config;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.EtcdSpec;
import io.connectha.config.Component;
import io.connectha.config.ConfigGenerator;
import io.connectha.config.GeneratedFile;
import io.connectha.config.GenerationContext;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** etcd/: one config file per member ({@code etcd --config-file}), v3 API only. */
public final class EtcdConfigGenerator implements ConfigGenerator {

    @Override
    public Component component() {
        return Component.etcd;
    }

    @Override
    public List<GeneratedFile> generate(GenerationContext ctx) {
        ClusterSpec spec = ctx.spec();
        EtcdSpec etcd = spec.etcd();
        String initialCluster = etcd.members().stream().map(m -> m.name() + "=" + m.peerUrl()).collect(Collectors.joining(","));
        List<GeneratedFile> files = new ArrayList<>();
        for (EtcdSpec.EtcdMemberSpec m : etcd.members()) {
            String text = "# " + ctx.header("etcd") + "\n"
                    + "# Start with: etcd --config-file " + m.name() + ".yml\n"
                    + "name: " + m.name() + "\n"
                    + "data-dir: " + etcd.dataDirRoot() + "/" + m.name() + "\n"
                    + "listen-client-urls: " + m.clientUrl() + "\n"
                    + "advertise-client-urls: " + m.clientUrl() + "\n"
                    + "listen-peer-urls: " + m.peerUrl() + "\n"
                    + "initial-advertise-peer-urls: " + m.peerUrl() + "\n"
                    + "initial-cluster: " + initialCluster + "\n"
                    + "initial-cluster-token: " + spec.name() + "-etcd\n"
                    + "initial-cluster-state: new\n"
                    + "enable-v2: false\n"
                    // Patroni's etcd3 client speaks JSON to the gRPC gateway; with --config-file, etcd 3.4 leaves it off
                    + "enable-grpc-gateway: true\n"
                    + "auto-compaction-mode: periodic\n"
                    + "auto-compaction-retention: \"1h\"\n"
                    + "logger: zap\n"
                    + "log-outputs: [stderr]\n"
                    + "log-level: warn\n";
            files.add(GeneratedFile.config("etcd/" + m.name() + ".yml", text));
        }
        return files;
    }
}
