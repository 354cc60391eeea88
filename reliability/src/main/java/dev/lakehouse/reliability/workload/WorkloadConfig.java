package dev.lakehouse.reliability.workload;

/**
 * The shape of one workload run: how many transactions, how many statements each (1..max), the share of
 * interleaved pairs (A writes, B writes and commits, then A commits: A's LSNs are smaller than B's but A commits
 * later), the rate, and bounds on the live rows (past them, the generator updates and deletes rather than inserts).
 */
public record WorkloadConfig(int transactions, int maxStatements, int interleavedPercent,
    double transactionsPerSecond, int maxUsers, int maxAccounts) {
  public WorkloadConfig {
    if (transactions < 0 || maxStatements < 1 || interleavedPercent < 0 || interleavedPercent > 100
        || transactionsPerSecond <= 0 || maxUsers < 1 || maxAccounts < 0) {
      throw new IllegalArgumentException("invalid workload: " + transactions + " transactions, 1.." + maxStatements
          + " statements, " + interleavedPercent + "% interleaved, " + transactionsPerSecond + " tx/s, users <= "
          + maxUsers + ", accounts <= " + maxAccounts);
    }
  }

  /** A short segment: 40 transactions of 1-4 statements, 20% interleaved, 8 per second. */
  public static WorkloadConfig small() {
    return new WorkloadConfig(40, 4, 20, 8, 40, 60);
  }

  public WorkloadConfig withTransactions(int n) {
    return new WorkloadConfig(n, maxStatements, interleavedPercent, transactionsPerSecond, maxUsers, maxAccounts);
  }

  public WorkloadConfig withRate(double perSecond) {
    return new WorkloadConfig(transactions, maxStatements, interleavedPercent, perSecond, maxUsers, maxAccounts);
  }
}
