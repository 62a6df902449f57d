package io.connectha.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PgpassFileTest {

    @Test
    void matches_fields_with_wildcards_and_escapes() {
        PgpassFile f = PgpassFile.parse(List.of(
                "# comment",
                "10.0.0.1:5432:replication:replicator:rep\\:pw",
                "*:*:app:app:app-pw",
                "10.0.0.1:5432:*:postgres:first",
                "*:*:*:postgres:second"));
        assertThat(f.find("10.0.0.1", 5432, "replication", "replicator")).contains("rep:pw");
        assertThat(f.find("10.9.9.9", 6432, "app", "app")).contains("app-pw");
        assertThat(f.find("10.0.0.1", 5432, "app", "postgres")).contains("first");
        assertThat(f.find("10.0.0.2", 5432, "app", "postgres")).contains("second");
        assertThat(f.find("10.0.0.2", 5432, "app", "nobody")).isEmpty();
    }

    @Test
    void escape_round_trips() {
        String tricky = "a:b\\c";
        PgpassFile f = PgpassFile.parse(List.of("h:1:d:u:" + PgpassFile.escape(tricky)));
        assertThat(f.find("h", 1, "d", "u")).contains(tricky);
    }
}
