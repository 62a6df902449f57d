package io.connectha.cli;

import io.connectha.support.CommandRun;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code check --only}'s bad input: UNKNOWN (3), one line on stdout naming the item's service, before anything is asked. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CheckOnlyOptionsTest {

    private static CommandRun check(Path dir, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "ha";
        all[1] = "-c";
        all[2] = dir.resolve("none.yaml").toString();
        all[3] = "check";
        System.arraycopy(args, 0, all, 4, args.length);
        return CommandRun.of(all);
    }

    @Test
    void a_changed_item_without_a_state_file_is_unknown(@TempDir Path dir) {
        CommandRun run = check(dir, "--only", "timeline_changed,config_changed");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out()).isEqualTo("HA CHECK TIMELINE_CHANGED,CONFIG_CHANGED UNKNOWN - --only timeline_changed,config_changed "
                + "compares with the last run: give --state-file PATH\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void an_unknown_item_lists_the_items(@TempDir Path dir) {
        CommandRun run = check(dir, "--only", "leaderz");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out().strip()).isEqualTo("HA CHECK UNKNOWN - Invalid value for option '--only' (ITEM): unknown item 'leaderz' for --only; "
                + "items: leader, replicas, members, sync_standbys, paused, scheduled_action, pending_restart, timeline_changed, config_changed");
    }

    @Test
    void an_item_option_without_only_or_a_negative_minimum_is_unknown(@TempDir Path dir) {
        CommandRun state = check(dir, "--state-file", dir.resolve("s.json").toString());
        assertThat(state.exitCode()).isEqualTo(3);
        assertThat(state.out().strip()).isEqualTo("HA CHECK UNKNOWN - --state-file applies to --only ITEM; without --only, check runs its checklist");
        CommandRun negative = check(dir, "--only", "members", "--min-members", "-1");
        assertThat(negative.exitCode()).isEqualTo(3);
        assertThat(negative.out().strip()).isEqualTo("HA CHECK MEMBERS UNKNOWN - --min-members must be 0 or more, not -1");
    }

    @Test
    void a_dash_spelling_of_an_item_is_accepted_and_reaches_the_cluster_file(@TempDir Path dir) {
        CommandRun run = check(dir, "--only", "pending-restart");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out()).startsWith("HA CHECK PENDING_RESTART UNKNOWN - ").contains("no such cluster file");
    }
}
