package io.kefu.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The page in a real browser: headless Chromium loads it from the server (ECharts from the jar,
 * data from the API over embedded PostgreSQL), runs its script and hands back the DOM it built and
 * a screenshot ({@code target/browser-screenshots/}). Skipped, with a message, when no Chromium is
 * installed (Debian: {@code apt-get install chromium}; or set KEFU_CHROMIUM to the binary).
 */
class LiveDashboardBrowserTest {

  static final Path SHOTS = Path.of("target/browser-screenshots");
  static final String NO_BROWSER =
      "SKIPPED: no Chromium (apt-get install chromium, or set KEFU_CHROMIUM to the binary):"
          + " the live dashboard page is not tested in a browser";
  static String chromium;
  static EmbeddedPostgres postgres;
  static LiveDashboard dashboard;
  static String base;

  @BeforeAll
  static void setUp() throws Exception {
    chromium = findChromium();
    if (chromium == null) {
      System.err.println(NO_BROWSER);
      return;
    }
    postgres = EmbeddedPostgres.builder().start();
    String jdbc = postgres.getJdbcUrl("postgres", "postgres");
    KpiFixture.fill(jdbc);
    dashboard = LiveDashboard.start(jdbc, "127.0.0.1", 0, KpiFixture.ZONE, KpiFixture.CLOCK);
    base = "http://127.0.0.1:" + dashboard.port() + "/";
    Files.createDirectories(SHOTS);
  }

  /** Each test is reported as skipped, with the reason, when there is no browser. */
  @BeforeEach
  void needsABrowser() {
    Assumptions.assumeTrue(chromium != null, NO_BROWSER);
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

  static String findChromium() {
    List<String> candidates = new ArrayList<>();
    String env = System.getenv("KEFU_CHROMIUM");
    if (env != null && !env.isBlank()) {
      return Files.isExecutable(Path.of(env)) ? env : null; // only the one asked for
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
        candidates.add(Path.of(dir, name).toString());
      }
    }
    return candidates.stream().filter(c -> Files.isExecutable(Path.of(c))).findFirst().orElse(null);
  }

  /** The DOM after the page's script ran (10 s of virtual time), and a screenshot of it. */
  static String render(String url, String shot) throws Exception {
    List<String> common =
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--window-size=1400,1300",
            "--virtual-time-budget=8000");
    List<String> dom = new ArrayList<>(List.of(chromium));
    dom.addAll(common);
    dom.add("--dump-dom");
    dom.add(url);
    String html = run(dom);
    List<String> png = new ArrayList<>(List.of(chromium));
    png.addAll(common);
    png.add("--screenshot=" + SHOTS.resolve(shot + ".png").toAbsolutePath());
    png.add(url);
    run(png);
    assertTrue(Files.size(SHOTS.resolve(shot + ".png")) > 10_000, "screenshot " + shot);
    return html;
  }

  private static String run(List<String> command) throws Exception {
    Path log = Files.createTempFile("chromium", ".log");
    Process p =
        new ProcessBuilder(command)
            .redirectError(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
    assertEquals(0, p.exitValue(), "chromium: " + Files.readString(log));
    return new String(out, StandardCharsets.UTF_8);
  }

  static String tile(String html, String label) {
    Matcher m =
        Pattern.compile("<div class=\"v\">([^<]*)</div><div class=\"k\">" + Pattern.quote(label))
            .matcher(html);
    assertTrue(m.find(), "tile " + label);
    return m.group(1);
  }

  static int count(String html, String regex) {
    Matcher m = Pattern.compile(regex).matcher(html);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void pageLoadsAndChartsRenderWithData() throws Exception {
    String html = render(base, "operations-today");
    assertTrue(html.contains("data-loaded=\"true\""), "the script ran to the end");
    for (String chart : List.of("chart-rates", "chart-asa", "chart-volume", "chart-funnel")) {
      Matcher m =
          Pattern.compile("<div class=\"chart\" id=\"" + chart + "\"[^>]*_echarts_instance_")
              .matcher(html);
      assertTrue(m.find(), chart + " is an ECharts chart, shown");
    }
    assertTrue(count(html, "<canvas") >= 4, "charts drawn on canvases");
    assertEquals("26", tile(html, "Offered legs"));
    assertEquals("92.0 %", tile(html, "Connect rate"));
    assertEquals("76.0 %", tile(html, "Service level (20 s)"));
    assertEquals("1", tile(html, "Open (provisional) windows"));
    assertEquals(2, count(html, "<li>"), "two alerts today");
    assertTrue(html.contains("refund NOW") && html.contains("要投诉！！"));
    assertFalse(html.contains("class=\"banner\" role"), "no error banner");
  }

  @Test
  void aChannelFilterChangesWhatIsShown() throws Exception {
    String html = render(base + "?channel=PHONE", "operations-phone");
    assertEquals("6", tile(html, "Offered legs"));
    assertEquals(1, count(html, "<li>"), "one PHONE alert");
    assertTrue(html.contains("refund NOW") && !html.contains("要投诉！！"));
  }

  @Test
  void anEmptyRangeIsAMessageWithAWayToTheData() throws Exception {
    String html = render(base + "?from=2026-12-01", "operations-empty");
    assertTrue(html.contains("No KPI rows for"), "empty charts say so");
    assertTrue(html.contains("Show that day"), "offers the newest day with data");
    assertTrue(html.contains("No anger alerts since"));
  }

  @Test
  void aDatabaseThatDoesNotAnswerIsAMessage() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    try (LiveDashboard down =
        LiveDashboard.start(
            "jdbc:postgresql://127.0.0.1:" + closed + "/postgres?user=postgres",
            "127.0.0.1",
            0,
            KpiFixture.ZONE,
            KpiFixture.CLOCK)) {
      String html = render("http://127.0.0.1:" + down.port() + "/", "operations-db-down");
      assertTrue(html.contains("database unavailable: Connection to 127.0.0.1:" + closed), html);
      assertTrue(html.contains("No data: database unavailable"), "charts say why they are empty");
    }
  }
}
