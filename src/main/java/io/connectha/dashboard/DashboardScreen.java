package io.connectha.dashboard;

import io.connectha.dashboard.DashboardModel.Level;
import io.connectha.dashboard.ViewState.Panel;
import io.connectha.haproxy.HaproxyServer;
import io.connectha.pgbouncer.PgbouncerPool;
import io.connectha.units.Units;
import io.connectha.status.ClusterStatus;
import io.connectha.status.MemberStatus;
import io.connectha.cluster.Problem;
import io.connectha.units.Printable;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns the model and the operator's view into exactly {@code height} lines of at most
 * {@code width} columns. Pure: the terminal loop only hands these lines to jline's Display, and
 * tests read them. Narrow screens drop the least important columns; short screens fold the panels
 * that do not have the focus down to their title line.
 */
public final class DashboardScreen {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final int TREND_WIDTH = 12;
    /** Events always get at least this many lines: they are the part that tells what just happened. */
    private static final int MIN_EVENT_LINES = 4;

    public static final List<String> HELP = List.of(
            "q        quit (the terminal is restored)",
            "?        this help; any key closes it",
            "space    pause or resume refreshing (the data shown then ages, and says so)",
            "tab      move the focus to the next panel; a short screen keeps the focused panel open",
            "+ / -    refresh less / more often (0.5 s to 60 s)",
            "s        switch over to the best streaming replica (asks first)",
            "p        pause or resume Patroni, i.e. maintenance mode (asks first)",
            "",
            "Data a component did not give in the latest refresh is labelled with its age (\"last seen 12 s ago\").");

    private final ScreenStyles styles;

    private DashboardScreen(boolean color) {
        this.styles = new ScreenStyles(color);
    }

    public static List<AttributedString> render(DashboardModel model, ViewState view, int width, int height, Instant now) {
        return new DashboardScreen(view.color()).draw(model, view, Math.max(20, width), Math.max(5, height), now);
    }

    private List<AttributedString> draw(DashboardModel model, ViewState view, int width, int height, Instant now) {
        List<AttributedString> top = new ArrayList<>();
        top.add(header(model, view, now, width));
        List<AttributedString> bottom = new ArrayList<>();
        bottom.add(footer(view, width));

        List<AttributedString> body = new ArrayList<>();
        ClusterStatus s = model.latest();
        if (view.help()) {
            body.add(styles.title("Keys", true));
            HELP.forEach(h -> body.add(new AttributedString("  " + h)));
        } else if (s == null) {
            body.add(new AttributedString("Waiting for the first answer from the cluster..."));
        } else {
            List<List<AttributedString>> panels = new ArrayList<>();
            for (Panel p : Panel.values()) {
                if (p != Panel.EVENTS) {
                    panels.add(panel(p, model, s, view, width, now));
                }
            }
            int eventsTitle = 1;
            int room = height - top.size() - bottom.size() - eventsTitle - MIN_EVENT_LINES;
            fold(panels, view.focus(), room);
            panels.forEach(body::addAll);
            int left = height - top.size() - bottom.size() - body.size() - eventsTitle;
            body.add(styles.title(Panel.EVENTS.title, view.focus() == Panel.EVENTS));
            body.addAll(events(model, Math.max(0, left)));
        }
        List<AttributedString> lines = new ArrayList<>(top);
        int bodyRoom = height - top.size() - bottom.size();
        lines.addAll(body.size() > bodyRoom ? body.subList(0, bodyRoom) : body);
        while (lines.size() < height - bottom.size()) {
            lines.add(AttributedString.EMPTY);
        }
        lines.addAll(bottom);
        // a mutable list: jline's Display appends to the list it is given
        return lines.stream().map(DashboardScreen::visible).map(l -> l.columnLength() > width ? l.columnSubSequence(0, width) : l)
                .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }

    /**
     * The line with control characters shown escaped ({@code \e}, {@code \n}): names and messages come
     * from the servers, and an escape code in a member name must not drive the terminal nor a newline
     * break the screen. Each character keeps its style.
     */
    static AttributedString visible(AttributedString line) {
        String text = line.toString();
        if (Printable.visible(text).equals(text)) {
            return line;
        }
        AttributedStringBuilder b = new AttributedStringBuilder();
        for (int i = 0; i < line.length(); i++) {
            b.styled(line.styleAt(i), Printable.visible(String.valueOf(line.charAt(i))));
        }
        return b.toAttributedString();
    }

