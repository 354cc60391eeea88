package dev.lakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.stack.junit.LakehouseStackExtension;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exposure: every socket a stack process listens on is bound to the loopback address, never to all
 * interfaces. Reads the kernel's socket tables (/proc/net/tcp, tcp6) and maps listening sockets to the
 * stack's processes (and their children) through /proc/&lt;pid&gt;/fd.
 */
@ExtendWith(LakehouseStackExtension.class)
class ExposureIT {
  private static final int TCP_LISTEN = 0x0A;

  /** A listening socket: local address as the kernel prints it, decoded, and its port. */
  record Listener(String address, int port, long pid, String service) {}

  @Test
  void everyListeningSocketOfEveryServiceIsBoundToLoopback() throws IOException {
    Stack stack = LakehouseStackExtension.stack();
    Map<Long, String> inodeOwner = new HashMap<>();
    Map<Long, Long> inodePid = new HashMap<>();
    Set<String> servicesWithPids = new HashSet<>();
    for (Stack.ServiceStatus s : stack.status()) {
      for (long pid : s.pids()) {
        if (pid <= 0) {
          continue;
        }
        servicesWithPids.add(s.service());
        List<Long> tree = new ArrayList<>(List.of(pid));
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> tree.add(d.pid())));
        for (long p : tree) {
          for (long inode : socketInodes(p)) {
            inodeOwner.put(inode, s.service());
            inodePid.put(inode, p);
          }
        }
      }
    }
    assertThat(servicesWithPids).as("services running").hasSizeGreaterThanOrEqualTo(stack.services().size());

    List<Listener> listeners = new ArrayList<>();
    listeners.addAll(listeners(Path.of("/proc/net/tcp"), false, inodeOwner, inodePid));
    listeners.addAll(listeners(Path.of("/proc/net/tcp6"), true, inodeOwner, inodePid));

    assertThat(listeners).as("listening sockets of the stack's processes").isNotEmpty();
    assertThat(listeners.stream().map(Listener::service).distinct())
        .as("every service has a listening socket").hasSize(servicesWithPids.size());
    System.out.println("[exposure] " + listeners.size() + " listening sockets of " + servicesWithPids.size()
        + " services, all checked");
    assertThat(listeners).allSatisfy(l -> assertThat(l.address())
        .as("%s (pid %d) listens on %s:%d", l.service(), l.pid(), l.address(), l.port())
        .isIn("127.0.0.1", "::1", "::ffff:127.0.0.1"));
  }

  private static List<Long> socketInodes(long pid) {
    List<Long> inodes = new ArrayList<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
          }
        } catch (IOException | RuntimeException closedMeanwhile) {
          // the fd went away while we listed it
        }
      }
    } catch (IOException gone) {
      // the process exited
    }
    return inodes;
  }

  private static List<Listener> listeners(Path table, boolean v6, Map<Long, String> owner, Map<Long, Long> pids)
      throws IOException {
    List<Listener> out = new ArrayList<>();
    if (!Files.exists(table)) {
      return out;
    }
    List<String> lines = Files.readAllLines(table);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.trim().split("\\s+");
      int state = Integer.parseInt(f[3], 16);
      long inode = Long.parseLong(f[9]);
      if (state != TCP_LISTEN || !owner.containsKey(inode)) {
        continue;
      }
      String[] local = f[1].split(":");
      out.add(new Listener(v6 ? ipv6(local[0]) : ipv4(local[0]), Integer.parseInt(local[1], 16),
          pids.get(inode), owner.get(inode)));
    }
    return out;
  }

  /** /proc/net/tcp prints the address as little-endian hex: 0100007F is 127.0.0.1. */
  static String ipv4(String hex) {
    long v = Long.parseLong(hex, 16);
    return (v & 0xFF) + "." + ((v >> 8) & 0xFF) + "." + ((v >> 16) & 0xFF) + "." + ((v >> 24) & 0xFF);
  }

  /** Four little-endian 32-bit words; only the forms we accept are named, the rest stay hex. */
  static String ipv6(String hex) {
    if (hex.equals("00000000000000000000000001000000")) {
      return "::1";
    }
    if (hex.startsWith("0000000000000000FFFF0000")) {
      return "::ffff:" + ipv4(hex.substring(24));
    }
    if (hex.equals("00000000000000000000000000000000")) {
      return "::";
    }
    return hex;
  }
}
