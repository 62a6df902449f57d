package io.connectha.cli.lab;

import io.connectha.cli.CommandContext;
import io.connectha.cli.ExitCodes;
import io.connectha.cli.ExitException;
import io.connectha.cli.OutputOptions;
import io.connectha.lab.Lab;
import io.connectha.lab.LabStatus;
import io.connectha.render.LabView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "status",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE, ExitCodes.LINE_UNREACHABLE, ExitCodes.LINE_AUTHENTICATION_FAILED, ExitCodes.LINE_MISSING_PROGRAM, ExitCodes.LINE_INTERRUPTED},
        mixinStandardHelpOptions = true,
        description = {"Each process of the lab, its pid, and whether its address answers. Exit 0 when every process runs, 1 otherwise."})
public final class LabStatusCommand implements Runnable {

    @Mixin
    LabDirOption dir;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        LabStatus status = new Lab(dir.dir(), CommandContext.progress(spec)).status();
        Renderer.print(spec.commandLine().getOut(), output.format(), status, out -> LabView.print(out, status));
        if (!status.allRunning()) {
            throw new ExitException(ExitCodes.FAILURE, null);
        }
    }
}
