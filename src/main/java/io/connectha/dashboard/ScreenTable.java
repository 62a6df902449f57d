package io.connectha.dashboard;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

import java.util.ArrayList;
import java.util.List;

/** Columns with an importance; those that do not fit the width go, least important (highest number) first. */
final class ScreenTable {
    private record Column(String header, int priority) {
    }

    private static final int GAP = 2;
    private static final int INDENT = 2;
    private final int width;
    private final List<Column> columns = new ArrayList<>();
    private final List<AttributedString[]> rows = new ArrayList<>();

    ScreenTable(int width) {
        this.width = width;
    }

    ScreenTable column(String header, int priority) {
        columns.add(new Column(header, priority));
        return this;
    }

    void row(AttributedString... cells) {
        rows.add(cells);
    }

    List<AttributedString> lines(ScreenStyles styles) {
        int n = columns.size();
        int[] widths = new int[n];
        boolean[] shown = new boolean[n];
        for (int i = 0; i < n; i++) {
            shown[i] = true;
            widths[i] = columns.get(i).header().length();
            for (AttributedString[] r : rows) {
                widths[i] = Math.max(widths[i], r[i].columnLength());
            }
        }
        while (used(widths, shown) > width) {
            int drop = -1;
            for (int i = 0; i < n; i++) {
                if (shown[i] && columns.get(i).priority() > 0 && (drop < 0 || columns.get(i).priority() >= columns.get(drop).priority())) {
                    drop = i;
                }
            }
            if (drop < 0) {
                break; // only essential columns left: the line is cut at the screen's edge instead
            }
            shown[drop] = false;
        }
        List<AttributedString> out = new ArrayList<>();
        AttributedStringBuilder h = new AttributedStringBuilder().append(" ".repeat(INDENT));
        for (int i = 0; i < n; i++) {
            if (shown[i]) {
                h.append(styles.faint(pad(columns.get(i).header(), widths[i] + GAP)));
            }
        }
        out.add(trimEnd(h.toAttributedString()));
        for (AttributedString[] r : rows) {
            AttributedStringBuilder b = new AttributedStringBuilder().append(" ".repeat(INDENT));
            for (int i = 0; i < n; i++) {
                if (shown[i]) {
                    b.append(r[i]).append(" ".repeat(widths[i] + GAP - r[i].columnLength()));
                }
            }
            out.add(trimEnd(b.toAttributedString()));
        }
        return out;
    }

    private int used(int[] widths, boolean[] shown) {
        int total = INDENT;
        for (int i = 0; i < widths.length; i++) {
            if (shown[i]) {
                total += widths[i] + GAP;
            }
        }
        return total - GAP;
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }

    private static AttributedString trimEnd(AttributedString s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.subSequence(0, end);
    }
}
