package io.kefu.batch.report;

import io.kefu.core.kpi.Fact;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A core {@link Fact} as a Spark row and back: the {@link #FACT} schema has one column per field
 * (absent numbers are null, not NaN or −1), plus the conversation's customer and start and, on QA
 * facts, the violations found — what the report's follow-up tables need beyond the KPIs.
 */
public final class FactRows {
  private FactRows() {}

  /** One violation of a QA fact. */
  public static final StructType VIOLATION =
      new StructType()
          .add("rule_id", DataTypes.StringType, false)
          .add("rule_kind", DataTypes.StringType, false)
          .add("agent_id", DataTypes.StringType)
          .add("matched_text", DataTypes.StringType);

  public static final StructType FACT =
      new StructType()
          .add("kind", DataTypes.StringType, false)
          .add("fact_id", DataTypes.StringType, false)
          .add("time", DataTypes.TimestampType, false)
          .add("tenant", DataTypes.StringType)
          .add("conversation_id", DataTypes.StringType)
          .add("channel", DataTypes.StringType)
          .add("queue", DataTypes.StringType)
          .add("variant", DataTypes.StringType)
          .add("agent", DataTypes.StringType)
          .add("outcome", DataTypes.StringType)
          .add("wait", DataTypes.DoubleType)
          .add("bot_entry", DataTypes.BooleanType, false)
          .add("handed_off", DataTypes.BooleanType, false)
          .add("reached_expert", DataTypes.BooleanType, false)
          .add("resolved", DataTypes.BooleanType, false)
          .add("contained", DataTypes.BooleanType, false)
          .add("ttr", DataTypes.DoubleType)
          .add("frt", DataTypes.DoubleType)
          .add("aht", DataTypes.DoubleType)
          .add("sentiment_change", DataTypes.DoubleType)
          .add("csat", DataTypes.IntegerType)
          .add("nps", DataTypes.IntegerType)
          .add("sentiment", DataTypes.DoubleType)
          .add("anger", DataTypes.DoubleType)
          .add("first_response", DataTypes.DoubleType)
          .add("qa_score", DataTypes.DoubleType)
          .add("qa_violations", DataTypes.createArrayType(DataTypes.IntegerType, false))
          .add("customer_id", DataTypes.StringType)
          .add("started_at", DataTypes.TimestampType)
          .add("violations", DataTypes.createArrayType(VIOLATION, false));

  /** {@code f} as a {@link #FACT} row; {@code violations} are {@link #VIOLATION} rows or null. */
  public static Row row(Fact f, String customerId, Long startedAt, List<Row> violations) {
    return RowFactory.create(
        f.kind.name(),
        f.id,
        new Timestamp(f.time),
        f.tenant,
        f.conversationId,
        f.channel,
        f.queue,
        f.variant,
        f.agent,
        f.outcome == null ? null : f.outcome.name(),
        num(f.waitSeconds),
        f.botEntry,
        f.handedOff,
        f.reachedExpert,
        f.resolved,
        f.contained,
        num(f.ttrSeconds),
        num(f.frtSeconds),
        num(f.ahtSeconds),
        num(f.sentimentChange),
        f.csat < 0 ? null : f.csat,
        f.nps < 0 ? null : f.nps,
        num(f.sentiment),
        num(f.anger),
        num(f.firstResponseSeconds),
        num(f.qaScore),
        f.qaViolations == null ? null : ints(f.qaViolations),
        customerId,
        startedAt == null ? null : new Timestamp(startedAt),
        violations == null
            ? null
            : scala.jdk.javaapi.CollectionConverters.asScala(violations).toSeq());
  }

  /** A {@link #FACT} row (by column name, so any column order) back as a fact. */
  public static Fact fact(Row r) {
    Fact f = new Fact();
    f.kind = Fact.Kind.valueOf(r.getString(r.fieldIndex("kind")));
    f.id = r.getString(r.fieldIndex("fact_id"));
    f.time = ((Timestamp) r.get(r.fieldIndex("time"))).getTime();
    f.tenant = str(r, "tenant");
    f.conversationId = str(r, "conversation_id");
    f.channel = str(r, "channel");
    f.queue = str(r, "queue");
    f.variant = str(r, "variant");
    f.agent = str(r, "agent");
    String outcome = str(r, "outcome");
    f.outcome = outcome == null ? null : Fact.LegOutcome.valueOf(outcome);
    f.waitSeconds = dbl(r, "wait");
    f.botEntry = r.getBoolean(r.fieldIndex("bot_entry"));
    f.handedOff = r.getBoolean(r.fieldIndex("handed_off"));
    f.reachedExpert = r.getBoolean(r.fieldIndex("reached_expert"));
    f.resolved = r.getBoolean(r.fieldIndex("resolved"));
    f.contained = r.getBoolean(r.fieldIndex("contained"));
    f.ttrSeconds = dbl(r, "ttr");
    f.frtSeconds = dbl(r, "frt");
    f.ahtSeconds = dbl(r, "aht");
    f.sentimentChange = dbl(r, "sentiment_change");
    int csat = r.fieldIndex("csat");
    f.csat = r.isNullAt(csat) ? -1 : r.getInt(csat);
    int nps = r.fieldIndex("nps");
    f.nps = r.isNullAt(nps) ? -1 : r.getInt(nps);
    f.sentiment = dbl(r, "sentiment");
    f.anger = dbl(r, "anger");
    f.firstResponseSeconds = dbl(r, "first_response");
    f.qaScore = dbl(r, "qa_score");
    int qa = r.fieldIndex("qa_violations");
    if (!r.isNullAt(qa)) {
      List<Integer> list = r.getList(qa);
      f.qaViolations = new int[list.size()];
      for (int i = 0; i < list.size(); i++) {
        f.qaViolations[i] = list.get(i);
      }
    }
    return f;
  }

  private static Double num(double d) {
    return Double.isNaN(d) ? null : d;
  }

  private static scala.collection.immutable.Seq<Integer> ints(int[] a) {
    List<Integer> l = new ArrayList<>(a.length);
    for (int v : a) {
      l.add(v);
    }
    return scala.jdk.javaapi.CollectionConverters.asScala(l).toSeq();
  }

  private static String str(Row r, String column) {
    int i = r.fieldIndex(column);
    return r.isNullAt(i) ? null : r.getString(i);
  }

  private static double dbl(Row r, String column) {
    int i = r.fieldIndex(column);
    return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
  }
}
