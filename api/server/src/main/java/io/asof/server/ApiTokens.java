package io.asof.server;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The API tokens the server accepts, each with a role, read from a file of lines {@code name role
 * token} ({@code #} starts a comment). A request names its token in {@code Authorization: Bearer
 * <token>}; tokens are compared in constant time.
 */
public final class ApiTokens {
  /** What a token may do; each role may do what the roles before it may. */
  public enum Role {
    /** Read: online features, training-set queries, builds, metrics. */
    READ,
    /** Write: start training-set builds (and push rows). */
    WRITE,
    /** Admin: everything. */
    ADMIN;

    /** Whether this role may do what {@code needed} allows. */
    public boolean allows(Role needed) {
      return compareTo(needed) >= 0;
    }
  }

  /** Who a token is and what it may do. */
  public record Token(String name, Role role) {
    public Token {
      requireNonNull(name, "name is null");
      requireNonNull(role, "role is null");
    }
  }

  private static final class Entry {
    final Token token;
    final byte[] secret;

    Entry(Token token, String secret) {
      this.token = token;
      this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }
  }

  /** The shortest token accepted: shorter ones are guessable. */
  static final int MIN_LENGTH = 16;

  private final List<Entry> tokens;

  private ApiTokens(List<Entry> tokens) {
    this.tokens = List.copyOf(tokens);
  }

  /** One token given directly (tests, embedding); {@link #and} adds more. */
  public static ApiTokens of(String name, Role role, String secret) {
    return new ApiTokens(List.of(new Entry(new Token(name, role), secret)));
  }

  /** These tokens and one more. */
  public ApiTokens and(String name, Role role, String secret) {
    List<Entry> all = new ArrayList<>(tokens);
    all.add(new Entry(new Token(name, role), secret));
    return new ApiTokens(all);
  }

  /**
   * Reads a tokens file.
   *
   * @throws IllegalArgumentException naming the file, line and column of the first problem
   */
  public static ApiTokens load(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Entry> tokens = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> secrets = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      String content = hash >= 0 ? line.substring(0, hash) : line;
      if (content.isBlank()) {
        continue;
      }
      String[] parts = content.strip().split("\\s+", -1);
      int column = line.indexOf(parts[0]) + 1;
      String where = "%s:%d:%d".formatted(file, i + 1, column);
      if (parts.length != 3) {
        throw new IllegalArgumentException(
            "%s: expected 'name role token' (3 fields), got %d; e.g. 'trainer read 3f9c…'"
                .formatted(where, parts.length));
      }
      Role role;
      try {
        role = Role.valueOf(parts[1].toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "%s:%d:%d: unknown role %s: read, write or admin"
                .formatted(file, i + 1, line.indexOf(parts[1], column) + 1, parts[1]),
            e);
      }
      if (parts[2].length() < MIN_LENGTH) {
        throw new IllegalArgumentException(
            "%s:%d:%d: token of %s is %d characters: use at least %d (e.g. openssl rand -hex 24)"
                .formatted(
                    file,
                    i + 1,
                    line.lastIndexOf(parts[2]) + 1,
                    parts[0],
                    parts[2].length(),
                    MIN_LENGTH));
      }
      if (!names.add(parts[0])) {
        throw new IllegalArgumentException(
            "%s: token name %s given twice".formatted(where, parts[0]));
      }
      if (!secrets.add(parts[2])) {
        throw new IllegalArgumentException(
            "%s: the token of %s is also another name's: give each its own"
                .formatted(where, parts[0]));
      }
      tokens.add(new Entry(new Token(parts[0], role), parts[2]));
    }
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException(
          "%s holds no tokens: add lines 'name role token' (roles: read, write, admin)"
              .formatted(file));
    }
    return new ApiTokens(tokens);
  }

  /** The token presented, if it is one of these. Every token is compared, in constant time. */
  public Optional<Token> find(String presented) {
    byte[] bytes = presented.getBytes(StandardCharsets.UTF_8);
    Token found = null;
    for (Entry entry : tokens) {
      if (MessageDigest.isEqual(entry.secret, bytes)) {
        found = entry.token;
      }
    }
    return Optional.ofNullable(found);
  }

  /** How many tokens there are. */
  public int size() {
    return tokens.size();
  }
}
