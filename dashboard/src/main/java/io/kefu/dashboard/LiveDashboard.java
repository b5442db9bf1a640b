package io.kefu.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.kefu.schemas.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code kefu dashboard}: a small web server with a JSON API over the KPI tables and one page (the
 * operations view, drawn with a vendored Apache ECharts, no CDN). Bad parameters answer 400 with a
 * message, an unreachable database 503; the page shows both as messages.
 */
public final class LiveDashboard implements AutoCloseable {

  static final Set<String> WINDOWS = Set.of("1m", "15m", "1h", "1d");
  static final Duration MAX_RANGE = Duration.ofDays(62);
  private static final String WEB = "/io/kefu/dashboard/web/";
  private static final Map<String, String> ASSETS =
      Map.of(
          "app.js", "text/javascript; charset=utf-8",
          "app.css", "text/css; charset=utf-8",
          "echarts.min.js", "text/javascript; charset=utf-8");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Javalin app;

  private LiveDashboard(Javalin app) {
    this.app = app;
  }

  /**
   * Starts the server on {@code host}:{@code port} (0: a free port) over the database at {@code
   * jdbcUrl}; days ("today", a bare date) are taken in {@code zone}.
   */
  public static LiveDashboard start(
      String jdbcUrl, String host, int port, ZoneId zone, Clock clock) {
    KpiStore store = new KpiStore(jdbcUrl);
    Javalin app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.routes.get("/", ctx -> page(ctx, "index.html", "text/html; charset=utf-8"));
              config.routes.get(
                  "/assets/{name}",
                  ctx -> {
                    String name = ctx.pathParam("name");
                    String type = ASSETS.get(name);
                    if (type == null) {
                      error(ctx, 404, "no such asset: " + name);
                      return;
                    }
                    page(ctx, name.equals("echarts.min.js") ? "vendor/" + name : name, type);
                  });
              config.routes.get(
                  "/api/health",
                  ctx -> {
                    try {
                      ObjectNode health = store.health(clock.instant());
                      health.put("zone", zone.getId());
                      json(ctx, 200, health);
                    } catch (SQLException e) {
                      ObjectNode body = MAPPER.createObjectNode();
                      body.put("status", "unavailable");
                      body.put("database", "down");
                      body.put("zone", zone.getId());
                      body.put("error", unavailableMessage(e));
                      json(ctx, 503, body);
                    }
                  });
              config.routes.get(
                  "/api/kpis",
                  ctx -> {
                    Range r = range(ctx, zone, clock);
                    json(ctx, 200, store.kpis(window(ctx), r.from(), r.to(), channel(ctx)));
                  });
              config.routes.get(
                  "/api/channels",
                  ctx -> {
                    Range r = range(ctx, zone, clock);
                    json(ctx, 200, store.channels(window(ctx), r.from(), r.to()));
                  });
              config.routes.get(
                  "/api/alerts",
                  ctx -> {
                    Instant since =
                        time(ctx, "since", zone, startOfToday(zone, clock), clock, false);
                    Instant until = time(ctx, "until", zone, null, clock, true);
                    if (until != null && !until.isAfter(since)) {
                      throw new BadRequest(
                          "until (" + until + ") must be after since (" + since + ")");
                    }
                    int limit = limit(ctx);
                    json(ctx, 200, store.alerts(since, until, limit, channel(ctx)));
                  });
              config.routes.exception(
                  BadRequest.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
              config.routes.exception(
                  SQLException.class,
                  (e, ctx) -> {
                    if (unavailable(e)) {
                      error(ctx, 503, unavailableMessage(e));
                    } else {
                      error(ctx, 500, "query failed: " + message(e));
                    }
                  });
              config.routes.exception(
                  Exception.class, (e, ctx) -> error(ctx, 500, "internal error: " + message(e)));
            });
    app.start(host, port);
    return new LiveDashboard(app);
  }

  /** The port the server listens on. */
  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }

  /** A request parameter that is not acceptable; the message says which and why. */
  static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }

  record Range(Instant from, Instant to) {}

  static String window(Context ctx) {
    String w = ctx.queryParam("window");
    if (w == null || w.isBlank()) {
      return "15m";
    }
    if (!WINDOWS.contains(w)) {
      throw new BadRequest("window must be one of 1m, 15m, 1h, 1d, found \"" + w + "\"");
    }
    return w;
  }

  static String channel(Context ctx) {
    String c = ctx.queryParam("channel");
    if (c == null || c.isBlank() || c.equalsIgnoreCase("all")) {
      return null;
    }
    String upper = c.toUpperCase(Locale.ROOT);
    if (Arrays.stream(Channel.values()).noneMatch(v -> v.name().equals(upper))) {
      throw new BadRequest(
          "channel must be one of "
              + String.join(", ", Arrays.stream(Channel.values()).map(Enum::name).toList())
              + " (or all), found \""
              + c
              + "\"");
    }
    return upper;
  }

  static Range range(Context ctx, ZoneId zone, Clock clock) {
    Instant defaultFrom = startOfToday(zone, clock);
    Instant from = time(ctx, "from", zone, defaultFrom, clock, false);
    Instant to = time(ctx, "to", zone, from.atZone(zone).plusDays(1).toInstant(), clock, true);
    if (!to.isAfter(from)) {
      throw new BadRequest("to (" + to + ") must be after from (" + from + ")");
    }
    if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
      throw new BadRequest(
          "the range from "
              + from
              + " to "
              + to
              + " is longer than "
              + MAX_RANGE.toDays()
              + " days");
    }
    return new Range(from, to);
  }

  private static Instant startOfToday(ZoneId zone, Clock clock) {
    return LocalDate.now(clock.withZone(zone)).atStartOfDay(zone).toInstant();
  }

  /**
   * An instant ({@code 2026-11-23T08:00:00Z}, with an offset, or a local date-time in the zone) or
   * a date ({@code 2026-11-23}: the start of that day in the zone; as {@code to}, the end of it).
   */
  static Instant time(
      Context ctx, String name, ZoneId zone, Instant fallback, Clock clock, boolean endOfDay) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      if (v.length() == 10) {
        LocalDate d = LocalDate.parse(v);
        return (endOfDay ? d.plusDays(1) : d).atStartOfDay(zone).toInstant();
      }
      if (v.endsWith("Z") || v.matches(".*[+-]\\d\\d:\\d\\d$")) {
        return OffsetDateTime.parse(v).toInstant();
      }
      return LocalDateTime.parse(v).atZone(zone).toInstant();
    } catch (DateTimeParseException e) {
      throw new BadRequest(
          name
              + " must be a date (2026-11-23) or a time (2026-11-23T08:00:00Z,"
              + " 2026-11-23T08:00 in "
              + zone
              + "), found \""
              + v
              + "\"");
    }
  }

  static int limit(Context ctx) {
    String v = ctx.queryParam("limit");
    if (v == null || v.isBlank()) {
      return 50;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= 500) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadRequest("limit must be an integer from 1 to 500, found \"" + v + "\"");
  }

  /** Connection failures (SQLSTATE class 08), shutdown (57P) or too many clients (53300). */
  static boolean unavailable(SQLException e) {
    String state = e.getSQLState();
    return state == null
        || state.startsWith("08")
        || state.startsWith("57P")
        || state.equals("53300")
        || state.equals("3D000")
        || state.equals("42P01");
  }

  private static String unavailableMessage(SQLException e) {
    if ("42P01".equals(e.getSQLState())) {
      return "the KPI tables are missing in this database (run the KPI job into it first): "
          + message(e);
    }
    return "database unavailable: " + message(e);
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.strip();
  }

  private static void json(Context ctx, int status, ObjectNode body) throws IOException {
    ctx.status(status)
        .contentType("application/json; charset=utf-8")
        .header("Cache-Control", "no-store")
        .result(MAPPER.writeValueAsBytes(body));
  }

  private static void error(Context ctx, int status, String message) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("error", message);
    try {
      json(ctx, status, body);
    } catch (IOException e) {
      ctx.status(status).result(message);
    }
  }

  private static void page(Context ctx, String name, String type) throws IOException {
    try (InputStream in = LiveDashboard.class.getResourceAsStream(WEB + name)) {
      if (in == null) {
        error(ctx, 404, "missing resource: " + name);
        return;
      }
      ctx.status(200).contentType(type).result(in.readAllBytes());
    }
  }
}
