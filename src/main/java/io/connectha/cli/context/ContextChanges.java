package io.connectha.cli.context;

import io.connectha.cli.OutputOptions;
import io.connectha.cluster.ClusterContext;
import io.connectha.cluster.ContextStore;
import io.connectha.render.ContextView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Model.CommandSpec;

/** What add, use and remove print: the change as one line, or its record as JSON or YAML. */
final class ContextChanges {

    private ContextChanges() {
    }

    static void print(CommandSpec spec, OutputOptions output, String action, String name, ContextStore store, ContextStore.Change change,
                      boolean dryRun) {
        String clusterFile = change.before().find(name).or(() -> change.after().find(name)).map(ClusterContext::clusterFile)
                .map(Object::toString).orElse(null);
        if (action.equals("add")) {
            clusterFile = change.after().find(name).map(c -> c.clusterFile().toString()).orElse(clusterFile);
        }
        ContextView.Change result = new ContextView.Change(action, name, clusterFile, change.after().current(), change.before().current(),
                change.changed(), dryRun, store.file().toString());
        Renderer.print(spec.commandLine().getOut(), output.format(), result, out -> ContextView.print(out, result));
    }
}
