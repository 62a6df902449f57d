package io.connectha.cli.patroni;

import io.connectha.cli.CommandContext;
import io.connectha.cli.Confirmation;
import io.connectha.cli.DryRunOption;
import io.connectha.cli.ExitCodes;
import io.connectha.cli.ExitException;
import io.connectha.cli.OutputOptions;
import io.connectha.cli.TimeoutOptions;
import io.connectha.cli.YesOption;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.config.DcsConfigEdit;
import io.connectha.config.DcsConfigEditor;
import io.connectha.config.DcsPatch;
import io.connectha.error.ConnectError;
import io.connectha.etcd.EtcdService;
import io.connectha.etcd.EtcdWrite;
import io.connectha.patroni.DcsConfig;
import io.connectha.patroni.RtoBudget;
import io.connectha.render.EditConfigView;
import io.connectha.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(name = "edit-config", mixinStandardHelpOptions = true,
        description = {"Show or change the dynamic configuration Patroni keeps in etcd (patronictl edit-config).",
                "Without --set, --pg or --file: shows it (YAML; -o json for the document as Patroni holds it).",
                "A change is checked first (types of Patroni's settings, its timing rule, the RTO budget against rto_target),",
                "says which parameters need a restart (then: patroni restart --pending), shows a diff, asks unless --yes,",
                "and is written to etcd only if nobody changed the config since it was read (compare-and-swap):",
                "otherwise exit 8 and nothing is written. No change: nothing is written, exit 0. Safe to run twice."},
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_FAILURE,
                "  2:Bad input: a bad KEY=VALUE or file, a wrong type (the line names the key), timings that break Patroni's rule or"
                        + " a budget over rto_target without --force, or no --yes without a terminal.",
                ExitCodes.LINE_UNREACHABLE, ExitCodes.LINE_AUTHENTICATION_FAILED,
                "  8:Conflict: the config changed since it was read; nothing was written, run again.",
                ExitCodes.LINE_INTERRUPTED})
public final class PatroniEditConfigCommand implements Runnable {

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = "Set a setting by its dotted path (loop_wait=5, postgresql.parameters.work_mem=8MB); the value is YAML; KEY=null removes it.")
    List<String> set = new ArrayList<>();

    @Option(names = {"-p", "--pg"}, paramLabel = "NAME=VALUE", description = "Set postgresql.parameters.NAME, a PostgreSQL parameter.")
    List<String> pg = new ArrayList<>();

    @Option(names = "--file", paramLabel = "PATCH.yaml",
            description = "Merge a YAML mapping into the config (a null removes a key); - reads it from stdin (then --yes is needed).")
    Path file;

    @Option(names = "--force", description = "Write timings that break Patroni's rule, or that put the RTO budget over rto_target.")
    boolean force;

    @Mixin
    YesOption confirm;

    @Mixin
    DryRunOption dryRun;

    @Mixin
    OutputOptions output;

    @Mixin
    TimeoutOptions timeouts;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        DcsPatch patch = patch();
        LoadedCluster cluster = CommandContext.loadCluster(spec);
        try (EtcdService etcd = EtcdService.open(cluster.spec())) {
            DcsConfigEditor editor = new DcsConfigEditor(cluster, new SecretResolver(cluster), etcd, timeouts.connect(), timeouts.read());
            DcsConfigEditor.Snapshot read = editor.read();
            if (patch.isEmpty()) {
                RtoBudget budget = RtoBudget.of(DcsConfig.fromJson(read.config()).running().ttl(), cluster.spec());
                Renderer.print(spec.commandLine().getOut(), output.format(), read.config(),
                        out -> EditConfigView.show(out, read.key(), read.modRevision(), read.config(), budget));
                return;
            }
            DcsConfigEditor.Plan plan = editor.plan(read, patch, force);
            if (!plan.changed() || dryRun.on()) {
                print(DcsConfigEdit.of(plan, dryRun.on(), null));
                return;
            }
            Confirmation confirmation = Confirmation.onTerminal(spec);
            if (confirmation.asks(confirm.yes())) {
                // as patronictl: the diff first, then the question, both on stderr so that stdout keeps the result
                EditConfigView.preview(spec.commandLine().getErr(), DcsConfigEdit.of(plan, false, null));
            }
            confirmation.require("change " + String.join(", ", plan.changes().stream().map(DcsConfigEditor.Change::key).toList())
                    + " in Patroni's config (" + read.key() + ")", confirm.yes());
            EtcdWrite write;
            try {
                write = editor.write(plan);
            } catch (DcsConfigEditor.Conflict e) {
                throw new ExitException(ExitCodes.CONFLICT, e.getMessage());
            }
            print(DcsConfigEdit.of(plan, false, write.modRevision()));
        }
    }

    private void print(DcsConfigEdit edit) {
        Renderer.print(spec.commandLine().getOut(), output.format(), EditConfigView.json(edit), out -> EditConfigView.edit(out, edit));
    }

    /** The options as one patch, before anything is asked of the cluster: a bad KEY=VALUE costs no connection. */
    private DcsPatch patch() {
        List<DcsPatch.Setting> settings = new ArrayList<>();
        set.forEach(s -> settings.add(DcsPatch.set(s)));
        pg.forEach(p -> settings.add(DcsPatch.pg(p)));
        if (file == null) {
            return new DcsPatch(null, settings);
        }
        String text;
        String source;
        try {
            if (file.toString().equals("-")) {
                if (!confirm.yes() && !dryRun.on()) {
                    throw new ExitException(ExitCodes.USAGE, "--file -: stdin holds the patch, so nothing can be confirmed there; add --yes");
                }
                text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
                source = "stdin";
            } else {
                text = Files.readString(file);
                source = file.toString();
            }
        } catch (IOException e) {
            throw ConnectError.io("read the patch", file, e);
        }
        return new DcsPatch(DcsPatch.file(text, source), settings);
    }
}
