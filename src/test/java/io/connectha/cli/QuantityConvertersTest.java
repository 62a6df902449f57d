package io.connectha.cli;

import io.connectha.cluster.ByteSize;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QuantityConvertersTest {

    private final QuantityConverters.PositiveTime time = new QuantityConverters.PositiveTime();
    private final QuantityConverters.Size size = new QuantityConverters.Size();
    private final QuantityConverters.PositiveSize positiveSize = new QuantityConverters.PositiveSize();

    @ParameterizedTest
    @CsvSource({"1s,1000", "500ms,500", "2 min,120000", "1.5s,1500", "10,10000", "1h,3600000", "1d,86400000"})
    void a_positive_time_is_read_as_the_cluster_file_reads_it(String text, long millis) {
        assertThat(time.convert(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0|'0' is not more than 0",
            "0ms|'0ms' is not more than 0",
            "0.0000001ms|'0.0000001ms' is not more than 0",
            "-1s|'-1s' is not a time: a time cannot be negative",
            "soon|'soon' is not a time",
            "5 fortnights|unknown time unit 'fortnights' in '5 fortnights' (use ms, s, min or h)",
            "99999999999h|'99999999999h' is too long a time"})
    void a_time_that_means_nothing_is_refused_with_one_line(String text, String message) {
        assertThatThrownBy(() -> time.convert(text)).isInstanceOf(TypeConversionException.class).hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource({"0,0", "1MB,1048576", "512kB,524288", "1 GB,1073741824", "10mb,10485760", "1048576,1048576"})
    void a_size_may_be_0(String text, long bytes) {
        assertThat(size.convert(text)).isEqualTo(new ByteSize(bytes));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "5XB|unknown size unit 'XB' in '5XB' (use B, kB, MB, GB or TB)",
            "-1MB|'-1MB' is not a size: a size cannot be negative",
            "lots|'lots' is not a size",
            "99999999TB|'99999999TB' is too large a size",
            "8388608TB|'8388608TB' is too large a size"})
    void a_size_that_means_nothing_is_refused_with_one_line(String text, String message) {
        assertThatThrownBy(() -> size.convert(text)).isInstanceOf(TypeConversionException.class).hasMessage(message);
        assertThatThrownBy(() -> positiveSize.convert(text)).isInstanceOf(TypeConversionException.class).hasMessage(message);
    }

    @Test
    void the_largest_size_that_fits_is_taken() {
        assertThat(size.convert("8388607TB").bytes()).isEqualTo(8388607L << 40);
    }

    @Test
    void a_positive_size_refuses_0_and_takes_the_rest() {
        assertThat(positiveSize.convert("12GB")).isEqualTo(new ByteSize(12L << 30));
        assertThatThrownBy(() -> positiveSize.convert("0 MB")).isInstanceOf(TypeConversionException.class)
                .hasMessage("'0 MB' is not more than 0");
    }
}
