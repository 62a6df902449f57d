package io.connectha.lab;

import io.connectha.error.ConnectError;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabSubnetTest {

    @Test
    void hosts_sit_at_fixed_offsets_from_the_first_address() {
        LabSubnet s = LabSubnet.parse("198.19.4.0/24");
        assertThat(s.gateway()).isEqualTo("198.19.4.1");
        assertThat(s.leaderSideClient()).isEqualTo("198.19.4.2");
        assertThat(s.proxy()).isEqualTo("198.19.4.10");
        assertThat(s.member(1)).isEqualTo("198.19.4.11");
        assertThat(s.member(9)).isEqualTo("198.19.4.19");
        assertThat(s).hasToString("198.19.4.0/24");
        assertThat(LabSubnet.parse("198.18.0.32/27").member(3)).isEqualTo("198.18.0.45");
    }

    @Test
    void only_the_range_reserved_for_network_tests_is_accepted() {
        assertThatThrownBy(() -> LabSubnet.parse("10.0.0.0/24")).isInstanceOf(ConnectError.class).hasMessageContaining("outside 198.18.0.0/15");
        assertThatThrownBy(() -> LabSubnet.parse("198.20.0.0/24")).hasMessageContaining("outside 198.18.0.0/15");
        assertThatThrownBy(() -> LabSubnet.parse("198.18.0.0/14")).hasMessageContaining("between /15 and /27");
        assertThatThrownBy(() -> LabSubnet.parse("198.18.0.0/28")).hasMessageContaining("between /15 and /27");
        assertThatThrownBy(() -> LabSubnet.parse("198.18.0.1/24")).hasMessageContaining("did you mean 198.18.0.0/24?");
        assertThatThrownBy(() -> LabSubnet.parse("198.18.0/24")).hasMessageContaining("expected an IPv4 range");
        assertThatThrownBy(() -> LabSubnet.parse("198.18.0.300/24")).hasMessageContaining("expected an IPv4 range");
        assertThatThrownBy(() -> LabSubnet.parse("198.18.0.0")).hasMessageContaining("expected an IPv4 range");
        assertThat(LabSubnet.DEFAULT).hasToString("198.18.0.0/24");
    }

    @Test
    void a_namespace_labs_cluster_file_puts_every_host_in_the_range_and_says_so() {
        LabOptions o = new LabOptions(Path.of("/tmp/x"), 3, 3, 25000, LabOptions.Profile.fast, true, false, LabOptions.Network.namespaces,
                LabSubnet.parse("198.18.1.0/24"));
        String text = LabClusterFile.render(o);
        assertThat(LabClusterFile.namespaces(text)).contains(LabSubnet.parse("198.18.1.0/24"));
        assertThat(text).contains("{name: pg2, host: 198.18.1.12, port: 25002, patroni_port: 25012}")
                .contains("{name: etcd3, host: 198.18.1.13, client_port: 25023, peer_port: 25033}")
                .contains("networks: [198.18.1.0/24]").contains("stats_host: 198.18.1.10").doesNotContain("127.0.0.");
        assertThat(LabClusterFile.isWrittenByLab(text)).isTrue();
        String loopback = LabClusterFile.render(new LabOptions(Path.of("/tmp/x"), 3, 1, 25000, LabOptions.Profile.fast, false));
        assertThat(LabClusterFile.namespaces(loopback)).isEmpty();
        assertThat(loopback).contains("host: 127.0.0.11").doesNotContain("198.18.");
    }

    @Test
    void names_come_from_the_directory_alone_and_fit_an_interface_name() {
        String p = LabNetwork.prefix(Path.of("/tmp/connect-test-nslab"));
        assertThat(p).matches("cx[0-9a-f]{6}").isEqualTo(LabNetwork.prefix(Path.of("/tmp/../tmp/connect-test-nslab")));
        assertThat(p).isNotEqualTo(LabNetwork.prefix(Path.of("/tmp/connect-test-nslab2")));
        // veths are PREFIX + h|n + index, the bridge PREFIX + br: all within Linux's 15 characters
        assertThat((p + "h9").length()).isLessThanOrEqualTo(15);
    }

    @Test
    void a_namespace_lab_needs_a_member_host_for_each_etcd_member() {
        assertThatThrownBy(() -> new LabOptions(Path.of("/tmp/x"), 2, 3, 25000, LabOptions.Profile.fast, false, false,
                LabOptions.Network.namespaces, LabSubnet.DEFAULT)).hasMessageContaining("only 2");
        assertThatThrownBy(() -> new LabOptions(Path.of("/tmp/x"), 2, 1, 25000, LabOptions.Profile.fast, false, true,
                LabOptions.Network.namespaces, LabSubnet.DEFAULT)).hasMessageContaining("--plain runs on loopback only");
    }
}
