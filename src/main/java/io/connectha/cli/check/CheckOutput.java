package io.connectha.cli.check;

import io.connectha.check.LagReport;
import io.connectha.config.ConfigFileWriter;
import io.connectha.error.ConnectError;
import io.connectha.render.CheckView;
import io.connectha.render.OutputFormat;
import io.connectha.render.Renderer;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Prints a check's report in the chosen format, and writes the Prometheus textfile when asked. */
final class CheckOutput {

    private CheckOutput() {
    }

    static void print(CommandSpec spec, CheckFormat format, Path textfile, String service, io.connectha.check.SlotCheck.Report report) {
        print(spec, format, textfile, CheckView.json(report), CheckView.nagios(service, report), CheckView.prometheus(report),
                out -> CheckView.table(out, report));
    }

    static void print(CommandSpec spec, CheckFormat format, Path textfile, String service, LagReport report) {
        print(spec, format, textfile, CheckView.json(report), CheckView.nagios(service, report), CheckView.prometheus(report),
                out -> CheckView.table(out, report));
    }

    private static void print(CommandSpec spec, CheckFormat format, Path textfile, Object report, String nagios, String prometheus,
                              java.util.function.Consumer<PrintWriter> table) {
        PrintWriter out = spec.commandLine().getOut();
        if (textfile != null) {
            try {
                java.nio.file.Files.createDirectories(textfile.toAbsolutePath().getParent());
                // node_exporter must never read half a file: temporary file in the same directory, then rename
                ConfigFileWriter.writeAtomically(textfile.toAbsolutePath(), prometheus,
                        PosixFilePermissions.fromString("rw-r--r--"));
            } catch (IOException e) {
                throw new ConnectError(ConnectError.Kind.FAILURE, "cannot write " + textfile + ": " + e.getMessage(), e);
            }
        }
        switch (format) {
            case nagios -> out.println(nagios);
            case prometheus -> out.print(prometheus);
            case json -> Renderer.print(out, OutputFormat.json, report, w -> { });
            case yaml -> Renderer.print(out, OutputFormat.yaml, report, w -> { });
            case table -> table.accept(out);
        }
        out.flush();
    }
}
