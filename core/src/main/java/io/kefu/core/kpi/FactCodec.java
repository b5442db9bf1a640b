package io.kefu.core.kpi;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Binary form of a {@link Fact}, for stream-processor state. */
public final class FactCodec {
  private FactCodec() {}

  public static void write(DataOutput out, Fact f) throws IOException {
    out.writeByte(f.kind.ordinal());
    out.writeByte(f.sign);
    out.writeLong(f.time);
    string(out, f.id);
    string(out, f.tenant);
    string(out, f.conversationId);
    string(out, f.channel);
    string(out, f.queue);
    string(out, f.variant);
    string(out, f.agent);
    out.writeByte(f.outcome == null ? -1 : f.outcome.ordinal());
    out.writeDouble(f.waitSeconds);
    out.writeByte(
        (f.botEntry ? 1 : 0)
            | (f.handedOff ? 2 : 0)
            | (f.reachedExpert ? 4 : 0)
            | (f.resolved ? 8 : 0)
            | (f.contained ? 16 : 0));
    out.writeDouble(f.ttrSeconds);
    out.writeDouble(f.frtSeconds);
    out.writeDouble(f.ahtSeconds);
    out.writeDouble(f.sentimentChange);
    out.writeInt(f.csat);
    out.writeInt(f.nps);
    out.writeDouble(f.sentiment);
    out.writeDouble(f.anger);
    out.writeDouble(f.firstResponseSeconds);
    out.writeDouble(f.qaScore);
    int[] qa = f.qaViolations;
    out.writeByte(qa == null ? -1 : qa.length);
    if (qa != null) {
      for (int n : qa) {
        out.writeInt(n);
      }
    }
  }

  public static Fact read(DataInput in) throws IOException {
    Fact f = new Fact();
    f.kind = Fact.Kind.values()[in.readByte()];
    f.sign = in.readByte();
    f.time = in.readLong();
    f.id = string(in);
    f.tenant = string(in);
    f.conversationId = string(in);
    f.channel = string(in);
    f.queue = string(in);
    f.variant = string(in);
    f.agent = string(in);
    int outcome = in.readByte();
    f.outcome = outcome < 0 ? null : Fact.LegOutcome.values()[outcome];
    f.waitSeconds = in.readDouble();
    int flags = in.readByte();
    f.botEntry = (flags & 1) != 0;
    f.handedOff = (flags & 2) != 0;
    f.reachedExpert = (flags & 4) != 0;
    f.resolved = (flags & 8) != 0;
    f.contained = (flags & 16) != 0;
    f.ttrSeconds = in.readDouble();
    f.frtSeconds = in.readDouble();
    f.ahtSeconds = in.readDouble();
    f.sentimentChange = in.readDouble();
    f.csat = in.readInt();
    f.nps = in.readInt();
    f.sentiment = in.readDouble();
    f.anger = in.readDouble();
    f.firstResponseSeconds = in.readDouble();
    f.qaScore = in.readDouble();
    int kinds = in.readByte();
    if (kinds >= 0) {
      f.qaViolations = new int[kinds];
      for (int i = 0; i < kinds; i++) {
        f.qaViolations[i] = in.readInt();
      }
    }
    return f;
  }

  private static void string(DataOutput out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  private static String string(DataInput in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }
}
