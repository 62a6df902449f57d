package io.connectha.cli;

import picocli.CommandLine.Option;

/** {@code --dry-run}: check, say what would happen, and change nothing; one spelling and one meaning for every command that changes something. */
public final class DryRunOption {

    @Option(names = "--dry-run", description = "Check and say what would be done; change nothing.")
    boolean dryRun;

    public boolean on() {
        return dryRun;
    }
}
