package io.kefu.streaming;

import io.kefu.schemas.Alert;
import io.kefu.schemas.QaViolation;

/** One of the job's outputs, so that a bounded run can collect them all through one stream. */
public final class JobOutput {
  public KpiSnapshot snapshot;
  public DeadLetter dead;
  public LateRecord late;
  public Alert alert;
  public QaViolation violation;

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

  static JobOutput of(QaViolation violation) {
    JobOutput o = new JobOutput();
    o.violation = violation;
    return o;
  }

  static JobOutput of(Alert alert) {
    JobOutput o = new JobOutput();
    o.alert = alert;
    return o;
  }
}
