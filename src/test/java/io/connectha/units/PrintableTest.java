package io.connectha.units;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PrintableTest {

    @Test
    void an_escape_code_is_shown_not_obeyed() {
        assertThat(Printable.visible("pg\u001b[31mred")).isEqualTo("pg\\e[31mred");
    }

    @Test
    void a_newline_is_shown_and_nothing_after_it_is_lost() {
        assertThat(Printable.visible("line one\nline two\r\tend")).isEqualTo("line one\\nline two\\r\\tend");
    }

    @Test
    void other_controls_and_c1_codes_become_hex() {
        assertThat(Printable.visible("a\u0000b\u0007c\u007fd\u009be")).isEqualTo("a\\x00b\\x07c\\x7fd\\x9be");
    }

    @Test
    void a_direction_override_cannot_reverse_the_text() {
        assertThat(Printable.visible("pg\u202eevil")).isEqualTo("pg\\u202eevil");
    }

    @Test
    void ordinary_text_is_unchanged_unicode_and_backslashes_included() {
        String text = "pg-1 ✓ lag 1.5 MB, Zürich, C:\\data /var/lib";
        assertThat(Printable.visible(text)).isSameAs(text);
        assertThat(Printable.visible(null)).isNull();
    }
}
