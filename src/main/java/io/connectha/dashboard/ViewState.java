package io.connectha.dashboard;

import java.time.Duration;

/**
 * What the operator has chosen on screen, as opposed to what the cluster says: refresh interval,
 * refresh paused, the focused panel, help, a pending confirmation and the last message.
 *
 * @param prompt  a question waiting for y or n ("Switch over from pg1 to pg2?"), or null
 * @param message the outcome of the last action or a hint, or null
 */
public record ViewState(Duration interval, boolean refreshPaused, Panel focus, boolean help, String prompt, String message,
                        boolean color) {

    /** The panels, in screen order; tab moves through them. */
    public enum Panel {
        MEMBERS("Members"), SLOTS("Replication slots"), HAPROXY("HAProxy"), PGBOUNCER("PgBouncer"), ETCD("etcd"),
        PROBLEMS("Problems"), EVENTS("Events");

        public final String title;

        Panel(String title) {
            this.title = title;
        }

        public Panel next() {
            return values()[(ordinal() + 1) % values().length];
        }
    }

    public static ViewState initial(Duration interval, boolean color) {
        return new ViewState(interval, false, Panel.MEMBERS, false, null, null, color);
    }

    public ViewState withInterval(Duration d) {
        return new ViewState(d, refreshPaused, focus, help, prompt, message, color);
    }

    public ViewState withRefreshPaused(boolean p) {
        return new ViewState(interval, p, focus, help, prompt, message, color);
    }

    public ViewState withFocus(Panel p) {
        return new ViewState(interval, refreshPaused, p, help, prompt, message, color);
    }

    public ViewState withHelp(boolean h) {
        return new ViewState(interval, refreshPaused, focus, h, prompt, message, color);
    }

    public ViewState withPrompt(String p) {
        return new ViewState(interval, refreshPaused, focus, help, p, message, color);
    }

    public ViewState withMessage(String m) {
        return new ViewState(interval, refreshPaused, focus, help, prompt, m, color);
    }
}
