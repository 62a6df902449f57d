package io.connectha.integration;

import io.connectha.status.ClusterStatus;
import io.connectha.status.MemberStatus;
import io.connectha.support.CommandRun;
import io.connectha.support.Health;
import io.connectha.support.LabExtension;
import io.connectha.support.LabExtension.RunningLab;
import io.connectha.support.TestClusters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard as an operator sees it: the built jar runs in a real terminal (a detached tmux
 * session, 160x50) against the lab; keys go in with send-keys and the screen comes out with
 * capture-pane. Needs the jar: {@code mvn -q -B package -DskipTests} first.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DashboardTmuxTest {

    /** Our own session name, so the test never touches anyone else's tmux sessions. */
    private static final String SESSION = "connect-dashboard-test-" + ProcessHandle.current().pid();
    private static final String EXITED = "DASHBOARD-EXITED";

    @AfterEach
    void kill_the_session() {
        tmuxQuietly("kill-session", "-t", SESSION);
    }

    @Test
    void shows_every_member_follows_a_switchover_within_seconds_and_q_leaves_a_usable_terminal(RunningLab lab) {
        ClusterStatus before = Health.awaitHealthy(lab, Duration.ofSeconds(90));
        Path jar = TestClusters.PROJECT.resolve("target/connect.jar").toAbsolutePath();
        assertThat(jar).as("build the jar first: mvn -q -B package -DskipTests").exists();
        // after the dashboard, the pane runs a shell: what an operator gets back when q restores the terminal
        tmux("new-session", "-d", "-s", SESSION, "-x", "160", "-y", "50",
                "java -jar " + jar + " ha -c " + lab.clusterFile() + " dashboard --no-color; echo " + EXITED + " $?; exec sh");
        try {
            String screen = awaitScreen("every member and the leader", Duration.ofSeconds(30), s -> header(s).contains("leader " + before.leader() + " ")
                    && before.members().stream().allMatch(m -> s.contains("  " + m.name() + " ")));
            for (MemberStatus m : before.members()) {
                assertThat(screen).containsPattern("(?m)^  " + m.name() + " +" + (m.isLeader() ? "leader" : "replica"));
            }
            assertThat(tmux("display-message", "-p", "-t", SESSION, "#{alternate_on}").trim()).isEqualTo("1");

            String candidate = before.members().stream().filter(m -> !m.isLeader()).findFirst().orElseThrow().name();
            CommandRun switchover = CommandRun.of("ha", "-c", lab.clusterFile().toString(), "patroni", "switchover",
                    "--candidate", candidate, "--yes");
            assertThat(switchover.exitCode()).as(switchover.out() + switchover.err()).isZero();
            Instant confirmed = Instant.now();
            String after = awaitScreen("the new leader " + candidate, Duration.ofSeconds(5),
                    s -> header(s).contains("leader " + candidate + " ") && s.contains("leader changed: " + before.leader() + " -> " + candidate));
            assertThat(Duration.between(confirmed, Instant.now())).isLessThan(Duration.ofSeconds(5));
            assertThat(after).containsPattern("(?m)^  " + candidate + " +leader");

            tmux("send-keys", "-t", SESSION, "q");
            String exited = awaitScreen("the dashboard's exit", Duration.ofSeconds(10), s -> s.contains(EXITED));
            assertThat(exited).contains(EXITED + " 0");
            assertThat(tmux("display-message", "-p", "-t", SESSION, "#{alternate_on}").trim()).as("left the alternate screen").isEqualTo("0");
            assertThat(exited).as("the dashboard's screen is gone with the alternate screen").doesNotContain("Members (");
            // echo and line editing work again: the shell reads a typed line and runs it
            tmux("send-keys", "-t", SESSION, "echo usable-$((20+22))", "Enter");
            awaitScreen("the shell's answer", Duration.ofSeconds(10), s -> s.contains("usable-42"));
        } finally {
            tmuxQuietly("kill-session", "-t", SESSION);
            Health.awaitHealthy(lab, Duration.ofSeconds(90));
        }
    }

    @Test
    void without_a_terminal_it_prints_the_status_once_with_no_escape_codes(RunningLab lab) {
        ClusterStatus status = Health.awaitHealthy(lab, Duration.ofSeconds(90));
        CommandRun run = CommandRun.of("ha", "-c", lab.clusterFile().toString(), "dashboard");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Cluster ").contains("leader " + status.leader()).doesNotContain("\u001b");
        status.members().forEach(m -> assertThat(run.out()).contains(m.name()));
    }

    private static String header(String screen) {
        return screen.lines().findFirst().orElse("");
    }

    private static String awaitScreen(String what, Duration deadline, Predicate<String> ready) {
        Instant until = Instant.now().plus(deadline);
        String screen = "";
        while (Instant.now().isBefore(until)) {
            screen = tmux("capture-pane", "-p", "-t", SESSION);
            if (ready.test(screen)) {
                return screen;
            }
            sleep(200);
        }
        throw new AssertionError("the pane did not show " + what + " within " + deadline.toSeconds() + " s; it shows:\n" + screen);
    }

    private static String tmux(String... args) {
        List<String> command = new ArrayList<>(List.of("tmux"));
        command.addAll(List.of(args));
        try {
            Path output = Files.createTempFile("tmux", ".out");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("tmux " + String.join(" ", args) + " did not return in 10 s");
                }
                String out = Files.readString(output, StandardCharsets.UTF_8);
                if (p.exitValue() != 0) {
                    throw new AssertionError("tmux " + String.join(" ", args) + " exited " + p.exitValue() + ": " + out);
                }
                return out;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new AssertionError("tmux: " + e.getMessage() + " (install it: scripts/install-deps.sh)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static void tmuxQuietly(String... args) {
        try {
            tmux(args);
        } catch (AssertionError e) {
            // no such session: nothing to clean up
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
