package io.connectha.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The corpus of bad inputs (src/test/resources/bad-inputs, one case per file, format in its README.md):
 * each case runs connect as a separate process, as cron or a pipeline would, with its own environment,
 * umask and files, and must give its exit code and its one line on stderr, in time, with no stack trace,
 * no Java class name and none of its secrets anywhere.
 */
class BadInputCorpusTest {

    private static final Path PROJECT = Path.of(System.getProperty("connect.project.dir", "."));
    private static final Path CORPUS = PROJECT.resolve("src/test/resources/bad-inputs");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TestFactory
    Stream<DynamicTest> every_bad_input_gets_one_clear_line_and_its_exit_code() throws IOException {
        List<Path> cases;
        try (Stream<Path> files = Files.walk(CORPUS)) {
            cases = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(cases).as("cases in " + CORPUS).isNotEmpty();
        return cases.stream().map(c -> DynamicTest.dynamicTest(CORPUS.relativize(c).toString(), () -> run(c)));
    }

    private static void run(Path file) throws Exception {
        JsonNode c = YAML.readTree(file.toFile());
        Path dir = Files.createTempDirectory("connect-bad-input-");
        try {
            Files.createDirectories(dir.resolve("home"));
            for (Iterator<Map.Entry<String, JsonNode>> it = c.path("files").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                Path p = dir.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, expand(f.getValue().asText(), dir), StandardCharsets.UTF_8);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = c.path("modes").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> m = it.next();
                Files.setPosixFilePermissions(dir.resolve(m.getKey()), PosixFilePermissions.fromString(rwx(m.getValue().asText())));
            }
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"), "io.connectha.cli.Main"));
            c.path("args").forEach(a -> command.add(expand(a.asText(), dir)));
            String umask = c.path("umask").asText("022");
            List<String> shell = new ArrayList<>(List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
            shell.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(shell).directory(dir.toFile());
            Map<String, String> env = pb.environment();
            // XDG_* too: a contexts file under the real XDG_CONFIG_HOME would choose the cluster file of a case
            env.keySet().removeIf(k -> k.startsWith("CONNECT_") || k.startsWith("PG") || k.startsWith("XDG_"));
            env.put("HOME", dir.resolve("home").toString());
            c.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), expand(e.getValue().asText(), dir)));
            pb.redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile());
            if (c.has("stdin")) {
                Files.writeString(dir.resolve("stdin.txt"), c.get("stdin").asText());
                pb.redirectInput(dir.resolve("stdin.txt").toFile());
            } else {
                pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            }
            double maxSeconds = c.path("max_seconds").asDouble(8);
            Instant start = Instant.now();
            Process p = pb.start();
            boolean ended = p.waitFor((long) (maxSeconds * 1000) + 20_000, TimeUnit.MILLISECONDS);
            Duration took = Duration.between(start, Instant.now());
            if (!ended) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            String out = Files.readString(dir.resolve("stdout.txt"));
            String err = Files.readString(dir.resolve("stderr.txt"));
            String what = file.getFileName() + " (" + c.path("why").asText() + ")\nstdout: " + out + "\nstderr: " + err;
            assertThat(ended).as("ended: " + what).isTrue();
            assertThat(took.toMillis()).as("ms taken: " + what).isLessThanOrEqualTo((long) (maxSeconds * 1000));
            assertThat(p.exitValue()).as("exit code: " + what).isEqualTo(c.path("exit").asInt());
            assertThat(err).as("stack trace or Java class name: " + what)
                    .doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("java.").doesNotContain("io.connectha");
            if (c.has("stderr")) {
                assertThat(err.lines().toList()).as("stderr: " + what).containsExactly(expand(c.get("stderr").asText(), dir));
            } else if (c.has("stderr_starts")) {
                assertThat(err.lines().count()).as("one stderr line: " + what).isEqualTo(1);
                assertThat(err).as("stderr: " + what).startsWith(expand(c.get("stderr_starts").asText(), dir));
            }
            c.path("stderr_contains").forEach(s -> assertThat(err).as("stderr: " + what).contains(expand(s.asText(), dir)));
            if (c.has("stdout")) {
                assertThat(out.lines().toList()).as("stdout: " + what).containsExactly(expand(c.get("stdout").asText(), dir));
            }
            c.path("stdout_contains").forEach(s -> assertThat(out).as("stdout: " + what).contains(expand(s.asText(), dir)));
            c.path("secrets").forEach(s -> {
                assertThat(out).as("secret in stdout: " + what).doesNotContain(s.asText());
                assertThat(err).as("secret in stderr: " + what).doesNotContain(s.asText());
            });
            for (Iterator<Map.Entry<String, JsonNode>> it = c.path("then_modes").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> m = it.next();
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(m.getKey()))))
                        .as("mode of " + m.getKey() + ": " + what).isEqualTo(rwx(m.getValue().asText()));
            }
            c.path("then_absent").forEach(a -> assertThat(dir.resolve(a.asText())).as("absent: " + what).doesNotExist());
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String expand(String s, Path dir) {
        return s.replace("{dir}", dir.toString()).replace("{project}", PROJECT.toString());
    }

    /** "0600" as rw-------. */
    private static String rwx(String octal) {
        StringBuilder sb = new StringBuilder();
        String digits = octal.length() > 3 ? octal.substring(octal.length() - 3) : octal;
        for (char d : digits.toCharArray()) {
            int v = d - '0';
            sb.append((v & 4) != 0 ? 'r' : '-').append((v & 2) != 0 ? 'w' : '-').append((v & 1) != 0 ? 'x' : '-');
        }
        return sb.toString();
    }
}
