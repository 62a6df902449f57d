package io.connectha.support;

import io.connectha.cluster.MemberSpec;
import io.connectha.error.ConnectError;
import io.connectha.net.Http;
import io.connectha.patroni.PatroniClient;
import io.connectha.patroni.PatroniMember;

import java.time.Duration;

/** The member Patroni names leader of the shared lab, asked of whichever member answers. */
public final class LabLeader {

    private LabLeader() {
    }

    public static MemberSpec of(LabExtension.RunningLab lab) {
        try (Http http = new Http(Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            PatroniClient patroni = new PatroniClient(http);
            ConnectError last = null;
            for (MemberSpec m : lab.cluster().spec().members()) {
                try {
                    String name = patroni.cluster(m).leader().map(PatroniMember::name).orElseThrow(() -> new AssertionError("no leader"));
                    return lab.cluster().spec().member(name).orElseThrow();
                } catch (ConnectError e) {
                    last = e;
                }
            }
            throw new AssertionError("no Patroni answered", last);
        }
    }
}
