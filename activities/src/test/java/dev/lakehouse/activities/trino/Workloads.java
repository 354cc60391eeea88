package dev.lakehouse.activities.trino;

import static dev.lakehouse.activities.trino.RawEvent.image;
import static dev.lakehouse.activities.trino.RawEvent.row;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Random change streams shaped like Debezium's for the spec's users/accounts: inserts, updates (some that change
 * nothing the satellite carries), deletes, re-inserts, re-delivered events at new offsets, unparsable rows, two
 * Kafka partitions keyed by id, and LSNs that are not in commit order across keys (a transaction that wrote early
 * and committed late) but increase within a key.
 */
final class Workloads {
  private static final String[] NAMES = {"Ann", "Bob", "Cy", " Ann "};
  private static final String[] EMAILS = {"a@x.io", "b@x.io", "A@X.IO"};
  private static final String[] BALANCES = {"10.00", "20.50", "20.5", "99.99", "0.01"};

  private Workloads() {}

  static List<RawEvent> generate(long seed, int count) {
    Random rnd = new Random(seed);
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      users.add(new UUID(rnd.nextLong(), rnd.nextLong()).toString());
    }
    List<String> accounts = new ArrayList<>();
    Map<String, String> owner = new HashMap<>();
    for (int i = 0; i < 4; i++) {
      String a = new UUID(rnd.nextLong(), rnd.nextLong()).toString();
      accounts.add(a);
      owner.put(a, users.get(rnd.nextInt(users.size())));
    }
    Map<String, Map<String, Object>> live = new HashMap<>(); // key -> current image
    Map<String, Long> lastLsn = new HashMap<>();
    Map<String, Long> nextOffset = new HashMap<>();
    List<RawEvent> out = new ArrayList<>();
    Instant t0 = Instant.parse("2026-11-24T12:00:00Z");
    for (int i = 0; i < count; i++) {
      Instant ts = t0.plusSeconds(i);
      Instant landed = ts.plusMillis(250);
      int roll = rnd.nextInt(100);
      if (roll < 8 && !out.isEmpty()) { // re-delivery of an earlier event: same partition, new offset
        RawEvent old = out.get(rnd.nextInt(out.size()));
        out.add(old.redelivered(offset(nextOffset, old.table(), old.partition()), landed));
        continue;
      }
      boolean user = rnd.nextBoolean();
      String table = user ? "users" : "accounts";
      String id = user ? users.get(rnd.nextInt(users.size())) : accounts.get(rnd.nextInt(accounts.size()));
      int partition = Math.floorMod(id.hashCode(), 2);
      String key = table + "/" + id;
      // within a key LSNs follow commit order; across keys a late committer may carry a smaller LSN
      long lsn = Math.max(50_000_000L + 100L * i - rnd.nextInt(250), lastLsn.getOrDefault(key, 0L) + 1);
      if (roll < 13) { // unparsable
        String[] bad = {"{\"id\": \"" + id, image(row("name", "no key")),
            image(row("id", id, "user_id", owner.get(id), "balance", "12,5"))};
        String data = bad[rnd.nextInt(user ? 2 : 3)];
        out.add(new RawEvent(table, partition, offset(nextOffset, table, partition), "u", data, lsn, 9_000L + i,
            ts.toEpochMilli(), landed));
        continue;
      }
      Map<String, Object> current = live.get(key);
      String op;
      Map<String, Object> image;
      if (current == null) {
        op = "c";
        image = user
            ? row("id", id, "email", pick(rnd, EMAILS), "name", pick(rnd, NAMES), "created_at", 20_000 + rnd.nextInt(3))
            : row("id", id, "user_id", owner.get(id), "currency", rnd.nextBoolean() ? "EUR" : "USD", "balance",
                pick(rnd, BALANCES), "created_at", 20_000 + rnd.nextInt(3));
        live.put(key, image);
      } else if (rnd.nextInt(100) < 20) {
        op = "d";
        image = current; // the before-image
        live.remove(key);
      } else {
        op = "u";
        image = new java.util.LinkedHashMap<>(current);
        if (user) {
          image.put(rnd.nextBoolean() ? "name" : "email", rnd.nextBoolean() ? pick(rnd, NAMES) : pick(rnd, EMAILS));
        } else {
          image.put("balance", pick(rnd, BALANCES));
        }
        live.put(key, image);
      }
      lastLsn.put(key, lsn);
      out.add(new RawEvent(table, partition, offset(nextOffset, table, partition), op, image(image), lsn, 9_000L + i,
          ts.toEpochMilli(), landed));
    }
    return out;
  }

  private static long offset(Map<String, Long> next, String table, int partition) {
    return next.merge(table + "/" + partition, 1L, Long::sum) - 1;
  }

  private static String pick(Random rnd, String[] values) {
    return values[rnd.nextInt(values.length)];
  }
}
