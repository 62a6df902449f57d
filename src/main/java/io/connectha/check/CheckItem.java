package io.connectha.check;

import java.util.Locale;

/**
 * The checks {@code connect ha check --only ITEM} runs alone, each as one Nagios service, after
 * check_patroni's services. What each needs from Patroni is said here, so a cron run asks for no more.
 */
public enum CheckItem {
    leader(Source.CLUSTER),
    replicas(Source.CLUSTER, Source.MEMBERS),
    members(Source.CLUSTER),
    sync_standbys(Source.CLUSTER, Source.CONFIG),
    paused(Source.CLUSTER),
    scheduled_action(Source.CLUSTER, Source.MEMBERS),
    pending_restart(Source.CLUSTER, Source.MEMBERS),
    timeline_changed(Source.CLUSTER, Source.MEMBERS),
    config_changed(Source.CONFIG);

    /** What Patroni is asked: {@code /cluster} once, {@code /patroni} on every member, {@code /config} once. */
    public enum Source { CLUSTER, MEMBERS, CONFIG }

    private final java.util.Set<Source> sources;

    CheckItem(Source first, Source... rest) {
        this.sources = java.util.EnumSet.of(first, rest);
    }

    public java.util.Set<Source> sources() {
        return sources;
    }

    /** The two items that compare with the last run, and so need {@code --state-file}. */
    public boolean keepsState() {
        return this == timeline_changed || this == config_changed;
    }

    /** The item as typed: {@code timeline_changed}; a dash for the underscore is accepted too. */
    public static CheckItem parse(String text) {
        String name = text.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        for (CheckItem i : values()) {
            if (i.name().equals(name)) {
                return i;
            }
        }
        return null;
    }
}
