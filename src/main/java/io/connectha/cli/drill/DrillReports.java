package io.connectha.cli.drill;

import io.connectha.cli.ExitCodes;
import io.connectha.cli.ExitException;
import io.connectha.config.ConfigFileWriter;
import io.connectha.error.ConnectError;
import io.connectha.process.Progress;
import io.connectha.render.Renderer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes a drill's report.json and junit.xml into --report DIR, each atomically. */
final class DrillReports {

    private DrillReports() {
    }

    static void write(Path dir, Object report, String junit, Progress progress) {
        if (dir == null) {
            return;
        }
        write(dir.resolve("report.json"), Renderer.json(report) + "\n");
        write(dir.resolve("junit.xml"), junit);
        progress.info("Reports: " + dir.resolve("report.json") + ", " + dir.resolve("junit.xml"));
    }

    /** Writes the reports, then ends the command with exit 1 when a criterion failed. */
    static void conclude(Path dir, Object report, String junit, boolean passed, Progress progress) {
        write(dir, report, junit, progress);
        if (!passed) {
            throw new ExitException(ExitCodes.FAILURE, null);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ConfigFileWriter.writeAtomically(file.toAbsolutePath(), content, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw ConnectError.io("write", file, e);
        }
    }
}
