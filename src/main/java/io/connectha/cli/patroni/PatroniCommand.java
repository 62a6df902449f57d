package io.connectha.cli.patroni;

import io.connectha.cli.GroupCommand;
import picocli.CommandLine.Command;

@Command(name = "patroni", mixinStandardHelpOptions = true,
        description = {"Read and operate Patroni through its REST API, with patronictl's names and meanings.",
                "Changes use the REST API's credentials (patroni.rest_user and the rest_api secret),",
                "or none with patroni.rest_api_auth: none."},
        subcommands = {PatroniListCommand.class, PatroniHistoryCommand.class, PatroniShowConfigCommand.class,
                PatroniSwitchoverCommand.class, PatroniFailoverCommand.class, PatroniPauseCommand.class,
                PatroniResumeCommand.class, PatroniRestartCommand.class, PatroniReinitCommand.class,
                PatroniReloadCommand.class, PatroniFlushCommand.class, PatroniVersionCommand.class,
                PatroniEditConfigCommand.class})
public final class PatroniCommand extends GroupCommand {
}
