package io.connectha.cli;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The --help of every command, read as a user reads it on an 80-column terminal. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HelpTextTest {

    // a dotted name or a path cut where picocli wrapped it: "./cluster." then "yaml", or "else ." then "/cluster.yaml"
    private static final Pattern CUT_END = Pattern.compile("(\\S[./]|\\s\\.)$");
    // the next line goes on with a lower-case word or a path, and is not a new entry of a list ("name   text")
    private static final Pattern CUT_START = Pattern.compile("^\\s*[a-z_/][^\\s]*(\\s?\\S|$)");
    private static final Pattern LIST_ENTRY = Pattern.compile("^\\s*\\S+\\s{2,}");

    @Test
    void no_help_cuts_a_path_or_a_dotted_name_across_lines() {
        List<String> cuts = new ArrayList<>();
        for (Map.Entry<String, String> help : everyHelp().entrySet()) {
            String[] lines = help.getValue().split("\n");
            for (int i = 0; i + 1 < lines.length; i++) {
                String end = lines[i].stripTrailing();
                if (CUT_END.matcher(end).find() && !end.endsWith("..") && CUT_START.matcher(lines[i + 1]).find()
                        && !LIST_ENTRY.matcher(lines[i + 1]).find() && !lines[i + 1].strip().startsWith("-")) {
                    cuts.add(help.getKey() + ": " + end.strip() + " | " + lines[i + 1].strip());
                }
            }
        }
        assertThat(cuts).isEmpty();
    }

    @Test
    void every_command_summary_is_a_whole_sentence() {
        List<String> cut = new ArrayList<>();
        walk(Main.newCommandLine(), cmd -> {
            String[] description = cmd.getCommandSpec().usageMessage().description();
            if (description.length > 0 && !description[0].strip().endsWith(".")) {
                cut.add(cmd.getCommandSpec().qualifiedName() + ": " + description[0]);
            }
        });
        assertThat(cut).isEmpty();
    }

    @Test
    void the_checks_list_the_nagios_exit_codes() {
        for (String[] check : new String[][] {{"ha", "check"}, {"ha", "lag", "check"}, {"ha", "slots", "check"}}) {
            String help = help(check);
            assertThat(help).contains("Exit codes (Nagios plugin states):").contains("0   OK").contains("1   WARNING")
                    .contains("2   CRITICAL").contains("3   UNKNOWN").doesNotContain("Usage error").doesNotContain("Degraded");
        }
    }

    @Test
    void each_command_lists_the_codes_it_can_return() {
        assertThat(help("ha", "status")).contains("4   Degraded").contains("5   A component").doesNotContain("7   A program");
        assertThat(help("ha", "config", "show")).contains("2   Usage error").doesNotContain("5   A component").doesNotContain("4   Degraded");
        assertThat(help("ha", "patroni", "list")).contains("5   A component").doesNotContain("4   Degraded").doesNotContain("7   A program");
        assertThat(help("ha", "lab", "up")).contains("7   A program the command needs is missing");
        assertThat(help("ha", "patroni")).contains("0   OK").contains("2   Usage error").doesNotContain("5   A component");
    }

    private static String help(String... path) {
        CommandLine cmd = Main.newCommandLine();
        for (String name : path) {
            cmd = cmd.getSubcommands().get(name);
        }
        StringWriter out = new StringWriter();
        cmd.usage(new PrintWriter(out, true), CommandLine.Help.Ansi.OFF);
        return out.toString();
    }

    private static Map<String, String> everyHelp() {
        Map<String, String> all = new java.util.LinkedHashMap<>();
        walk(Main.newCommandLine(), cmd -> {
            StringWriter out = new StringWriter();
            cmd.usage(new PrintWriter(out, true), CommandLine.Help.Ansi.OFF);
            all.put(cmd.getCommandSpec().qualifiedName(), out.toString());
        });
        return all;
    }

    private static void walk(CommandLine cmd, java.util.function.Consumer<CommandLine> visit) {
        visit.accept(cmd);
        cmd.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                walk(sub, visit);
            }
        });
    }
}
