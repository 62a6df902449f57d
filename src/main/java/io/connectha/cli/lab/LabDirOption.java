package io.connectha.cli.lab;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --dir}, shared by the lab commands. */
public final class LabDirOption {

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "${env:CONNECT_LAB_DIR:-.connect-lab}",
            description = {"Lab directory: cluster file, secrets, configs, data,", "logs, pids (default: $CONNECT_LAB_DIR,", "else .connect-lab in the current directory)."})
    Path dir;

    public Path dir() {
        return dir;
    }
}
