package io.kefu.audit.daily;

import static io.kefu.audit.daily.Ops.DAY;
import static io.kefu.audit.daily.Ops.SHANGHAI;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kefu.audit.daily.Finding.Rule;
import io.kefu.audit.daily.Finding.Severity;
import io.kefu.schemas.ActorRole;
import io.kefu.schemas.OperationAction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditReportTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final VerificationSummary INTACT =
      new VerificationSummary(true, 6377, 7, null, "ledger/oplog (channel kefu-audit)");

  private static final OperationCounts COUNTS =
      new OperationCounts(
          Map.of(OperationAction.VIEW, 40L, OperationAction.REVEAL, 2L),
          Map.of(ActorRole.AGENT, 39L, ActorRole.SUPERVISOR, 3L));

  private static final Finding LATE_REVEAL =
      new Finding(
          Rule.OFF_HOURS_DECRYPT_OR_EXPORT,
          Severity.HIGH,
          "sup-03",
          3237,
          3237,
          List.of(3237L),
          1,
          "sup-03 (SUPERVISOR) revealed (decrypted) VAULT cust-0000042 at 2026-11-23 23:12:00"
              + " Asia/Shanghai; purpose 投诉回访.");

  private static final Finding CARELESS =
      new Finding(
          Rule.NO_PURPOSE,
          Severity.MEDIUM,
          "d-billing-001",
          1389,
          1799,
          List.of(1389L, 1665L, 1799L),
          3,
          "d-billing-001 (AGENT) accessed customer data 3 times with neither a purpose nor a"
              + " ticket.");

  private static AuditReport report(VerificationSummary v, Finding... findings) {
    return new AuditReport(DAY, SHANGHAI, v, List.of(findings), COUNTS);
  }

  @Test
  void jsonMatchesTheGoldenFile() throws IOException {
    byte[] json = report(INTACT, CARELESS, LATE_REVEAL).json();
    try (InputStream golden = getClass().getResourceAsStream("/daily/audit-2026-11-23.json")) {
      assertEquals(
          new String(golden.readAllBytes(), StandardCharsets.UTF_8),
          new String(json, StandardCharsets.UTF_8));
    }
  }

  @Test
  void jsonHasTheExpectedFieldsInOrder() throws IOException {
    JsonNode root = MAPPER.readTree(report(INTACT, CARELESS, LATE_REVEAL).json());
    List<String> fields = new ArrayList<>();
    root.fieldNames().forEachRemaining(fields::add);
    assertEquals(
        List.of(
            "report",
            "format_version",
            "date",
            "zone",
            "verdict",
            "verification",
            "summary",
            "findings",
            "operations"),
        fields);
    assertEquals("2026-11-23", root.get("date").asText());
    assertEquals("Asia/Shanghai", root.get("zone").asText());
    assertEquals("REVIEW_REQUIRED", root.get("verdict").asText());

    JsonNode v = root.get("verification");
    assertTrue(v.get("intact").asBoolean());
    assertEquals(6377, v.get("records").asLong());
    assertEquals(7, v.get("batches").asLong());
    assertTrue(v.get("first_problem").isNull());
    assertEquals("ledger/oplog (channel kefu-audit)", v.get("ledger").asText());

    assertEquals(2, root.get("summary").get("findings").asInt());
    assertEquals(1, root.get("summary").get("by_severity").get("HIGH").asInt());
    assertEquals(0, root.get("summary").get("by_rule").get("READ_SPREE").asInt());

    JsonNode first = root.get("findings").get(0);
    assertEquals("NO_PURPOSE", first.get("rule").asText());
    assertEquals("MEDIUM", first.get("severity").asText());
    assertEquals("d-billing-001", first.get("actor").asText());
    assertEquals(1389, first.get("first_sequence").asLong());
    assertEquals(1799, first.get("last_sequence").asLong());
    assertEquals(3, first.get("count").asLong());
    assertEquals("[1389,1665,1799]", first.get("sequences").toString());

    JsonNode ops = root.get("operations");
    assertEquals(42, ops.get("total").asLong());
    assertEquals(40, ops.get("by_action").get("VIEW").asLong());
    assertEquals(0, ops.get("by_action").get("EXPORT").asLong());
    assertEquals(39, ops.get("by_role").get("AGENT").asLong());
  }

  @Test
  void chineseTextSurvivesAsUtf8() throws IOException {
    AuditReport r = report(INTACT, LATE_REVEAL);
    String json = new String(r.json(), StandardCharsets.UTF_8);
    assertTrue(json.contains("purpose 投诉回访."), "written raw, not \\u-escaped");
    assertTrue(
        MAPPER
            .readTree(r.json())
            .get("findings")
            .get(0)
            .get("description")
            .asText()
            .contains("投诉回访"));
    String html = r.html();
    assertTrue(html.contains("<meta charset=\"utf-8\">"));
    assertTrue(html.contains("投诉回访"));
  }

  @Test
  void htmlEscapesWhatItShows() {
    Finding hostile =
        new Finding(
            Rule.READ_SPREE,
            Severity.HIGH,
            "<script>alert('x')</script>",
            1,
            2,
            List.of(1L, 2L),
            2,
            "read by \"<script>\" & co");
    String html =
        report(new VerificationSummary(true, 2, 1, null, "<b>ledger</b>"), hostile).html();
    assertFalse(html.contains("<script>"), html);
    assertFalse(html.contains("<b>"), html);
    assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assertTrue(html.contains("read by &quot;&lt;script&gt;&quot; &amp; co"));
  }

  @Test
  void verdictFollowsVerificationAndFindings() {
    AuditReport pass = report(INTACT);
    assertEquals(AuditReport.Verdict.PASS, pass.verdict());
    assertTrue(pass.html().contains("<strong>PASS</strong>"));

    AuditReport review = report(INTACT, LATE_REVEAL);
    assertEquals(AuditReport.Verdict.REVIEW_REQUIRED, review.verdict());
    assertTrue(review.html().contains("<strong>REVIEW REQUIRED</strong>"));
    assertTrue(review.html().contains("1 finding needs review"));

    AuditReport broken =
        report(
            new VerificationSummary(false, 6377, 7, "record 812: hash differs", "ledger"),
            LATE_REVEAL);
    assertEquals(AuditReport.Verdict.INTEGRITY_FAILURE, broken.verdict());
    assertTrue(broken.html().contains("<strong>INTEGRITY FAILURE</strong>"));
    assertTrue(broken.html().contains("record 812: hash differs"));
  }

  @Test
  void htmlIsSelfContainedAndNamesTheJsonHash() throws Exception {
    AuditReport r = report(INTACT, CARELESS, LATE_REVEAL);
    String html = r.html();
    assertFalse(html.contains("<script"));
    assertFalse(html.contains("src="));
    assertFalse(html.contains("href="));
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.json()));
    assertTrue(html.contains(sha));
    assertTrue(html.contains("1389–1799"));
  }

  @Test
  void writesBothFilesAndReturnsTheJsonBytes(@TempDir Path dir) throws IOException {
    AuditReport r = report(INTACT, CARELESS, LATE_REVEAL);
    byte[] json = r.writeTo(dir.resolve("reports"));
    assertArrayEquals(r.json(), json);
    assertArrayEquals(json, Files.readAllBytes(dir.resolve("reports/audit-2026-11-23.json")));
    assertEquals(
        r.html(),
        Files.readString(dir.resolve("reports/audit-2026-11-23.html"), StandardCharsets.UTF_8));
    try (var files = Files.list(dir.resolve("reports"))) {
      assertEquals(2, files.count(), "no temporary file left behind");
    }
  }

  @Test
  void outputIsDeterministic() {
    assertArrayEquals(report(INTACT, CARELESS).json(), report(INTACT, CARELESS).json());
    assertEquals(report(INTACT, CARELESS).html(), report(INTACT, CARELESS).html());
  }

  @Test
  void inconsistentInputIsRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new VerificationSummary(true, 1, 1, "but something failed", "ledger"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new OperationCounts(Map.of(OperationAction.VIEW, 2L), Map.of(ActorRole.AGENT, 1L)));
  }
}
