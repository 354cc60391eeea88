package dev.lakehouse.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The suite's Markdown report: one row per scenario, rewritten after each one, printed at the end of a class. */
final class Report {
  /**
   * One scenario. {@code serviceBack}: seconds from the fault to the service healthy again (0 when nothing was
   * restarted); {@code recovered}: seconds from the fault until the lakehouse matched the oracle again.
   */
  record Row(String scenario, String fault, long events, long totalEvents, long transactions, long lost,
      long duplicated, long extra, long rejected, long redelivered, double serviceBack, double recovered,
      String note) {}

  private final Path file;
  private final long seed;
  private final boolean soak;
  private final Instant started = Instant.now();
  private final List<Row> rows = new ArrayList<>();

  Report(Path file, long seed, boolean soak) {
    this.file = file;
    this.seed = seed;
    this.soak = soak;
  }

  synchronized void add(Row row) {
    rows.add(row);
    write();
  }

  synchronized String markdown() {
    StringBuilder b = new StringBuilder("# Reliability report\n\n");
    b.append(String.format("Run started %s, %s mode, workload seed %d. Every scenario runs a workload on the `bank`"
        + " source, injects its fault, then waits until `parsed_data` and `data_vault` equal the oracle computed"
        + " from every change committed so far (see docs/reliability.md).%n%n", started, soak ? "soak" : "short", seed));
    b.append("| scenario | fault | events | total events | lost | duplicated | extra | rejected | re-delivered in raw |"
        + " service back (s) | recovered (s) | note |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Row r : rows) {
      b.append(String.format("| %s | %s | %d | %d | %d | %d | %d | %d | %d | %.1f | %.1f | %s |%n", r.scenario(),
          r.fault(), r.events(), r.totalEvents(), r.lost(), r.duplicated(), r.extra(), r.rejected(), r.redelivered(),
          r.serviceBack(), r.recovered(), r.note().replace("|", "/")));
    }
    long faults = rows.stream().filter(r -> !r.fault().equals("none")).count();
    b.append(String.format("%nTotals: %d events committed (%d transactions), %d faults injected, %d lost, %d duplicated,"
            + " %d extra, %d rejected; %d events re-delivered into raw by the faults, all dropped by the models.%n", rows.isEmpty() ? 0 : rows.get(rows.size() - 1).totalEvents(),
        rows.stream().mapToLong(Row::transactions).sum(), faults, rows.stream().mapToLong(Row::lost).sum(),
        rows.stream().mapToLong(Row::duplicated).sum(), rows.stream().mapToLong(Row::extra).sum(),
        rows.isEmpty() ? 0 : rows.get(rows.size() - 1).rejected(), rows.stream().mapToLong(Row::redelivered).sum()));
    return b.toString();
  }

  private void write() {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, markdown());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path file() {
    return file;
  }
}
