package io.kefu.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.ZoneId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live dashboard's API against a real PostgreSQL holding the streaming job's tables (its Flyway
 * migrations, applied as plain SQL) and a few rows: two final 15-minute windows and one open
 * (provisional) window of 2026-11-23 in Shanghai, one channel row, two alerts.
 */
class LiveDashboardTest {

  static final ZoneId ZONE = KpiFixture.ZONE;
  static final Clock CLOCK = KpiFixture.CLOCK;
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static EmbeddedPostgres postgres;
  static LiveDashboard dashboard;
  static String base;

  @BeforeAll
  static void setUp() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    String jdbc = postgres.getJdbcUrl("postgres", "postgres");
    KpiFixture.fill(jdbc);
    dashboard = LiveDashboard.start(jdbc, "127.0.0.1", 0, ZONE, CLOCK);
    base = "http://127.0.0.1:" + dashboard.port();
  }

  @AfterAll
  static void tearDown() throws IOException {
    if (dashboard != null) {
      dashboard.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static void assertJson(String expected, HttpResponse<String> r) throws IOException {
    assertEquals(JSON.readTree(expected), JSON.readTree(r.body()), r.body());
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
        r.headers().toString());
  }

  @Test
  void kpisOfTodaySoFarByDefault() throws Exception {
    HttpResponse<String> r = get("/api/kpis");
    assertEquals(200, r.statusCode());
    assertJson(
        """
        {"window":"15m","from":"2026-11-22T16:00:00Z","to":"2026-11-23T16:00:00Z","channel":null,
         "rows":[
          {"window_start":"2026-11-22T16:00:00Z","window_end":"2026-11-22T16:15:00Z","is_final":true,
           "offered":20,"answered":18,"abandoned":2,"short_abandoned":0,
           "connect_rate":0.9,"abandon_rate":0.1,"service_level":0.75,"asa_seconds":14.444444444444445,
           "closed":20,"handed_off":10,"reached_expert":0,"resolved":10,
           "bot_containment_rate":0.5,"transfer_rate":0.5,"resolution_rate":0.5,
           "surveys":4,"csat_mean":4.5,"customer_messages":12,"sentiment_mean":-0.25,"anger_count":2},
          {"window_start":"2026-11-22T16:15:00Z","window_end":"2026-11-22T16:30:00Z","is_final":true,
           "offered":4,"answered":3,"abandoned":1,"short_abandoned":1,
           "connect_rate":1.0,"abandon_rate":0.0,"service_level":1.0,"asa_seconds":30.0,
           "closed":4,"handed_off":2,"reached_expert":0,"resolved":2,
           "bot_containment_rate":0.5,"transfer_rate":0.5,"resolution_rate":0.5,
           "surveys":2,"csat_mean":4.5,"customer_messages":6,"sentiment_mean":-0.25,"anger_count":1},
          {"window_start":"2026-11-22T16:30:00Z","window_end":"2026-11-22T16:45:00Z","is_final":false,
           "offered":2,"answered":2,"abandoned":0,"short_abandoned":0,
           "connect_rate":1.0,"abandon_rate":0.0,"service_level":0.5,"asa_seconds":5.0,
           "closed":2,"handed_off":1,"reached_expert":0,"resolved":1,
           "bot_containment_rate":0.5,"transfer_rate":0.5,"resolution_rate":0.5,
           "surveys":2,"csat_mean":4.5,"customer_messages":6,"sentiment_mean":-0.25,"anger_count":1}],
         "totals":{"rows":4,"provisional_rows":1,
           "offered":26,"answered":23,"abandoned":3,"short_abandoned":1,
           "connect_rate":0.92,"abandon_rate":0.08,"service_level":0.76,"asa_seconds":15.652173913043478,
           "closed":26,"handed_off":13,"reached_expert":0,"resolved":13,
           "bot_containment_rate":0.5,"transfer_rate":0.5,"resolution_rate":0.5,
           "surveys":8,"csat_mean":4.5,"customer_messages":24,"sentiment_mean":-0.25,"anger_count":4}}
        """,
        r);
  }

  @Test
  void oneChannelInARange() throws Exception {
    HttpResponse<String> r =
        get("/api/kpis?window=15m&from=2026-11-23T00:00&to=2026-11-23T00:15&channel=phone");
    assertEquals(200, r.statusCode());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("PHONE", body.get("channel").asText());
    assertEquals("2026-11-22T16:00:00Z", body.get("from").asText());
    assertEquals("2026-11-22T16:15:00Z", body.get("to").asText());
    assertEquals(1, body.get("rows").size());
    assertEquals(6, body.get("rows").get(0).get("offered").asLong());
    assertEquals(1.0, body.get("totals").get("rows").asDouble());
  }

  @Test
  void anEmptyRangeHasNoRowsAndNullRates() throws Exception {
    HttpResponse<String> r = get("/api/kpis?window=1h&from=2026-11-23");
    assertEquals(200, r.statusCode());
    assertJson(
        """
        {"window":"1h","from":"2026-11-22T16:00:00Z","to":"2026-11-23T16:00:00Z","channel":null,
         "rows":[],
         "totals":{"rows":0,"provisional_rows":0,"offered":null,"answered":null,"abandoned":null,
           "short_abandoned":null,"connect_rate":null,"abandon_rate":null,"service_level":null,
           "asa_seconds":null,"closed":null,"handed_off":null,"reached_expert":null,"resolved":null,
           "bot_containment_rate":null,"transfer_rate":null,"resolution_rate":null,"surveys":null,
           "csat_mean":null,"customer_messages":null,"sentiment_mean":null,"anger_count":null}}
        """,
        r);
  }

  @Test
  void channelVolumes() throws Exception {
    assertJson(
        """
        {"window":"15m","from":"2026-11-22T16:00:00Z","to":"2026-11-23T16:00:00Z",
         "rows":[{"window_start":"2026-11-22T16:00:00Z","channel":"PHONE","offered":6,"closed":6}]}
        """,
        get("/api/channels"));
  }

  @Test
  void alertsNewestFirstSinceTheStartOfToday() throws Exception {
    assertJson(
        """
        {"since":"2026-11-22T16:00:00Z","until":null,"channel":null,"alerts":[
          {"alert_id":"al-2","alert_type":"ANGER_ESCALATION","event_time":"2026-11-22T16:20:00Z",
           "channel":"PHONE","queue":null,"conversation_id":"c-2","customer_pseudonym":"p2",
           "text":"refund NOW","anger":0.85,"sentiment":-0.7},
          {"alert_id":"al-1","alert_type":"ANGER_ESCALATION","event_time":"2026-11-22T16:05:00Z",
           "channel":"WEB","queue":null,"conversation_id":"c-1","customer_pseudonym":"p1",
           "text":"要投诉！！","anger":0.9,"sentiment":-0.8}]}
        """,
        get("/api/alerts"));
    JsonNode web =
        JSON.readTree(get("/api/alerts?since=2026-11-21T00:00:00Z&channel=WEB&limit=1").body());
    assertEquals(1, web.get("alerts").size());
    assertEquals("al-1", web.get("alerts").get(0).get("alert_id").asText());
    JsonNode yesterday = JSON.readTree(get("/api/alerts?since=2026-11-22&until=2026-11-22").body());
    assertEquals("2026-11-22T16:00:00Z", yesterday.get("until").asText());
    assertEquals(1, yesterday.get("alerts").size());
    assertEquals("al-0", yesterday.get("alerts").get(0).get("alert_id").asText());
  }

  @Test
  void healthSaysHowFreshTheNewestRowIs() throws Exception {
    assertJson(
        """
        {"status":"ok","database":"up","kpi_rows":6,"provisional_rows":1,
         "newest_emission":"2026-11-22T16:30:10Z","newest_window_start":"2026-11-22T16:30:00Z",
         "freshness_seconds":30590.0,"zone":"Asia/Shanghai"}
        """,
        get("/api/health"));
  }

  @Test
  void badParametersAre400WithAMessage() throws Exception {
    String[][] cases = {
      {"/api/kpis?window=5m", "window must be one of 1m, 15m, 1h, 1d, found \"5m\""},
      {"/api/kpis?channel=FAX", "channel must be one of PHONE, WEB, APP, WECHAT"},
      {"/api/kpis?from=yesterday", "from must be a date (2026-11-23) or a time"},
      {
        "/api/kpis?from=2026-11-23&to=2026-11-22",
        "to (2026-11-22T16:00:00Z) must be after from (2026-11-22T16:00:00Z)"
      },
      {"/api/kpis?from=2026-01-01&to=2026-11-23", "is longer than 62 days"},
      {"/api/channels?window=1w", "window must be one of"},
      {"/api/alerts?limit=0", "limit must be an integer from 1 to 500, found \"0\""},
      {"/api/alerts?since=2026-13-01", "since must be a date"},
      {
        "/api/alerts?since=2026-11-23&until=2026-11-22",
        "until (2026-11-22T16:00:00Z) must be after"
      },
    };
    for (String[] c : cases) {
      HttpResponse<String> r = get(c[0]);
      assertEquals(400, r.statusCode(), c[0] + " " + r.body());
      String error = JSON.readTree(r.body()).get("error").asText();
      assertTrue(error.contains(c[1]), c[0] + ": " + error);
    }
  }

  @Test
  void databaseDownIs503WithAMessage() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (LiveDashboard down =
        LiveDashboard.start(
            "jdbc:postgresql://127.0.0.1:"
                + closedPort
                + "/postgres?user=postgres&connectTimeout=2",
            "127.0.0.1",
            0,
            ZONE,
            CLOCK)) {
      String b = "http://127.0.0.1:" + down.port();
      for (String path :
          new String[] {"/api/kpis", "/api/alerts", "/api/channels", "/api/health"}) {
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(b + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, r.statusCode(), path + " " + r.body());
        String error = JSON.readTree(r.body()).get("error").asText();
        assertTrue(error.startsWith("database unavailable: "), path + ": " + error);
        assertTrue(error.contains("Connection") || error.contains("connect"), error);
      }
      // the page itself is still served, and shows the error as a message
      HttpResponse<String> page =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(b + "/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode());
    }
  }

  @Test
  void pageAndAssetsAreServedFromTheJarWithoutACdn() throws Exception {
    HttpResponse<String> page = get("/");
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    String html = page.body();
    assertTrue(html.contains("<script src=\"assets/echarts.min.js\"></script>"), html);
    assertTrue(html.contains("<script src=\"assets/app.js\"></script>"));
    HttpResponse<String> js = get("/assets/app.js");
    assertEquals(200, js.statusCode());
    for (String needle : new String[] {"api/kpis", "api/alerts", "api/channels", "api/health"}) {
      assertTrue(js.body().contains(needle), "app.js calls " + needle);
    }
    HttpResponse<String> echarts = get("/assets/echarts.min.js");
    assertEquals(200, echarts.statusCode());
    assertTrue(echarts.body().length() > 900_000, "the vendored ECharts");
    assertTrue(echarts.body().contains("5.6.0"), "ECharts 5.6.0");
    assertEquals(200, get("/assets/app.css").statusCode());
    assertEquals(404, get("/assets/secrets.txt").statusCode());
    // every script, style and request of our own files stays on this server
    Pattern external = Pattern.compile("(?i)(src|href)\\s*=\\s*\"(https?:)?//|cdn|fetch\\(\"http");
    for (String own : new String[] {html, js.body(), get("/assets/app.css").body()}) {
      Matcher m = external.matcher(own);
      assertFalse(m.find(), "external reference: " + (m.hitEnd() ? "" : m.group()));
    }
  }
}
