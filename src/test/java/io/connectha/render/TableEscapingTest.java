package io.connectha.render;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class TableEscapingTest {

    @Test
    void a_cell_with_an_escape_code_or_a_newline_stays_on_its_row_and_visible() {
        StringWriter out = new StringWriter();
        new Table("MEMBER", "ROLE").row("pg\u001b[31m1", "leader").row("two\nlines", "replica").print(new PrintWriter(out, true));
        assertThat(out.toString().lines()).containsExactly(
                "MEMBER      ROLE",
                "-------------------",
                "pg\\e[31m1   leader",
                "two\\nlines  replica");
        assertThat(out.toString()).doesNotContain("\u001b");
    }
}
