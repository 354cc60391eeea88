package dev.lakehouse.starter;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.lakehouse.spec.PipelineSpec;
import dev.lakehouse.spec.SpecLoader;
import dev.lakehouse.workflows.Automation;
import dev.lakehouse.workflows.BackfillRequest;
import dev.lakehouse.workflows.IncidentsInput;
import dev.lakehouse.workflows.IncidentsWorkflow;
import dev.lakehouse.workflows.IngestionSetupWorkflow;
import dev.lakehouse.workflows.Lakehouse;
import dev.lakehouse.workflows.MaterializeRequest;
import dev.lakehouse.workflows.MaterializerInput;
import dev.lakehouse.workflows.MaterializerWorkflow;
import dev.lakehouse.workflows.SensorInput;
import dev.lakehouse.workflows.RunSearchAttributes;
import dev.lakehouse.workflows.SensorWorkflow;
import dev.lakehouse.workflows.automation.AutomationPlan;
import dev.lakehouse.workflows.automation.ScheduledJob;
import dev.lakehouse.workflows.Trigger;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The {@code temporal workflow ...} lines of docs/cli.md ("The same with the `temporal` CLI") are true: workflow
 * types, IDs, signal and query names exist, and every {@code --input} decodes to exactly what the CLI sends for the
 * bundled spec.
 */
class CliDocTemporalLinesTest {
  static final PipelineSpec SPEC = SpecLoader.load();
  static final Pattern FLAG = Pattern.compile("--([a-z-]+)(?: '([^']*)'| ([^\\s']+))?");

  static final String SECTION = "\n### The same with the `temporal` CLI\n";

  record Line(String verb, Map<String, String> flags) {}

  /** Where the next Markdown heading of level 2 or 3 starts (bash comments in the block are "# ..."). */
  static int nextHeading(String doc, int from) {
    int h2 = doc.indexOf("\n## ", from);
    int h3 = doc.indexOf("\n### ", from);
    int next = h2 < 0 ? h3 : h3 < 0 ? h2 : Math.min(h2, h3);
    return next < 0 ? doc.length() : next;
  }

