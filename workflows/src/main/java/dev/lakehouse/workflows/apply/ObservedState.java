package dev.lakehouse.workflows.apply;

import dev.lakehouse.spec.SpecStructure;
import java.util.List;
import java.util.Map;

/**
 * What runs, as the observe activities read it (for one desired structure):
 *
 * @param applied the structure the worker runs (its spec): a type change or a removal is judged against it
 * @param sourceTables each desired table as PostgreSQL has it
 * @param publication true when the publication exists
 * @param publicationTables tables in the publication (schema stripped)
 * @param connectorTables tables of the connector's {@code table.include.list} (schema stripped); null when there
 *     is no connector
 * @param ingestFingerprint the fingerprint in the name of the alive ingest job; null when none is alive, empty
 *     for a job named before fingerprints
 * @param desiredIngestFingerprint the fingerprint of the statement set generated from the desired spec
 * @param icebergColumns the column names of each existing table the apply may alter, by key
 *     ({@code raw_data.users}, {@code parsed_data.parsed_users}, {@code data_vault.s_users}); a missing key is a
 *     missing table
 * @param snapshotsPending tables whose snapshot a connector update asked for and no signal has requested yet (the
 *     update was written, the signal was not: an apply that failed in between); empty in histories from before
 */
public record ObservedState(
    SpecStructure applied,
    List<SourceTableState> sourceTables,
    boolean publication,
    List<String> publicationTables,
    List<String> connectorTables,
    String ingestFingerprint,
    String desiredIngestFingerprint,
    Map<String, List<String>> icebergColumns,
    List<String> snapshotsPending) {

  public ObservedState {
    sourceTables = List.copyOf(sourceTables);
    publicationTables = List.copyOf(publicationTables);
    connectorTables = connectorTables == null ? null : List.copyOf(connectorTables);
    icebergColumns = Map.copyOf(icebergColumns);
    snapshotsPending = snapshotsPending == null ? List.of() : List.copyOf(snapshotsPending);
  }
}
