package io.connectha.dashboard;

import io.connectha.dashboard.DashboardModel.Level;
import io.connectha.units.Printable;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/** Colours only when asked for; without them every cell is plain text, so no escape code is ever written for style. */
final class ScreenStyles {
    private final boolean color;

    ScreenStyles(boolean color) {
        this.color = color;
    }

    AttributedStyle level(Level level) {
        if (!color) {
            return AttributedStyle.DEFAULT;
        }
        return switch (level) {
            case OK -> AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
            case WARN -> AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
            case CRITICAL -> AttributedStyle.BOLD.foreground(AttributedStyle.RED);
        };
    }

    AttributedStyle bold() {
        return color ? AttributedStyle.BOLD : AttributedStyle.DEFAULT;
    }

    AttributedString text(String s, Level level) {
        return new AttributedString(Printable.visible(s), level(level));
    }

    // values are escaped here, before ScreenTable measures them, so that columns stay aligned
    AttributedString plain(String s) {
        return new AttributedString(Printable.visible(s));
    }

    AttributedString bold(String s) {
        return new AttributedString(Printable.visible(s), bold());
    }

    AttributedString faint(String s) {
        return new AttributedString(s, color ? AttributedStyle.DEFAULT.faint() : AttributedStyle.DEFAULT);
    }

    /** The focused panel's title is marked with '>' as well as inverse video, so the focus shows without colour. */
    AttributedString title(String s, boolean focused) {
        String text = (focused ? "> " : "  ") + s;
        return new AttributedString(text, color ? (focused ? AttributedStyle.BOLD.inverse() : AttributedStyle.BOLD) : AttributedStyle.DEFAULT);
    }
}
