package io.connectha.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuantitiesTest {

    @ParameterizedTest
    @CsvSource({"1048576,1048576", "1kB,1024", "16kB,16384", "1MB,1048576", "10 MB,10485760", "10mb,10485760",
            "1GB,1073741824", "1.5MB,1572864", "5 megabytes,5242880", "2 GiB,2147483648", "0,0"})
    void sizes_follow_postgresql_and_check_postgres(String text, long bytes) {
        assertThat(Quantities.parseBytes(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({"500ms,500", "1s,1000", "5,5000", "2 min,120000", "1.5s,1500", "10 seconds,10000", "1h,3600000"})
    void times_take_ms_s_and_min(String text, long millis) {
        assertThat(Quantities.parseDuration(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void an_unknown_unit_is_named() {
        assertThatThrownBy(() -> Quantities.parseBytes("3 parsecs")).hasMessageContaining("unknown size unit 'parsecs'");
        assertThatThrownBy(() -> Quantities.parseDuration("3 fortnights")).hasMessageContaining("unknown time unit");
        assertThatThrownBy(() -> Quantities.parseBytes("many")).hasMessageContaining("is not a size");
    }
}
