package io.connectha.pg;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MemorySizingTest {

    private static final long MB = 1L << 20;
    private static final long GB = 1L << 30;

    @Test
    void sizes_128gb_as_the_seed_plan_does() {
        MemorySizing m = MemorySizing.forMachine(128 * GB, 200);
        assertThat(m.sharedBuffers()).isEqualTo(32 * GB);
        assertThat(m.effectiveCacheSize()).isEqualTo(64 * GB);
        assertThat(m.maintenanceWorkMem()).isEqualTo(2 * GB);
        assertThat(m.workMem()).isEqualTo(163 * MB); // (128 - 32) GB / (3 x 200), rounded down to MB
        assertThat(m.walBuffers()).isEqualTo(16 * MB);
        assertThat(m.maxWalSize()).isEqualTo(4 * GB);
    }

    @Test
    void small_machines_keep_sane_floors() {
        MemorySizing m = MemorySizing.forMachine(512 * MB, 200);
        assertThat(m.sharedBuffers()).isEqualTo(128 * MB);
        assertThat(m.workMem()).isEqualTo(4 * MB);
        assertThat(m.maintenanceWorkMem()).isEqualTo(64 * MB);
        assertThat(m.minWalSize()).isEqualTo(256 * MB);
    }
}
