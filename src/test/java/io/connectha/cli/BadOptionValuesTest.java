package io.connectha.cli;

import io.connectha.support.CommandRun;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A time or size option with a value that means nothing is a usage error: exit 2 and one line on stderr
 * that names the option, before any cluster file is read or anything is reached. No lab: the value is
 * refused while the arguments are parsed.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BadOptionValuesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ha status --read-timeout 99999999999h|--read-timeout|'99999999999h' is too long a time",
            "ha status --max-lag 5XB|--max-lag|unknown size unit 'XB' in '5XB' (use B, kB, MB, GB or TB)",
            "ha status --max-lag -1MB|--max-lag|'-1MB' is not a size: a size cannot be negative",
            "ha dashboard --max-lag 5XB|--max-lag|unknown size unit 'XB' in '5XB' (use B, kB, MB, GB or TB)",
            "ha config generate --memory 12XB|--memory|unknown size unit 'XB' in '12XB' (use B, kB, MB, GB or TB)",
            "ha config generate --memory 0|--memory|'0' is not more than 0",
            "ha status --connect-timeout 0|--connect-timeout|'0' is not more than 0",
            "ha patroni switchover --wait 0s|--wait|'0s' is not more than 0",
            "ha patroni list --read-timeout soon|--read-timeout|'soon' is not a time",
            "ha replication verify --deadline 0|--deadline|'0' is not more than 0",
            "ha replication promote --member pg1 --timeout 5 fortnights|--timeout|unknown time unit 'fortnights' in '5 fortnights' (use ms, s, min or h)",
            "ha haproxy enable pg1 --wait 0|--wait|'0' is not more than 0",
            "ha pgbouncer pause --wait 0|--wait|'0' is not more than 0",
            "ha drill failover --max-rto 0|--max-rto|'0' is not more than 0",
            "ha drill split-brain --before 0|--before|'0' is not more than 0"})
    void a_bad_value_exits_2_with_one_line_naming_the_option(String args, String option, String why) {
        CommandRun run = CommandRun.of(split(args));
        assertThat(run.exitCode()).as(args).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines()).as(args).containsExactly("connect: Invalid value for option '" + option + "': " + why);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void a_bad_value_names_no_java_class_and_prints_no_stack_trace() {
        CommandRun run = CommandRun.of("ha", "config", "generate", "--memory", "12XB");
        assertThat(run.err()).doesNotContain("java.").doesNotContain("Exception").doesNotContain("Long").doesNotContain("\tat ");
    }

    @Test
    void a_check_says_unknown_on_stdout_for_a_bad_value_as_its_exit_codes_say(@TempDir Path dir) {
        // a monitoring plugin's 2 is CRITICAL: a check refuses a bad value with UNKNOWN (3), as it does any bad option
        CommandRun run = CommandRun.of("ha", "-c", dir.resolve("none.yaml").toString(), "lag", "check", "--timeout", "0");
        assertThat(run.exitCode()).isEqualTo(NagiosPlugin.UNKNOWN);
        assertThat(run.out().lines()).containsExactly("REPLICATION LAG UNKNOWN - Invalid value for option '--timeout': '0' is not more than 0");
        assertThat(run.err()).isEmpty();

        CommandRun lag = CommandRun.of("ha", "check", "--max-lag", "5XB");
        assertThat(lag.exitCode()).isEqualTo(NagiosPlugin.UNKNOWN);
        assertThat(lag.out().lines()).containsExactly(
                "HA CHECK UNKNOWN - Invalid value for option '--max-lag': unknown size unit 'XB' in '5XB' (use B, kB, MB, GB or TB)");

        CommandRun slots = CommandRun.of("ha", "slots", "check", "--critical", "0");
        assertThat(slots.exitCode()).isEqualTo(NagiosPlugin.UNKNOWN);
        assertThat(slots.out().lines()).containsExactly("REPLICATION SLOTS UNKNOWN - Invalid value for option '--critical': '0' is not more than 0");
    }

    @Test
    void an_unknown_option_is_one_line_with_what_was_meant() {
        CommandRun run = CommandRun.of("ha", "status", "--no-such");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines()).containsExactly("connect: unknown option '--no-such' for 'connect ha status'");
        CommandRun typo = CommandRun.of("ha", "status", "--max-lagg", "3");
        assertThat(typo.err().lines()).containsExactly("connect: unknown option '--max-lagg' for 'connect ha status'; did you mean '--max-lag'?");
    }

    private static String[] split(String args) {
        // "5 fortnights" is one argument: the last word of a value with a space is glued back
        String[] words = args.split(" ");
        if (args.endsWith("5 fortnights")) {
            String[] fixed = java.util.Arrays.copyOf(words, words.length - 1);
            fixed[fixed.length - 1] = "5 fortnights";
            return fixed;
        }
        return words;
    }
}
