package dev.lakehouse.workflows.assets;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What an asset is; {@link #label()} is the name used in selections ({@code kind:model}). */
public enum AssetKind {
  CONNECTOR,
  TOPIC,
  STREAM_JOB,
  RAW_TABLE,
  MODEL;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<AssetKind> fromLabel(String label) {
    return Arrays.stream(values()).filter(k -> k.label().equals(label)).findFirst();
  }
}
