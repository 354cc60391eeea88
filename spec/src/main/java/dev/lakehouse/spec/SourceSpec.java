package dev.lakehouse.spec;

/**
 * The CDC source (PostgreSQL through Debezium). The database it captures is the one the endpoints name
 * ({@code lakehouse.endpoints.postgres.database}, {@link PipelineSpec#sourceDatabase()}).
 */
public record SourceSpec(String connector, String schema, String topicPrefix, String publication, String slot) {

  /** {@code <topic-prefix>.<schema>.<table>} */
  public String topic(String table) {
    return topicPrefix + "." + schema + "." + table;
  }
}
