package io.kefu.streaming;

import io.kefu.core.kpi.Fact;
import io.kefu.schemas.Dimension;

/** A fact on its way to one dimension value's windows. */
public final class KeyedFact {
  public String key;
  public String tenant;
  public Dimension dimension;
  public String value;
  public Fact fact;

  public KeyedFact() {}
}
