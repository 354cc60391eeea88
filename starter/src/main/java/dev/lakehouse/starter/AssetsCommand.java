package dev.lakehouse.starter;

import dev.lakehouse.workflows.Lakehouse;

import dev.lakehouse.workflows.AssetMaterialization;
import dev.lakehouse.workflows.MaterializerStatus;
import dev.lakehouse.workflows.assets.Asset;
import dev.lakehouse.workflows.assets.AssetKind;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "assets", mixinStandardHelpOptions = true,
    description = {"List every asset: key, kind, upstream keys, last materialization.",
        "The last materialization of a model is what the coordinator recorded (query 'status' of workflow",
        "'materializer'); 'never' when there is none or the coordinator is not running. The other assets",
        "(connector, topics, Flink job, raw tables) are kept current by ingestion."})
final class AssetsCommand extends TemporalCommand {

  @Override
  int call(TemporalSession session) {
    Inspect.Answer<MaterializerStatus> status = Inspect.materializerStatus(session);
    Map<String, AssetMaterialization> last = new HashMap<>();
    if (status.value() != null) {
      status.value().materializations().forEach(m -> last.put(m.assetKey(), m));
    }
    List<Asset> assets = root().graph().assets();
    int keyWidth = Math.max(3, assets.stream().mapToInt(a -> a.key().length()).max().orElse(3));
    int upWidth = Math.max(8, assets.stream().mapToInt(a -> upstream(a).length()).max().orElse(8));
    String format = "%-" + keyWidth + "s  %-10s  %-" + upWidth + "s  %s%n";
    PrintWriter out = out();
    out.printf(format, "KEY", "KIND", "UPSTREAM", "LAST MATERIALIZATION");
    for (Asset a : assets) {
      out.printf(format, a.key(), a.kind().label(), upstream(a), lastMaterialization(a, last));
    }
    List<dev.lakehouse.spec.UserModelSpec> users = root().spec().userModels();
    if (!users.isEmpty()) {
      out.println();
      out.println("user models (" + users.size() + "):");
      for (var m : users) {
        out.println("  " + m.key() + "  " + m.materialized().label()
            + m.cron().map(c -> " (schedule " + Lakehouse.modelScheduleId(m.key()) + ", cron " + c + ")").orElse("")
            + "  " + m.file() + m.problem().map(p -> "  BROKEN: " + p).orElse(m.description().isEmpty() ? "" : "  " + m.description()));
      }
    }
    if (status.problem() != null) {
      out.println();
      out.println("note: " + status.problem());
    }
    return 0;
  }

  private static String upstream(Asset a) {
    return a.upstream().isEmpty() ? "-" : String.join(",", a.upstream());
  }

  private static String lastMaterialization(Asset a, Map<String, AssetMaterialization> last) {
    if (a.kind() != AssetKind.MODEL) {
      return "- (ingestion)";
    }
    AssetMaterialization m = last.get(a.key());
    if (m == null) {
      return "never";
    }
    return Instant.ofEpochMilli(m.atMillis()).truncatedTo(ChronoUnit.SECONDS) + " "
        + (m.fullRefresh() ? "full refresh" : "incremental") + ", " + m.rowsOut() + " rows (" + m.runWorkflowId()
        + ")";
  }
}
