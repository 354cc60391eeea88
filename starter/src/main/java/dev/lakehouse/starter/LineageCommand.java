package dev.lakehouse.starter;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "lineage", mixinStandardHelpOptions = true,
    description = "Print the asset graph as a Mermaid flowchart or a Graphviz dot digraph (no Temporal needed).")
final class LineageCommand implements Callable<Integer> {
  enum Format { mermaid, dot }

  @ParentCommand
  LakehouseCli root;

  @Option(names = "--format", defaultValue = "mermaid",
      description = "mermaid or dot (default ${DEFAULT-VALUE}).")
  Format format;

  @Override
  public Integer call() {
    var graph = root.graph();
    var out = root.commandSpec.commandLine().getOut();
    out.print(format == Format.dot ? graph.toDot() : graph.toMermaid());
    out.flush();
    return 0;
  }
}
