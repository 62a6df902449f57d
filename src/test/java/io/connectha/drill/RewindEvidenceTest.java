package io.connectha.drill;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RewindEvidenceTest {

    /** Patroni 3.0.2's own lines, as the lab logged them when a killed leader came back. */
    private static final List<String> REWOUND = List.of(
            "2026-11-23 07:28:47,160 INFO: doing crash recovery in a single user mode",
            "2026-11-23 07:28:47,404 INFO: Local timeline=1 lsn=0/5000028",
            "2026-11-23 07:28:48,605 INFO: primary_timeline=2",
            "2026-11-23 07:28:48,668 INFO: running pg_rewind from pg1",
            "2026-11-23 07:28:50,402 INFO: running pg_rewind from dbname=postgres user=postgres host=127.0.0.11 port=26101",
            "2026-11-23 07:28:51,212 INFO: pg_rewind exit code=0",
            "2026-11-23 07:28:51,213 INFO:  stdout=",
            "2026-11-23 07:28:51,213 INFO:  stderr=pg_rewind: servers diverged at WAL location 0/413EE48 on timeline 1",
            "pg_rewind: rewinding from last common checkpoint at 0/2000110 on timeline 1",
            "pg_rewind: Done!");

    @Test
    void a_rewind_after_a_crash_is_read_with_its_exit_code_and_where_the_servers_diverged() {
        RewindEvidence e = RewindEvidence.parse(REWOUND);
        assertThat(e).isEqualTo(new RewindEvidence(true, true, 0, "0/413EE48", false));
    }

    @Test
    void a_replica_that_only_followed_shows_no_rewind() {
        RewindEvidence e = RewindEvidence.parse(List.of(
                "2026-11-23 07:34:43,372 INFO: starting as a secondary",
                "2026-11-23 07:34:44,798 INFO: no action. I am (pg1), a secondary, and following a leader (pg3)"));
        assertThat(e).isEqualTo(RewindEvidence.NONE);
        assertThat(e.rewindRan()).isFalse();
    }

    @Test
    void a_failed_or_cancelled_rewind_and_a_removed_data_directory_are_told_apart() {
        RewindEvidence failed = RewindEvidence.parse(List.of(
                "2026-11-23 07:34:43,279 INFO: pg_rewind exit code=1",
                "2026-11-23 07:34:43,300 WARNING: remove_data_directory_on_rewind_failure is set. removing..."));
        assertThat(failed).isEqualTo(new RewindEvidence(false, true, 1, null, true));
        RewindEvidence cancelled = RewindEvidence.parse(List.of("2026-11-23 07:34:43,279 INFO: pg_rewind exit code=None"));
        assertThat(cancelled.rewindRan()).isTrue();
        assertThat(cancelled.rewindExitCode()).isNull();
    }

    @Test
    void only_what_was_logged_after_the_offset_counts(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("patroni-pg1.log");
        Files.writeString(log, String.join("\n", REWOUND) + "\n");
        long offset = Files.size(log);
        assertThat(RewindEvidence.scan(log, offset)).isEqualTo(RewindEvidence.NONE);
        Files.writeString(log, "2026-11-23 07:40:00,000 INFO: no action. I am (pg1), a secondary, and following a leader (pg3)\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(RewindEvidence.scan(log, offset)).isEqualTo(RewindEvidence.NONE);
        assertThat(RewindEvidence.scan(log, 0).rewindRan()).isTrue();
        assertThat(RewindEvidence.scan(dir.resolve("missing.log"), 0)).isEqualTo(RewindEvidence.NONE);
    }
}
