package io.connectha.cli;

import picocli.CommandLine.Option;

/** {@code -y/--yes}: go ahead without asking; what cron and CI pass to a command that asks first. */
public final class YesOption {

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    public boolean yes() {
        return yes;
    }
}
