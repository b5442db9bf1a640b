package io.kefu.audit.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kefu.schemas.ActorRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Who may reveal what, and when (a YAML file):
 *
 * <pre>
 * zone: Asia/Shanghai
 * hours: "08:00-20:00"            # business hours, start inclusive, end exclusive ("24:00": midnight)
 * days: [MON, TUE, WED, THU, FRI, SAT, SUN]
 * require: purpose_or_ticket      # purpose | ticket | purpose_or_ticket | purpose_and_ticket
 * reveal:                         # role → fields it may reveal (PiiType names, or ALL)
 *   SUPERVISOR: [CUSTOMER_ID, NAME, PHONE, EMAIL, ID, CARD]
 * export: [SUPERVISOR]            # roles that may export pseudonymised tables
 * </pre>
 *
 * A role that is not listed may reveal nothing. The defaults ({@link #defaults()}) agree with the
 * daily audit's permission table: supervisors only, 08:00–20:00 every day in Asia/Shanghai, a
 * purpose or a ticket.
 */
public final class RevealPolicy {

  /** What a request must carry. */
  public enum Require {
    PURPOSE,
    TICKET,
    PURPOSE_OR_TICKET,
    PURPOSE_AND_TICKET
  }

  private final ZoneId zone;
  private final LocalTime open;
  private final LocalTime close;
  private final Set<DayOfWeek> days;
  private final Require require;
  private final Map<ActorRole, Set<PiiType>> reveal;
  private final Set<ActorRole> export;

  private RevealPolicy(
      ZoneId zone,
      LocalTime open,
      LocalTime close,
      Set<DayOfWeek> days,
      Require require,
      Map<ActorRole, Set<PiiType>> reveal,
      Set<ActorRole> export) {
    this.zone = zone;
    this.open = open;
    this.close = close;
    this.days = days;
    this.require = require;
    this.reveal = reveal;
    this.export = export;
  }

  /** The built-in policy (what the demo uses): the same text as {@code reveal-policy.yaml}. */
  public static RevealPolicy defaults() {
    try (var in = RevealPolicy.class.getResourceAsStream("reveal-policy.yaml")) {
      return parse(
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), "built-in");
    } catch (IOException e) {
      throw new IllegalStateException("built-in reveal policy is unreadable", e);
    }
  }

  public static RevealPolicy load(Path file) throws IOException {
    return parse(Files.readString(file), file.toString());
  }

  public static RevealPolicy parse(String yaml, String source) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not YAML: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(source + ": expected a mapping");
    }
    try {
      ZoneId zone = ZoneId.of(root.path("zone").asText("Asia/Shanghai"));
      String[] hours = root.path("hours").asText("08:00-20:00").split("-");
      if (hours.length != 2) {
        throw new IllegalArgumentException("hours must read HH:MM-HH:MM");
      }
      LocalTime open = LocalTime.parse(hours[0].strip());
      // "24:00" closes at midnight: the whole rest of the day
      LocalTime close = hours[1].strip().equals("24:00") ? null : LocalTime.parse(hours[1].strip());
      Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
      if (root.has("days")) {
        for (JsonNode d : root.get("days")) {
          days.add(day(d.asText()));
        }
      } else {
        days = EnumSet.allOf(DayOfWeek.class);
      }
      Require require =
          Require.valueOf(
              root.path("require").asText("purpose_or_ticket").toUpperCase(Locale.ROOT));
      Map<ActorRole, Set<PiiType>> reveal = new EnumMap<>(ActorRole.class);
      Iterator<Map.Entry<String, JsonNode>> it = root.path("reveal").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        Set<PiiType> fields = EnumSet.noneOf(PiiType.class);
        for (JsonNode f : e.getValue()) {
          String name = f.asText().toUpperCase(Locale.ROOT);
          if (name.equals("ALL")) {
            fields = EnumSet.allOf(PiiType.class);
          } else {
            fields.add(PiiType.valueOf(name));
          }
        }
        reveal.put(ActorRole.valueOf(e.getKey().toUpperCase(Locale.ROOT)), fields);
      }
      Set<ActorRole> export = EnumSet.noneOf(ActorRole.class);
      for (JsonNode r : root.path("export")) {
        export.add(ActorRole.valueOf(r.asText().toUpperCase(Locale.ROOT)));
      }
      return new RevealPolicy(zone, open, close, days, require, reveal, export);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  private static DayOfWeek day(String s) {
    String u = s.strip().toUpperCase(Locale.ROOT);
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.name().startsWith(u) && u.length() >= 3) {
        return d;
      }
    }
    throw new IllegalArgumentException("not a day of the week: " + s);
  }

  /** Why a reveal of {@code field} by {@code role} at {@code now} is refused; null if allowed. */
  public String revealRefusal(
      ActorRole role, PiiType field, String purpose, String ticket, Instant now) {
    Set<PiiType> allowed = reveal.get(role);
    if (allowed == null || !allowed.contains(field)) {
      return "role " + role + " may not reveal " + field;
    }
    return common(purpose, ticket, now);
  }

  /** Why an export by {@code role} at {@code now} is refused; null if allowed. */
  public String exportRefusal(ActorRole role, String purpose, String ticket, Instant now) {
    if (!export.contains(role)) {
      return "role " + role + " may not export";
    }
    return common(purpose, ticket, now);
  }

  private String common(String purpose, String ticket, Instant now) {
    boolean p = purpose != null && !purpose.isBlank();
    boolean t = ticket != null && !ticket.isBlank();
    switch (require) {
      case PURPOSE:
        if (!p) {
          return "a purpose is required";
        }
        break;
      case TICKET:
        if (!t) {
          return "a ticket is required";
        }
        break;
      case PURPOSE_AND_TICKET:
        if (!p || !t) {
          return "a purpose and a ticket are required";
        }
        break;
      default:
        if (!p && !t) {
          return "a purpose or a ticket is required";
        }
        break;
    }
    ZonedDateTime local = now.atZone(zone);
    LocalTime time = local.toLocalTime();
    if (!days.contains(local.getDayOfWeek())
        || time.isBefore(open)
        || (close != null && !time.isBefore(close))) {
      return String.format(
          "outside business hours (%s-%s %s, %s; now %s %s)",
          open,
          close == null ? "24:00" : close,
          zone,
          days.size() == 7 ? "every day" : days,
          local.getDayOfWeek(),
          time.withNano(0));
    }
    return null;
  }
}