    /** Folds panels without the focus to their title line, last first, until they fit in {@code room} lines. */
    private static void fold(List<List<AttributedString>> panels, Panel focus, int room) {
        for (int i = panels.size() - 1; i >= 0 && total(panels) > room; i--) {
            if (Panel.values()[i] != focus && panels.get(i).size() > 1) {
                panels.set(i, List.of(panels.get(i).get(0)));
            }
        }
    }

    private static int total(List<List<AttributedString>> panels) {
        return panels.stream().mapToInt(List::size).sum();
    }

    // ------------------------------------------------------------------ header and footer

    /** A part of the header line; on a narrow screen the least important parts (highest number) go first. */
    private record Segment(AttributedString text, int priority) {
    }

    private AttributedString header(DashboardModel model, ViewState view, Instant now, int width) {
        ClusterStatus s = model.latest();
        List<Segment> parts = new ArrayList<>();
        parts.add(new Segment(new AttributedString("connect ha dashboard", styles.bold()), 5));
        if (s != null) {
            parts.add(new Segment(new AttributedStringBuilder().append("cluster ").styled(styles.bold(), s.cluster()).toAttributedString(), 2));
            parts.add(new Segment(new AttributedStringBuilder().append("leader ")
                    .append(s.leader() == null ? styles.text("NONE", Level.CRITICAL) : styles.bold(s.leader())).toAttributedString(), 0));
            parts.add(new Segment(new AttributedString("timeline " + (s.timeline() == null ? "?" : s.timeline())), 1));
        }
        parts.add(new Segment(new AttributedString(TIME.format(now)), 3));
        // what one refresh costs, so an operator can see a slow component before it times out
        parts.add(new Segment(new AttributedString("every " + Units.humanDuration(view.interval())
                + (s == null ? "" : " (took " + Units.humanDuration(s.took()) + ")")), 4));
        if (view.refreshPaused()) {
            parts.add(new Segment(styles.text("REFRESH PAUSED", Level.WARN), 0));
        }
        if (s != null && s.paused()) {
            parts.add(new Segment(styles.text("MAINTENANCE (Patroni paused)", Level.WARN), 0));
        }
        Instant at = model.latestAt();
        // a poll that hangs or a paused refresh must not pass old data off as current
        if (at != null && Duration.between(at, now).compareTo(view.interval().multipliedBy(2).plusSeconds(1)) > 0) {
            parts.add(new Segment(styles.text("data " + Duration.between(at, now).toSeconds() + " s old", Level.WARN), 0));
        }
        while (length(parts) > width) {
            Segment least = parts.stream().filter(p -> p.priority() > 0).max(java.util.Comparator.comparingInt(Segment::priority)).orElse(null);
            if (least == null) {
                break; // only what must be seen is left: the line is cut at the edge instead
            }
            parts.remove(least);
        }
        AttributedStringBuilder b = new AttributedStringBuilder();
        for (Segment part : parts) {
            if (b.length() > 0) {
                b.append("  ");
            }
            b.append(part.text());
        }
        return b.toAttributedString();
    }

    private static int length(List<Segment> parts) {
        return parts.stream().mapToInt(p -> p.text().columnLength() + 2).sum() - 2;
    }

