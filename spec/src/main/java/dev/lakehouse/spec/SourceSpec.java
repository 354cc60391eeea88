package dev.lakehouse.spec;

/** The CDC source (PostgreSQL through Debezium). */
public record SourceSpec(
    String connector, String database, String schema, String topicPrefix, String publication, String slot) {

  /** {@code <topic-prefix>.<schema>.<table>} */
  public String topic(String table) {
    return topicPrefix + "." + schema + "." + table;
  }
}
