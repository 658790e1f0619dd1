package io.asof.registry;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Who holds a lease: a process (its host and pid), what it is doing, and a random id that tells two
 * holds by one process apart.
 *
 * @param scope where {@code pid} means one process: this boot of this machine's kernel and its pid
 *     namespace (two containers on one host may share a host name and pids); empty when unknown,
 *     and then nothing but the lease's expiry tells that its holder is gone
 */
public record LeaseHolder(String id, String host, long pid, String command, String scope) {
  public LeaseHolder {
    requireNonNull(id, "id is null");
    requireNonNull(host, "host is null");
    requireNonNull(command, "command is null");
    requireNonNull(scope, "scope is null");
    if (id.isBlank() || id.length() > 64) {
      throw new IllegalArgumentException("a lease holder's id is 1 to 64 characters, got: " + id);
    }
    if (pid < 0) {
      throw new IllegalArgumentException("a pid is not negative, got: " + pid);
    }
  }

  /** This process, doing {@code command}, with a fresh random id. */
  public static LeaseHolder thisProcess(String command) {
    return new LeaseHolder(
        UUID.randomUUID().toString().replace("-", ""),
        hostName(),
        ProcessHandle.current().pid(),
        command,
        processScope());
  }

  /**
   * Whether this holder is a process of this machine (same scope) that has ended: then its lease
   * protects nothing, and need not be waited out.
   */
  boolean endedOnThisMachine() {
    return !scope.isEmpty()
        && scope.equals(processScope())
        && pid != ProcessHandle.current().pid()
        && ProcessHandle.of(pid).map(process -> !process.isAlive()).orElse(true);
  }

  /** {@code `backfill readings@1` (pid 4711 on host-a)}. */
  public String describe() {
    return "`%s` (pid %d on %s)".formatted(command, pid, host);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String fromEnvironment = System.getenv("HOSTNAME");
      return fromEnvironment == null ? "unknown host" : fromEnvironment;
    }
  }

  /** The kernel's boot id and this process's pid namespace; empty off Linux. */
  private static String processScope() {
    try {
      String boot =
          Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII)
              .strip();
      String namespace = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
      return boot + "/" + namespace;
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return "";
    }
  }
}
