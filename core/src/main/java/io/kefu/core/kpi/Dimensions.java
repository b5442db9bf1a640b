package io.kefu.core.kpi;

import io.kefu.schemas.Dimension;
import java.util.ArrayList;
import java.util.List;

/**
 * Which dimension values a fact counts towards (KPIS.md): overall, its channel, its queue, its
 * variant (when the conversation is in an experiment) and, for agent metrics, its agent. A
 * conversation's QA score counts for the first four; each agent's own QA score for the agent.
 */
public final class Dimensions {
  /** The dimension value of overall rows. */
  public static final String ALL = "*";

  /** Stands for a dimension value the events did not give (e.g. the start never arrived). */
  public static final String UNKNOWN = "unknown";

  private Dimensions() {}

  /** One dimension value. */
  public record Key(String tenant, Dimension dimension, String value) {

    /** A compact string form, usable as a stream partitioning key. */
    public String asString() {
      return tenant + '\u0001' + dimension.ordinal() + '\u0001' + value;
    }
  }

  public static List<Key> of(Fact f) {
    if (f.kind == Fact.Kind.AGENT_QA) {
      // the conversation's own QA fact counts for the other dimensions
      return f.agent == null ? List.of() : List.of(new Key(f.tenant, Dimension.AGENT, f.agent));
    }
    List<Key> keys = new ArrayList<>(5);
    keys.add(new Key(f.tenant, Dimension.OVERALL, ALL));
    keys.add(new Key(f.tenant, Dimension.CHANNEL, orUnknown(f.channel)));
    keys.add(new Key(f.tenant, Dimension.QUEUE, orUnknown(f.queue)));
    if (f.variant != null) {
      keys.add(new Key(f.tenant, Dimension.VARIANT, f.variant));
    }
    if (f.agent != null && countsForAgent(f)) {
      keys.add(new Key(f.tenant, Dimension.AGENT, f.agent));
    }
    return keys;
  }

  private static boolean countsForAgent(Fact f) {
    return f.kind == Fact.Kind.LEG
        || f.kind == Fact.Kind.CONVERSATION
        || f.kind == Fact.Kind.SURVEY
        || f.kind == Fact.Kind.FIRST_RESPONSE;
  }

  private static String orUnknown(String v) {
    return v == null ? UNKNOWN : v;
  }
}