  static List<Line> lines() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "cli.md"));
    int from = doc.indexOf(SECTION);
    assertThat(from).as("docs/cli.md has the section " + SECTION).isNotNegative();
    doc = doc.substring(from, nextHeading(doc, from + SECTION.length()));
    List<Line> lines = new ArrayList<>();
    for (String logical : doc.replace("\\\n", " ").lines().toList()) {
      if (!logical.startsWith("temporal workflow ") && !logical.startsWith("temporal schedule ")) {
        continue;
      }
      String[] words = logical.split("\\s+", 4);
      Map<String, String> flags = new HashMap<>();
      Matcher m = FLAG.matcher(logical);
      while (m.find()) {
        flags.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
      }
      lines.add(new Line(words[1] + " " + words[2], flags));
    }
    return lines;
  }

  static <T> T decode(String json, Class<T> type) {
    Payload payload = Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8)).build();
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, type, type);
  }

  static boolean hasMethod(Class<?> iface, Class<? extends java.lang.annotation.Annotation> kind, String name) {
    return Arrays.stream(iface.getMethods()).filter(m -> m.isAnnotationPresent(kind)).map(Method::getName)
        .anyMatch(name::equals);
  }

  @Test
  void everyStartLineMatchesWhatAutomationStartSends() throws IOException {
    var s = SPEC.schedules();
    Map<String, Object> expected = new HashMap<>();
    expected.put(Lakehouse.MATERIALIZER_ID, Automation.materializerInput(SPEC));
    for (String table : List.of("raw_data.users", "raw_data.accounts")) {
      expected.put(Lakehouse.sensorId(table), new SensorInput(table, s.sensorInterval().toMillis(),
          s.sensorIterationsPerRun(), null, 0));
    }
    expected.put(Lakehouse.INCIDENTS_ID, IncidentsInput.initial());
    Map<String, Class<?>> types = Map.of("MaterializerWorkflow", MaterializerInput.class,
        "SensorWorkflow", SensorInput.class, "IngestionSetupWorkflow", Void.class,
        "IncidentsWorkflow", IncidentsInput.class);

    List<String> started = new ArrayList<>();
    for (Line line : lines()) {
      if (!line.verb().equals("workflow start")) {
        continue;
      }
      String id = line.flags().get("workflow-id");
      started.add(id);
      assertThat(line.flags()).containsEntry("task-queue", SPEC.endpoints().temporal().taskQueue());
      assertThat(types).as(id).containsKey(line.flags().get("type"));
      assertThat(line.flags()).as(id + ": schedules are Temporal Schedules, not cron workflows")
          .doesNotContainKey("cron");
      if (id.equals(Lakehouse.INGESTION_SETUP_ID)) {
        assertThat(line.flags()).doesNotContainKey("input");
        continue;
      }
      Object input = decode(line.flags().get("input"), types.get(line.flags().get("type")));
      assertThat(input).as(id).isEqualTo(expected.get(id));
    }
    assertThat(started).containsExactlyInAnyOrderElementsOf(StatusCommand.automationIds(
        dev.lakehouse.workflows.assets.AssetGraph.fromSpec(SPEC)));
    // the interfaces named above are the workflow types the worker registers
    assertThat(List.of(MaterializerWorkflow.class, SensorWorkflow.class, IngestionSetupWorkflow.class,
        IncidentsWorkflow.class))
        .extracting(Class::getSimpleName)
        .containsExactlyInAnyOrderElementsOf(types.keySet());
  }

  @Test
  void signalAndQueryLinesNameRealSignalsAndQueriesWithDecodableInputs() throws IOException {
    Map<String, Class<?>> byId = Map.of(Lakehouse.MATERIALIZER_ID, MaterializerWorkflow.class,
        Lakehouse.sensorId("raw_data.users"), SensorWorkflow.class, Lakehouse.INCIDENTS_ID, IncidentsWorkflow.class);
    List<String> signals = new ArrayList<>();
    for (Line line : lines()) {
      String id = line.flags().get("workflow-id");
      switch (line.verb()) {
        case "workflow signal" -> {
          String name = line.flags().get("name");
          signals.add(name);
          assertThat(hasMethod(byId.get(id), SignalMethod.class, name)).as(name).isTrue();
          if (name.equals("request")) {
            assertThat(decode(line.flags().get("input"), MaterializeRequest.class))
                .isEqualTo(new MaterializeRequest("data_vault.s_users", "temporal cli", Trigger.CLI));
          } else if (name.equals("setInterval")) {
            assertThat(decode(line.flags().get("input"), Long.class))
                .isEqualTo(SPEC.schedules().sensorInterval().toMillis());
          } else if (name.equals("backfill")) {
            assertThat(decode(line.flags().get("input"), BackfillRequest.class))
                .isEqualTo(new BackfillRequest("data_vault.s_users+", true, "temporal cli", Trigger.BACKFILL));
          } else {
            assertThat(line.flags()).doesNotContainKey("input");
          }
        }
        case "workflow query" -> assertThat(hasMethod(byId.get(id), QueryMethod.class, line.flags().get("type")))
            .as(line.flags().get("type")).isTrue();
        case "workflow start", "workflow describe" -> { }
        case "workflow list" -> assertThat(RunSearchAttributes.ALL).extracting(SearchAttributeKey::getName)
            .anyMatch(name -> line.flags().get("query").contains(name));
        default -> {
          if (!line.verb().startsWith("schedule ")) {
            throw new AssertionError("unexpected line: temporal " + line.verb());
          }
        }
      }
    }
    assertThat(signals).containsExactly("request", "backfill", "pause", "resume", "setInterval");
  }

  @Test
  void scheduleLinesNameTheSpecsSchedulesAndEveryVerbIsShown() throws IOException {
    List<String> ids = AutomationPlan.schedules(SPEC).stream().map(ScheduledJob::id).toList();
    List<String> verbs = new ArrayList<>();
    for (Line line : lines()) {
      if (!line.verb().startsWith("schedule ")) {
        continue;
      }
      verbs.add(line.verb());
      if (!line.verb().equals("schedule list")) {
        assertThat(ids).as(line.toString()).contains(line.flags().get("schedule-id"));
      }
      if (line.verb().equals("schedule toggle")) {
        assertThat(line.flags()).containsKey("reason");
        assertThat(line.flags().containsKey("pause") ^ line.flags().containsKey("unpause")).as(line.toString())
            .isTrue();
      }
      if (line.verb().equals("schedule backfill")) {
        assertThat(java.time.Instant.parse(line.flags().get("start-time")))
            .isBefore(java.time.Instant.parse(line.flags().get("end-time")));
      }
    }
    assertThat(verbs).contains("schedule list", "schedule describe", "schedule toggle", "schedule trigger",
        "schedule backfill");
  }
}
