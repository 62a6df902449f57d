package io.connectha.cli.lab;

import io.connectha.cli.ExitCodes;
import io.connectha.cli.CommandContext;
import io.connectha.error.ConnectError;
import io.connectha.lab.Lab;
import io.connectha.lab.LogTail;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

@Command(name = "logs",
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE, ExitCodes.LINE_USAGE},
        mixinStandardHelpOptions = true,
        description = {"Show the lab's logs: one process's, or the end of each. Every process writes its own file under DIR/logs."})
public final class LabLogsCommand implements Runnable {

    @Mixin
    LabDirOption dir;

    @Parameters(paramLabel = "PROCESS", arity = "0..1", description = "etcd1, patroni-pg1, haproxy, pgbouncer, ... (default: all).")
    String process;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until Ctrl-C.")
    boolean follow;

    @Option(names = {"-n", "--lines"}, defaultValue = "40", description = "Lines from the end of each log (default: ${DEFAULT-VALUE}).")
    int lines;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Map<String, Path> logs = new Lab(dir.dir(), CommandContext.progress(spec)).logs();
        if (process != null) {
            Path log = logs.get(process);
            if (log == null) {
                throw ConnectError.invalidInput("no log for '" + process + "' in " + dir.dir() + "/logs; there are: " + String.join(", ", logs.keySet()));
            }
            logs = Map.of(process, log);
        }
        PrintWriter out = spec.commandLine().getOut();
        LogTail.print(out, logs, lines, follow);
    }
}
