package dev.lakehouse.activities.flink;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;

/** Heartbeats when running inside an activity; a no-op when called directly (tests, tools). */
final class Heartbeats {
  private Heartbeats() {}

  static void beat(String details) {
    ActivityExecutionContext ctx;
    try {
      ctx = Activity.getExecutionContext();
    } catch (IllegalStateException notInActivity) {
      return;
    }
    ctx.heartbeat(details); // throws when the activity was cancelled: let it propagate
  }
}
