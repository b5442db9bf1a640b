package io.kefu.streaming;

import io.kefu.schemas.Alert;

/** One of the job's outputs, so that a bounded run can collect them all through one stream. */
public final class JobOutput {
  public KpiSnapshot snapshot;
  public DeadLetter dead;
  public LateRecord late;
  public Alert alert;

  public JobOutput() {}

  static JobOutput of(KpiSnapshot snapshot) {
    JobOutput o = new JobOutput();
    o.snapshot = snapshot;
    return o;
  }

  static JobOutput of(DeadLetter dead) {
    JobOutput o = new JobOutput();
    o.dead = dead;
    return o;
  }

  static JobOutput of(LateRecord late) {
    JobOutput o = new JobOutput();
    o.late = late;
    return o;
  }

  static JobOutput of(Alert alert) {
    JobOutput o = new JobOutput();
    o.alert = alert;
    return o;
  }
}
