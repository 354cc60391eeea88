package dev.lakehouse.workflows;

import dev.lakehouse.workflows.activities.ConnectorStatus;
import dev.lakehouse.workflows.activities.FlinkJobStatus;
import java.util.List;

/** What ingestion setup created or found. */
public record SetupReport(List<String> namespaces, List<String> rawTables, ConnectorStatus connector,
    FlinkJobStatus flinkJob) {}
