package dev.lakehouse.bench;

import dev.lakehouse.bench.Report.FreshnessPhase;
import dev.lakehouse.bench.Report.IncrementalPoint;
import dev.lakehouse.bench.Report.Sample;
import dev.lakehouse.bench.Report.ThroughputStep;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.text.DecimalFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The PNG charts of a run (JFreeChart, headless). */
final class Charts {
  static final int WIDTH = 900;
  static final int HEIGHT = 500;

  private Charts() {}

  /** Writes every chart the report has data for; returns the files written. */
  static List<Path> write(Report r, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    XYSeriesCollection fresh = new XYSeriesCollection();
    // Stream.of, not List.of: a run with --only leaves phases null, which List.of rejects
    for (FreshnessPhase p : Stream.of(r.freshness(), r.seedFreshness()).filter(p -> p != null).toList()) {
      fresh.addSeries(series(p.name() + " (checkpoint " + p.checkpoint() + ", sensors " + p.sensor() + ")",
          p.samples()));
    }
    if (r.throughput() != null) {
      for (ThroughputStep s : r.throughput().steps()) {
        fresh.addSeries(series(String.format("under %,d changes/s", s.targetRate()), s.samples()));
      }
    }
    if (fresh.getSeriesCount() > 0) {
      JFreeChart c = ChartFactory.createXYLineChart("Freshness: PostgreSQL commit → row visible in data_vault.s_users",
          "seconds since the phase started (commit time)", "commit → visible (s)", fresh, PlotOrientation.VERTICAL,
          true, false, false);
      XYPlot plot = c.getXYPlot();
      plot.setRenderer(new XYLineAndShapeRenderer(true, true));
      marker(plot, ResultsWriter.FRESHNESS_P95_TARGET_S, "p95 target 20 s");
      files.add(save(c, dir.resolve("freshness-over-time.png")));
    }
    if (r.incremental() != null && !r.incremental().points().isEmpty()) {
      XYSeries s = new XYSeries("incremental run, " + r.incremental().newEvents() + " new events (all models)");
      XYSeries cpu = new XYSeries("Trino CPU time of that run");
      XYSeries init = new XYSeries("initial run of the history (all models)");
      for (IncrementalPoint p : r.incremental().points()) {
        s.add(p.history(), p.incrementalS());
        cpu.add(p.history(), p.trinoCpuS());
        init.add(p.history(), p.initialLoadS());
      }
      XYSeriesCollection data = new XYSeriesCollection(s);
      data.addSeries(cpu);
      data.addSeries(init);
      JFreeChart c = ChartFactory.createXYLineChart("Cost vs history size", "history (change events, log scale)",
          "seconds", data, PlotOrientation.VERTICAL, true, false, false);
      XYPlot plot = c.getXYPlot();
      LogAxis x = new LogAxis("history (change events, log scale)");
      x.setBase(10);
      x.setTickUnit(new NumberTickUnit(1.0)); // one tick per power of ten, labelled 10,000 / 100,000 / ...
      x.setNumberFormatOverride(new DecimalFormat("#,##0"));
      plot.setDomainAxis(x);
      plot.setRenderer(new XYLineAndShapeRenderer(true, true));
      files.add(save(c, dir.resolve("cost-vs-history.png")));
    }
    if (r.throughput() != null && !r.throughput().steps().isEmpty()) {
      XYSeries p95 = new XYSeries("freshness p95");
      XYSeries p50 = new XYSeries("freshness p50");
      for (ThroughputStep s : r.throughput().steps()) {
        p95.add(s.achievedRate(), cap(s.freshness().p95()));
        p50.add(s.achievedRate(), cap(s.freshness().p50()));
      }
      XYSeriesCollection data = new XYSeriesCollection(p50);
      data.addSeries(p95);
      JFreeChart c = ChartFactory.createXYLineChart("Freshness under load (60 s per step)",
          "achieved source changes/s", "commit → visible (s); never seen: plotted at 600 s", data,
          PlotOrientation.VERTICAL, true, false, false);
      XYPlot plot = c.getXYPlot();
      plot.setRenderer(new XYLineAndShapeRenderer(true, true));
      marker(plot, r.throughput().p95LimitS(), "p95 limit");
      files.add(save(c, dir.resolve("throughput.png")));
    }
    return files;
  }

  private static double cap(double v) {
    return Double.isFinite(v) ? v : 600;
  }

  /** Rows never seen within the wait are left out (the summary counts them); they would flatten the rest. */
  private static XYSeries series(String name, List<Sample> samples) {
    long unseen = samples.stream().filter(x -> !Double.isFinite(x.latencyS())).count();
    XYSeries s = new XYSeries(unseen == 0 ? name : name + " (" + unseen + " not seen in time, not plotted)", false);
    samples.stream().filter(x -> Double.isFinite(x.latencyS())).forEach(x -> s.add(x.atS(), x.latencyS()));
    return s;
  }

  private static void marker(XYPlot plot, double y, String label) {
    ValueMarker m = new ValueMarker(y, Color.RED, new BasicStroke(1.5f));
    m.setLabel(label);
    m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
    m.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
    plot.addRangeMarker(m);
  }

  private static Path save(JFreeChart c, Path file) throws IOException {
    c.setBackgroundPaint(Color.WHITE);
    XYPlot plot = c.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    ChartUtils.saveChartAsPNG(file.toFile(), c, WIDTH, HEIGHT);
    return file;
  }
}