    private AttributedString footer(ViewState view, int width) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        if (view.prompt() != null) {
            String answer = " [y/N] ";
            String question = " " + view.prompt();
            // the question is shortened rather than the answer keys, which must stay visible
            if (question.length() + answer.length() > width) {
                question = question.substring(0, Math.max(0, width - answer.length() - 1)) + "…";
            }
            b.styled(styles.level(Level.WARN).inverse(), question + answer);
            return b.toAttributedString();
        }
        if (view.message() != null) {
            b.styled(styles.bold(), view.message()).append("   ");
        }
        b.append(styles.faint("q quit  ? help  space pause  tab panel  +/- interval  s switchover  p pause/resume Patroni"));
        return b.toAttributedString();
    }

    // ------------------------------------------------------------------ panels

    private List<AttributedString> panel(Panel p, DashboardModel model, ClusterStatus s, ViewState view, int width, Instant now) {
        boolean focused = view.focus() == p;
        return switch (p) {
            case MEMBERS -> members(model, s, width, now, focused);
            case SLOTS -> slots(s, width, focused);
            case HAPROXY -> haproxy(model, s, width, now, focused);
            case PGBOUNCER -> pgbouncer(model, s, width, now, focused);
            case ETCD -> etcd(model, s, width, now, focused);
            case PROBLEMS -> problems(s, focused);
            case EVENTS -> throw new IllegalArgumentException("events are drawn last");
        };
    }

    private List<AttributedString> members(DashboardModel model, ClusterStatus s, int width, Instant now, boolean focused) {
        List<AttributedString> out = new ArrayList<>();
        out.add(styles.title(Panel.MEMBERS.title + " (" + s.members().size() + ")", focused));
        // lower number = more important; the widest-first drop order keeps name, role, state, lag and streaming longest
        ScreenTable t = new ScreenTable(width);
        t.column("MEMBER", 0).column("ROLE", 0).column("STATE", 0).column("TL", 3).column("LAG", 1)
                .column("LAG TIME", 2).column("TREND", 4).column("STREAMING", 1).column("HOST", 5);
        for (MemberStatus m : s.members()) {
            boolean up = DashboardModel.memberUp(m);
            Level lagLevel = model.thresholds().level(m.lagBytes());
            AttributedString state = up
                    ? styles.text(m.state(), "running".equals(m.state()) || "streaming".equals(m.state()) ? Level.OK : Level.WARN)
                    : styles.text(m.state() + " (" + DashboardModel.lastSeenText(model.memberLastSeen(m.name()), now) + ")", Level.CRITICAL);
            t.row(styles.plain(m.name()),
                    m.isLeader() ? styles.bold(m.role().name()) : styles.plain(m.role().name()),
                    state,
                    styles.plain(m.timeline() == null ? "?" : m.timeline().toString()),
                    m.isLeader() ? styles.plain("") : m.lagBytes() == null ? styles.text("?", up ? Level.WARN : Level.CRITICAL)
                            : styles.text(Units.humanBytes(m.lagBytes()), lagLevel),
                    m.isLeader() ? styles.plain("") : styles.plain(m.lag() == null ? "?" : Units.humanDuration(m.lag())),
                    m.isLeader() ? styles.plain("") : styles.text(Sparkline.of(model.lagTrend(m.name()), TREND_WIDTH), lagLevel),
                    m.streaming() == null ? styles.plain("") : m.streaming() ? styles.text("yes", Level.OK) : styles.text("NO", Level.CRITICAL),
                    styles.plain(m.host() + ":" + m.port()));
        }
        out.addAll(t.lines(styles));
        return out;
    }

    private List<AttributedString> slots(ClusterStatus s, int width, boolean focused) {
        List<AttributedString> out = new ArrayList<>();
        out.add(styles.title(Panel.SLOTS.title + " (" + s.slots().size() + ")", focused));
        if (s.slots().isEmpty()) {
            out.add(styles.faint(s.leader() == null ? "  unknown: no leader answered" : "  none on the leader"));
            return out;
        }
        ScreenTable t = new ScreenTable(width);
        t.column("SLOT", 0).column("TYPE", 2).column("ACTIVE", 0).column("KEEPS", 1).column("WAL STATUS", 3);
        for (ClusterStatus.Slot sl : s.slots()) {
            t.row(styles.plain(sl.name()), styles.plain(sl.type() == null ? "" : sl.type()),
                    sl.active() ? styles.text("yes", Level.OK) : styles.text("NO", Level.WARN),
                    styles.plain(sl.retainedBytes() == null ? "?" : Units.humanBytes(sl.retainedBytes())),
                    styles.plain(sl.walStatus() == null ? "" : sl.walStatus()));
        }
        out.addAll(t.lines(styles));
        return out;
    }

    private List<AttributedString> haproxy(DashboardModel model, ClusterStatus s, int width, Instant now, boolean focused) {
        ClusterStatus.Haproxy h = s.haproxy();
        boolean current = h.reachable();
        ClusterStatus.Haproxy shown = current ? h : model.lastAnsweredHaproxy();
        List<AttributedString> out = new ArrayList<>();
        AttributedStringBuilder title = new AttributedStringBuilder().append(styles.title(Panel.HAPROXY.title + " " + h.address(), focused));
        if (!current) {
            title.append("  ").append(styles.text("does not answer, " + DashboardModel.lastSeenText(model.componentLastSeen(DashboardModel.HAPROXY), now), Level.CRITICAL));
        }
        out.add(title.toAttributedString());
        AttributedStringBuilder reach = new AttributedStringBuilder().append("  write port reaches ");
        if (h.writeReaches() == null) {
            reach.append(styles.text("nothing: " + h.writeReachError(), Level.CRITICAL));
        } else {
            reach.append(styles.text(h.writeReaches(), h.writeReaches().equals(s.leader()) ? Level.OK : Level.CRITICAL));
        }
        if (h.readReaches() != null) {
            reach.append("   read port reaches ").append(styles.plain(h.readReaches()));
        }
        out.add(reach.toAttributedString());
        if (shown != null) {
            out.add(backend("write", shown.writeBackend(), shown, shown.write(), current));
            out.add(backend("read ", shown.readBackend(), shown, shown.read(), current));
        }
        return out;
    }

    /** A backend by its role (and its own name when the cluster file gives it another); one HAProxy lacks is said so, in red. */
    private AttributedString backend(String role, String name, ClusterStatus.Haproxy h, List<HaproxyServer> servers, boolean current) {
        String label = role.strip().equals(name) ? role : role.strip() + " (" + name + ")";
        if (!h.has(name)) {
            return new AttributedStringBuilder().append("  " + label + "  ")
                    .append(styles.text("no such backend in HAProxy (it has " + String.join(", ", h.backends()) + ")", Level.CRITICAL))
                    .toAttributedString();
        }
        return servers(label, servers, current);
    }

    /** One backend's servers; when they come from an older answer they are drawn faint and never coloured as current. */
    private AttributedString servers(String backend, List<HaproxyServer> servers, boolean current) {
        AttributedStringBuilder b = new AttributedStringBuilder().append("  " + backend + "  ");
        for (HaproxyServer sv : servers) {
            b.append(sv.label()).append(" ");
            String status = sv.status() == null ? "?" : sv.status();
            b.append(current ? styles.text(status, sv.up() ? Level.OK : sv.inMaintenance() || sv.draining() ? Level.WARN : Level.CRITICAL)
                    : styles.faint(status + "?"));
            b.append("  ");
        }
        if (!current) {
            b.append(styles.faint("(old)"));
        }
        return b.toAttributedString();
    }

    private List<AttributedString> pgbouncer(DashboardModel model, ClusterStatus s, int width, Instant now, boolean focused) {
        ClusterStatus.Pgbouncer p = s.pgbouncer();
        boolean current = p.reachable();
        ClusterStatus.Pgbouncer shown = current ? p : model.lastAnsweredPgbouncer();
        List<AttributedString> out = new ArrayList<>();
        AttributedStringBuilder title = new AttributedStringBuilder().append(styles.title(Panel.PGBOUNCER.title + " " + p.address(), focused));
        if (!current) {
            title.append("  ").append(styles.text("does not answer, " + DashboardModel.lastSeenText(model.componentLastSeen(DashboardModel.PGBOUNCER), now), Level.CRITICAL));
        } else if (p.reaches() != null) {
            title.append("  reaches ").append(styles.text(p.reaches(), Boolean.TRUE.equals(p.reachesLeader()) ? Level.OK : Level.CRITICAL));
        } else {
            title.append("  ").append(styles.text("cannot reach the database: " + p.reachError(), Level.CRITICAL));
        }
        out.add(title.toAttributedString());
        if (shown == null || shown.pools().isEmpty()) {
            return out;
        }
        ScreenTable t = new ScreenTable(width);
        t.column("POOL", 0).column("CL ACTIVE", 0).column("CL WAITING", 0).column("SV ACTIVE", 1).column("SV IDLE", 2)
                .column("MAX WAIT", 1).column("MODE", 3);
        for (PgbouncerPool pool : shown.pools()) {
            Function<String, AttributedString> cell = text -> current ? styles.plain(text) : styles.faint(text);
            t.row(cell.apply(pool.database() + (pool.isAlias() ? "->" + pool.dbname() : "") + "/" + pool.user()), cell.apply(Integer.toString(pool.clActive())),
                    current && pool.clWaiting() > 0 ? styles.text(Integer.toString(pool.clWaiting()), Level.WARN) : cell.apply(Integer.toString(pool.clWaiting())),
                    cell.apply(Integer.toString(pool.svActive())), cell.apply(Integer.toString(pool.svIdle())),
                    cell.apply(pool.maxWait() == null ? "" : Units.humanDuration(pool.maxWait())),
                    cell.apply(pool.poolMode() == null ? "" : pool.poolMode()));
        }
        out.addAll(t.lines(styles));
        return out;
    }

    private List<AttributedString> etcd(DashboardModel model, ClusterStatus s, int width, Instant now, boolean focused) {
        ClusterStatus.Etcd e = s.etcd();
        List<AttributedString> out = new ArrayList<>();
        AttributedStringBuilder title = new AttributedStringBuilder().append(styles.title(Panel.ETCD.title, focused));
        title.append("  " + e.healthy() + "/" + e.endpoints().size() + " answering");
        title.append("  ").append(e.quorum() ? styles.text("quorum", Level.OK) : styles.text("NO QUORUM", Level.CRITICAL));
        if (e.leaderKeyHolder() != null) {
            title.append("  leader key " + e.leaderKeyHolder() + (e.leaderKeyTtl() == null ? "" : " (" + Units.humanDuration(e.leaderKeyTtl()) + " left)"));
        }
        if (e.healthy() == 0) {
            title.append("  ").append(styles.text(DashboardModel.lastSeenText(model.componentLastSeen(DashboardModel.ETCD), now), Level.CRITICAL));
        }
        out.add(title.toAttributedString());
        ScreenTable t = new ScreenTable(width);
        t.column("ENDPOINT", 0).column("STATE", 0).column("RAFT", 1).column("VERSION", 3).column("DB SIZE", 2);
        for (ClusterStatus.EtcdEndpoint ep : e.endpoints()) {
            t.row(styles.plain(ep.endpoint()),
                    ep.reachable() ? styles.text("up", Level.OK) : styles.text("DOWN", Level.CRITICAL),
                    styles.plain(ep.raftLeader() ? "leader" : ep.reachable() ? "follower" : ""),
                    styles.plain(ep.version() == null ? "" : ep.version()),
                    styles.plain(ep.dbSizeBytes() == null ? "" : Units.humanBytes(ep.dbSizeBytes())));
        }
        out.addAll(t.lines(styles));
        return out;
    }

    private List<AttributedString> problems(ClusterStatus s, boolean focused) {
        List<AttributedString> out = new ArrayList<>();
        out.add(styles.title(Panel.PROBLEMS.title + " (" + s.problems().size() + ")", focused));
        if (s.problems().isEmpty()) {
            out.add(new AttributedStringBuilder().append("  ").append(styles.text("No problems found.", Level.OK)).toAttributedString());
        }
        for (Problem p : s.problems()) {
            Level level = p.severity() == Problem.Severity.critical ? Level.CRITICAL : Level.WARN;
            out.add(new AttributedStringBuilder().append("  ")
                    .append(styles.text(p.severity() == Problem.Severity.critical ? "CRIT" : "WARN", level))
                    .append(" " + p.code() + ": " + p.message()).toAttributedString());
        }
        return out;
    }

    private List<AttributedString> events(DashboardModel model, int lines) {
        List<DashboardModel.Event> all = model.events();
        List<DashboardModel.Event> shown = all.subList(Math.max(0, all.size() - lines), all.size());
        List<AttributedString> out = new ArrayList<>();
        if (all.isEmpty() && lines > 0) {
            out.add(styles.faint("  nothing has changed since the dashboard started"));
        }
        for (DashboardModel.Event e : shown) {
            out.add(new AttributedStringBuilder().append("  " + TIME.format(e.at()) + "  ")
                    .append(styles.text(e.text() + (e.lagBytes() == null ? "" : " (" + Units.humanBytes(e.lagBytes()) + ")"), e.level()))
                    .toAttributedString());
        }
        return out;
    }
}
