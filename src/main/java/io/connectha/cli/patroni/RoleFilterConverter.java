package io.connectha.cli.patroni;

import io.connectha.patroni.RollingRestart;
import picocli.CommandLine;

import java.util.Locale;

/** patronictl's {@code --role}: leader (or its other names primary and master), replica, any. */
final class RoleFilterConverter implements CommandLine.ITypeConverter<RollingRestart.RoleFilter> {

    @Override
    public RollingRestart.RoleFilter convert(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "leader", "primary", "master" -> RollingRestart.RoleFilter.leader;
            case "replica", "standby" -> RollingRestart.RoleFilter.replica;
            case "any" -> RollingRestart.RoleFilter.any;
            default -> throw new CommandLine.TypeConversionException("'" + value + "' is not a role: leader, replica or any");
        };
    }
}
