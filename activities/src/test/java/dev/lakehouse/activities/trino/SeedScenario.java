package dev.lakehouse.activities.trino;

import static dev.lakehouse.activities.trino.RawEvent.image;
import static dev.lakehouse.activities.trino.RawEvent.row;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed scenario (stack/src/main/resources/sql/seed-scenario.sql) as the Debezium events it produces, and the
 * Data Vault it must give, written out value by value (hashes computed independently with Python's hashlib).
 * Bruce: insert then rename (2 s_users rows); Clark's account 2500.00 then 3000.00 (2 s_accounts rows);
 * test@test.com inserted then deleted (1 hub row, 2 s_users rows, the last is_deleted).
 */
final class SeedScenario {
  static final String BRUCE = "1b214475-9054-4f45-91f4-d111422a7b16";
  static final String CLARK = "dbddcfe3-a590-4358-958f-e8ed882df158";
  static final String TEST = "5f0c9e1a-7b3d-4c2e-9a41-0e6d2b8c7f13";
  static final String ACCOUNT_BRUCE = "7c1e2a4b-3d5f-4e6a-8b9c-0d1e2f3a4b5c";
  static final String ACCOUNT_CLARK = "9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4";
  /** 2026-11-24 as Debezium sends a DATE: days since 1970-01-01 */
  static final int CREATED = 20781;
  static final String DAY = "2026-11-24";
  static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  private SeedScenario() {}

  /** Statement n of the scenario committed at T0 + n s, LSN 24000000 + 100 n, txId 749 + n, landed 1 s later. */
  static RawEvent event(String table, long offset, int n, String op, Map<String, Object> image) {
    return event(table, 0, offset, n, op, image);
  }

  /** {@link #event} in Kafka partition {@code partition}. */
  static RawEvent event(String table, int partition, long offset, int n, String op, Map<String, Object> image) {
    Instant ts = T0.plusSeconds(n);
    return new RawEvent(table, partition, offset, op, image(image), 24_000_000L + 100L * n, 749L + n,
        ts.toEpochMilli(), ts.plusSeconds(1));
  }

  static List<RawEvent> events() {
    return List.of(
        event("users", 0, 1, "c", row("id", BRUCE, "email", "bruce@wayne.com", "name", "Bruce W", "created_at", CREATED)),
        event("accounts", 0, 2, "c", row("id", ACCOUNT_BRUCE, "user_id", BRUCE, "currency", "EUR", "balance", "1001.25",
            "created_at", CREATED)),
        event("users", 1, 3, "c", row("id", CLARK, "email", "clark@kent.com", "name", "Clark Kent", "created_at", CREATED)),
        event("accounts", 1, 4, "c", row("id", ACCOUNT_CLARK, "user_id", CLARK, "currency", "EUR", "balance", "2500.00",
            "created_at", CREATED)),
        event("accounts", 2, 5, "u", row("id", ACCOUNT_CLARK, "user_id", CLARK, "currency", "EUR", "balance", "3000.00",
            "created_at", CREATED)),
        event("users", 2, 6, "u", row("id", BRUCE, "email", "bruce@wayne.com", "name", "Bruce Wayne", "created_at", CREATED)),
        event("users", 3, 7, "c", row("id", TEST, "email", "test@test.com", "name", "test", "created_at", CREATED)),
        // a delete carries the before-image (REPLICA IDENTITY FULL)
        event("users", 4, 8, "d", row("id", TEST, "email", "test@test.com", "name", "test", "created_at", CREATED)));
  }

  static String lsn(int n) {
    return String.valueOf(24_000_000L + 100L * n);
  }

  /** Microseconds since the epoch of T0 + n s (commit time), or of the landing time with {@code landed}. */
  static String at(int n, boolean landed) {
    return Oracle.micros(T0.plusSeconds(n + (landed ? 1 : 0)));
  }

  static List<String> r(String... values) {
    return Arrays.asList(values);
  }

  static final String H_BRUCE = "4c04bc496b1b07eac630cbd5161a16b0";
  static final String H_CLARK = "56a4c35b9758e63168f10832bf71f829";
  static final String H_TEST = "eb9f3da41be9f00fa443f56338d8c21c";
  static final String H_ACCOUNT_BRUCE = "775938724613cb95e9afb8523b264405";
  static final String H_ACCOUNT_CLARK = "b7c1763fad90319c38385ca89b105d96";
  static final String USERS = "bank.public.users";
  static final String ACCOUNTS = "bank.public.accounts";

  /** The expected Data Vault, every column of every row (timestamps in microseconds since the epoch). */
  static Map<String, List<List<String>>> expectedVault() {
    Map<String, List<List<String>>> m = new LinkedHashMap<>();
    m.put("data_vault.h_users", List.of(
        r(H_BRUCE, BRUCE, at(1, true), USERS),
        r(H_CLARK, CLARK, at(3, true), USERS),
        r(H_TEST, TEST, at(7, true), USERS)));
    m.put("data_vault.h_accounts", List.of(
        r(H_ACCOUNT_BRUCE, ACCOUNT_BRUCE, at(2, true), ACCOUNTS),
        r(H_ACCOUNT_CLARK, ACCOUNT_CLARK, at(4, true), ACCOUNTS)));
    m.put("data_vault.l_users_accounts", List.of(
        r("3f42efce682a83ab536f116f1d5ff8f9", H_BRUCE, H_ACCOUNT_BRUCE, at(2, true), ACCOUNTS),
        r("0036752497a76786c376a743346c67c5", H_CLARK, H_ACCOUNT_CLARK, at(4, true), ACCOUNTS)));
    m.put("data_vault.s_users", List.of(
        r(H_BRUCE, "99ca7e595a0b19b11880a8d6725014cc", "bruce@wayne.com", "Bruce W", DAY, "false", at(1, false), lsn(1),
            at(1, true), USERS),
        r(H_BRUCE, "b894dfcfcef258c89f13612453df3585", "bruce@wayne.com", "Bruce Wayne", DAY, "false", at(6, false), lsn(6),
            at(6, true), USERS),
        r(H_CLARK, "efd7784be20c64e1d017b593468fa584", "clark@kent.com", "Clark Kent", DAY, "false", at(3, false), lsn(3),
            at(3, true), USERS),
        r(H_TEST, "4d2f2650af160967e4a1b4744a10c707", "test@test.com", "test", DAY, "false", at(7, false), lsn(7),
            at(7, true), USERS),
        r(H_TEST, "dcd6fd2fc65951bed1a1372fd33ac32b", "test@test.com", "test", DAY, "true", at(8, false), lsn(8),
            at(8, true), USERS)));
    m.put("data_vault.s_accounts", List.of(
        r(H_ACCOUNT_BRUCE, "cf4e82bdb16694580130eae4a7d3212b", "EUR", "1001.25", DAY, "false", at(2, false), lsn(2),
            at(2, true), ACCOUNTS),
        r(H_ACCOUNT_CLARK, "eb27360d6073b341b1cf8b077f0f14ef", "EUR", "2500.00", DAY, "false", at(4, false), lsn(4),
            at(4, true), ACCOUNTS),
        r(H_ACCOUNT_CLARK, "c3854f96365cd2976ae3ad3a3db20711", "EUR", "3000.00", DAY, "false", at(5, false), lsn(5),
            at(5, true), ACCOUNTS)));
    return m;
  }
}
