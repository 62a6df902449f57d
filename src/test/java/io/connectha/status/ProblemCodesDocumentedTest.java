package io.connectha.status;

import io.connectha.support.TestClusters;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/status.md's table of problem codes is what scripts rely on: it must name exactly the codes
 * the judgment raises, with their severity and in their order, and each must be raised by a unit test.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProblemCodesDocumentedTest {

    /** The classes whose tests judge hand-built observations and say which codes they raise. */
    private static final List<Class<?>> JUDGMENT_TESTS = List.of(StatusJudgmentTest.class);

    private static final Pattern CODE = Pattern.compile("`([a-z_]+)`");

    /** The codes of the table under "## Problems", in the table's order, with their severity. */
    static Map<String, String> documented() throws IOException {
        List<String> lines = Files.readAllLines(TestClusters.PROJECT.resolve("docs/status.md"));
        int start = lines.indexOf("## Problems");
        assertThat(start).as("docs/status.md has a \"## Problems\" section").isNotNegative();
        Map<String, String> codes = new LinkedHashMap<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            Matcher m = CODE.matcher(cells[1]);
            while (m.find()) {
                codes.put(m.group(1), cells[2].trim());
            }
        }
        return codes;
    }

    @Test
    void the_documented_codes_are_the_codes_status_raises_with_their_severity_in_their_order() throws IOException {
        Map<String, String> documented = documented();
        assertThat(documented).as("codes in docs/status.md").hasSizeGreaterThanOrEqualTo(20);
        assertThat(new ArrayList<>(documented.keySet())).as("codes of docs/status.md, in order, against ProblemCode")
                .containsExactly(Arrays.stream(ProblemCode.values()).map(Enum::name).toArray(String[]::new));
        for (ProblemCode code : ProblemCode.values()) {
            assertThat(documented.get(code.name())).as("severity of " + code + " in docs/status.md").isEqualTo(code.severity.name());
        }
    }

    @Test
    void every_documented_code_is_raised_by_a_unit_test() throws IOException {
        Set<String> covered = JUDGMENT_TESTS.stream().flatMap(c -> Arrays.stream(c.getDeclaredMethods()))
                .filter(m -> m.isAnnotationPresent(Test.class) && m.isAnnotationPresent(Raises.class))
                .map(m -> m.getAnnotation(Raises.class)).flatMap(r -> Arrays.stream(r.value())).collect(Collectors.toSet());
        Set<String> documented = documented().keySet();
        assertThat(documented.stream().filter(code -> !covered.contains(code)).toList())
                .as("codes docs/status.md lists that no unit test raises (see @Raises)").isEmpty();
        assertThat(covered.stream().filter(code -> !documented.contains(code)).toList())
                .as("codes a unit test raises that docs/status.md does not list").isEmpty();
    }
}
