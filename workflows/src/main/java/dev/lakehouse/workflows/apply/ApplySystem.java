package dev.lakehouse.workflows.apply;

/** The systems an apply converges, in the order it converges them (and prints the plan). */
public enum ApplySystem {
  SOURCE("source (PostgreSQL)"),
  DEBEZIUM("debezium (Kafka Connect)"),
  ICEBERG("iceberg (REST catalog)"),
  FLINK("flink (ingest job)"),
  TEMPORAL("temporal (schedules, sensors, worker)");

  private final String title;

  ApplySystem(String title) {
    this.title = title;
  }

  /** The heading of the system's group in a printed plan. */
  public String title() {
    return title;
  }
}
