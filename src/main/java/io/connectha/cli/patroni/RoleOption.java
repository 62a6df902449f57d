package io.connectha.cli.patroni;

import io.connectha.patroni.RollingRestart;
import picocli.CommandLine.Option;

/** patronictl's {@code --role}, for the commands that act member by member. */
public final class RoleOption {

    @Option(names = "--role", converter = RoleFilterConverter.class, defaultValue = "any", paramLabel = "ROLE",
            description = "Only members with this role now: leader (also primary), replica, or any (default).")
    RollingRestart.RoleFilter role;

    RollingRestart.RoleFilter role() {
        return role;
    }
}
