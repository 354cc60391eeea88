package dev.lakehouse.reliability.workload;

import java.util.List;
import java.util.Random;
import java.util.UUID;

/** The column values the {@link BankWorkload} writes, drawn from its seeded random source (shared, in call order). */
final class BankValues {
  private static final String[] NAMES = {"Ada", "Brian", "Chen", "Dana", "Émile", "Farah", "Goran", " Hugo ", "Ines"};
  /** The currencies the shipped marts accept (transform/marts/schema.yml: accepted_values, error severity). */
  private static final String[] CURRENCIES = {"EUR", "USD"};
  private static final String[] KINDS = {"deposit", "withdrawal", "fee", "transfer"};

  private final Random rnd;

  BankValues(Random rnd) {
    this.rnd = rnd;
  }

  String uuid() {
    return new UUID(rnd.nextLong(), rnd.nextLong()).toString();
  }

  String name() {
    return pick(NAMES);
  }

  String currency() {
    return pick(CURRENCIES);
  }

  String kind() {
    return pick(KINDS);
  }

  String phone() {
    return String.format("+41 %02d %03d %02d %02d", rnd.nextInt(100), rnd.nextInt(1000), rnd.nextInt(100),
        rnd.nextInt(100));
  }

  String balance() {
    long cents = rnd.nextInt(10) == 0 ? 0 : (long) rnd.nextInt(5_000_000);
    return String.format("%d.%02d", cents / 100, cents % 100);
  }

  <T> T pick(List<T> values) {
    return values.get(rnd.nextInt(values.size()));
  }

  private String pick(String[] values) {
    return values[rnd.nextInt(values.length)];
  }
}
