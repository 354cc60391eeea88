package dev.lakehouse.activities.trino;

import static dev.lakehouse.activities.trino.RawEvent.row;
import static dev.lakehouse.activities.trino.SeedScenarioIT.assertSameTables;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.models.RecreatedTopicSql;
import dev.lakehouse.models.Sql;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.workflows.activities.MaterializeResult;
import dev.lakehouse.workflows.activities.ModelWatermark;
import dev.lakehouse.workflows.activities.PartitionWatch;
import dev.lakehouse.workflows.activities.SlotLag;
import dev.lakehouse.workflows.assets.AssetGraph;
import dev.lakehouse.workflows.health.SilentLoss;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A CDC topic deleted and recreated, on real Trino with the real models (docs/silent-loss.md#a-recreated-topic): the
 * new topic's rows land in the raw table at the old topic's coordinates, below the models' watermarks, and the models
 * skip them; the health check's reading of the watermarks ({@link FreshnessActivitiesImpl#watermarks}) shows it; the
 * documented recovery (the old topic's rows moved aside, the table's models fully refreshed) gives the tables the
 * oracle computes from every change of both topics, and the models then go on reading the new topic incrementally.
 * The raw rows are inserted as the ingest job writes them (the Kafka side is {@code SilentLossIT}'s).
 */
class RecreatedTopicIT {
  private static final String PARSED_USERS = "parsed_data.parsed_users";

  @Test
  void theOldTopicsRowsMovedAsideAndAFullRefreshReadEveryChangeOfBothTopics() throws Exception {
    PipelineSpec spec = ItStack.spec();
    Harness h = new Harness(spec);
    h.reset();
    String raw = Sql.table(PipelineSpec.RAW_SCHEMA, "users");
    String topic = spec.source().topic("users");

    // the old topic: the seed's changes, users at offsets 0 to 4 of partition 0, read by every model
    List<RawEvent> old = SeedScenario.events();
    h.insert(old);
    h.runAll(false);

    // the topic deleted and recreated: its first changes land at offsets 0 and 1 again, ingested later
    Instant recreated = SeedScenario.T0.plusSeconds(600);
    List<RawEvent> fresh = new ArrayList<>(List.of(
        newTopic(0, 20, "c", row("id", DIANA, "email", "diana@themyscira.org", "name", "Diana", "created_at",
            SeedScenario.CREATED), recreated),
        newTopic(1, 21, "u", row("id", SeedScenario.BRUCE, "email", "bruce@wayne.com", "name", "Batman",
            "created_at", SeedScenario.CREATED), recreated.plusSeconds(1))));
    h.insert(fresh);
    List<MaterializeResult> skipped = h.runAll(false);
    assertThat(skipped).filteredOn(r -> r.assetKey().equals(PARSED_USERS)).singleElement()
        .satisfies(r -> assertThat(r.rowsIn()).as("below the watermark: skipped").isZero());
    assertThat(h.read(PARSED_USERS)).hasSize(5);

    // silent: the freshness read sees nothing pending (the skipped rows are below the watermark)
    FreshnessActivitiesImpl freshness = new FreshnessActivitiesImpl(spec);
    assertThat(freshness.modelLags()).filteredOn(m -> m.asset().equals(PARSED_USERS)).singleElement()
        .satisfies(m -> assertThat(m.pendingRows()).isZero());

    // what the health check reads: the models' watermark above the recreated topic's end offset (2)
    List<ModelWatermark> watermarks = freshness.watermarks();
    assertThat(watermarks).contains(new ModelWatermark(PARSED_USERS, topic, 0, 4),
        new ModelWatermark("data_vault.s_users", topic, 0, 4));
    PartitionWatch kafka = new PartitionWatch(topic, 0, "new-id", 0, 2, null, 2, 0L, null, 0);
    assertThat(SilentLoss.judge(List.of(kafka), List.of(), new SlotLag("bank_slot", true, 0, true, "reserved"),
        watermarks)).singleElement().extracting(SilentLoss.Problem::message).asString()
        .contains("has read " + topic + "-0 up to offset 4, it now ends at 2");

    // the recovery: where the new topic starts, the old topic's rows moved aside, the table's models fully refreshed
    Instant from;
    try (Connection c = h.trino.open(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(RecreatedTopicSql.newTopicStartQuery(raw))) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isZero();
      assertThat(rs.getLong(2)).as("the old and the new topic's offset 0").isEqualTo(2);
      from = rs.getTimestamp(3).toInstant();
      assertThat(rs.next()).isFalse();
      assertThat(from).isEqualTo(recreated);
      st.execute(RecreatedTopicSql.moveOldTopicAside(raw, 0, from));
    }
    List<String> selection = AssetGraph.fromSpec(spec).select(PARSED_USERS + "+");
    for (String model : h.models()) {
      if (selection.contains(model)) {
        h.runner.materialize(model, "it-recovery", true);
      }
    }
    List<RawEvent> all = new ArrayList<>();
    old.forEach(e -> all.add(e.table().equals("users") ? movedAside(e) : e));
    all.addAll(fresh);
    assertSameTables(h.readAll(), h.oracle.tables(all));

    // the new topic goes on below the old offsets: read incrementally, no more skips
    RawEvent next = newTopic(2, 22, "u", row("id", DIANA, "email", "diana@themyscira.org", "name", "Diana Prince",
        "created_at", SeedScenario.CREATED), recreated.plusSeconds(60));
    h.insert(List.of(next));
    assertThat(h.runAll(false)).filteredOn(r -> r.assetKey().equals(PARSED_USERS)).singleElement()
        .satisfies(r -> assertThat(r.rowsOut()).isEqualTo(1));
    all.add(next);
    assertSameTables(h.readAll(), h.oracle.tables(all));
    assertThat(new FreshnessActivitiesImpl(spec).watermarks()).contains(new ModelWatermark(PARSED_USERS, topic, 0, 2),
        new ModelWatermark(PARSED_USERS, topic, -1, 4));
  }

  private static final String DIANA = "0b7e4f3c-2d1a-4c5b-8e9f-6a7b8c9d0e1f";

  /** A change of the recreated topic: partition 0, statement n of the seed's clock, ingested at {@code at}. */
  private static RawEvent newTopic(long offset, int n, String op, java.util.Map<String, Object> image, Instant at) {
    RawEvent e = SeedScenario.event("users", offset, n, op, image);
    return new RawEvent(e.table(), 0, offset, op, e.data(), e.lsn(), e.txId(), e.tsMs(), at);
  }

  private static RawEvent movedAside(RawEvent e) {
    return new RawEvent(e.table(), -1 - e.partition(), e.offset(), e.op(), e.data(), e.lsn(), e.txId(), e.tsMs(),
        e.ingestedAt());
  }
}
