package io.connectha.cli.lab;

import io.connectha.cli.CommandContext;
import io.connectha.cli.ExitException;
import io.connectha.cli.ExitCodes;
import io.connectha.cli.OutputOptions;
import io.connectha.lab.Lab;
import io.connectha.lab.LabDownReport;
import io.connectha.render.LabView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "down",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE, ExitCodes.LINE_UNREACHABLE, ExitCodes.LINE_AUTHENTICATION_FAILED, ExitCodes.LINE_MISSING_PROGRAM, ExitCodes.LINE_INTERRUPTED},
        mixinStandardHelpOptions = true,
        description = {"Stop every process of the lab.",
                "Stop every process of the lab by pid: terminate, then kill after a deadline. PostgreSQL is stopped too,",
                "since it outlives Patroni. Fails (exit 1) if a lab port is still bound afterwards. Safe to run twice."})
public final class LabDownCommand implements Runnable {

    @Mixin
    LabDirOption dir;

    @Option(names = "--purge", description = "Also remove the lab directory: data, configs, secrets and logs.")
    boolean purge;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        LabDownReport report = new Lab(dir.dir(), CommandContext.progress(spec)).down(purge);
        Renderer.print(spec.commandLine().getOut(), output.format(), report, out -> LabView.print(out, report));
        if (!report.clean()) {
            throw new ExitException(ExitCodes.FAILURE, "lab down left " + (report.portsStillBound().isEmpty() ? ""
                    : "ports bound: " + report.portsStillBound() + " ") + (report.survivors().isEmpty() ? "" : "processes: " + report.survivors()));
        }
    }
}
