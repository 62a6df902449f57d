package io.connectha.cluster;

/** Patroni's member tags, with Patroni's names and meanings. */
public record MemberTags(Boolean nofailover, Boolean noloadbalance, Boolean clonefrom, Boolean nosync, String replicatefrom) {

    static final MemberTags NONE = new MemberTags(false, false, false, false, null);

    MemberTags withDefaults() {
        return new MemberTags(nofailover != null && nofailover, noloadbalance != null && noloadbalance,
                clonefrom != null && clonefrom, nosync != null && nosync, replicatefrom);
    }
}
