package io.asof.server;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The API tokens the server accepts, each with one or more roles, read from a file of lines {@code
 * name role[,role...] token} ({@code #} starts a comment). A request names its token in {@code
 * Authorization: Bearer <token>}; tokens are compared in constant time.
 */
public final class ApiTokens {
  /** What a token may be given: each role is a set of {@link Permission}s. */
  public enum Role {
    /** Online features only: what a model server needs. */
    ONLINE(EnumSet.of(Permission.ONLINE)),
    /** Online features, the catalog, drift, the list of builds, metrics; no ad-hoc SQL. */
    READ(EnumSet.of(Permission.ONLINE, Permission.READ)),
    /** What {@link #READ} allows, and ad-hoc queries over the warehouse. */
    QUERY(EnumSet.of(Permission.ONLINE, Permission.READ, Permission.QUERY)),
    /** What {@link #READ} allows, and training-set builds. */
    BUILD(EnumSet.of(Permission.ONLINE, Permission.READ, Permission.BUILD)),
    /** Pushing rows only: what an ingestion job needs. */
    PUSH(EnumSet.of(Permission.PUSH)),
    /**
     * Deprecated: what {@link #READ} allows, builds and pushes; give {@code build,push} instead.
     */
    WRITE(EnumSet.of(Permission.ONLINE, Permission.READ, Permission.BUILD, Permission.PUSH)),
    /** Everything. */
    ADMIN(EnumSet.allOf(Permission.class));

    @SuppressWarnings("ImmutableEnumChecker") // unmodifiable: the constructor wraps it
    private final Set<Permission> permissions;

    Role(Set<Permission> permissions) {
      this.permissions = Collections.unmodifiableSet(permissions);
    }

    /** What this role allows. */
    public Set<Permission> permissions() {
      return permissions;
    }

    /** Whether this role may do what {@code needed} allows. */
    public boolean allows(Permission needed) {
      return permissions.contains(needed);
    }

    /** The name in a tokens file: lower case. */
    public String fileName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Who a token is and what it may do: the union of its roles' permissions. */
  public record Token(String name, Set<Role> roles) {
    public Token {
      requireNonNull(name, "name is null");
      requireNonNull(roles, "roles is null");
      if (roles.isEmpty()) {
        throw new IllegalArgumentException("token " + name + " has no role");
      }
      roles = Collections.unmodifiableSet(EnumSet.copyOf(roles));
    }

    /** A token with one role. */
    public Token(String name, Role role) {
      this(name, EnumSet.of(role));
    }

    /** Whether one of its roles allows {@code needed}. */
    public boolean allows(Permission needed) {
      return roles.stream().anyMatch(role -> role.allows(needed));
    }

    /** Its roles as a tokens file writes them: {@code read,push}. */
    public String rolesText() {
      return String.join(",", roles.stream().map(Role::fileName).toList());
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

  /** The roles a tokens file may name, in the order of the documentation. */
  static final String ROLES =
      String.join(", ", Arrays.stream(Role.values()).map(Role::fileName).toList());

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
    return and(name, EnumSet.of(role), secret);
  }

  /** These tokens and one more, with several roles. */
  public ApiTokens and(String name, Set<Role> roles, String secret) {
    List<Entry> all = new ArrayList<>(tokens);
    all.add(new Entry(new Token(name, roles), secret));
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
            "%s: expected 'name role[,role...] token' (3 fields), got %d; e.g. 'trainer read 3f9c…'"
                .formatted(where, parts.length));
      }
      Set<Role> roles = EnumSet.noneOf(Role.class);
      int rolesColumn = line.indexOf(parts[1], column - 1 + parts[0].length()) + 1;
      for (String text : parts[1].split(",", -1)) {
        try {
          roles.add(Role.valueOf(text.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "%s:%d:%d: unknown role %s: %s (several with commas, e.g. read,push)"
                  .formatted(file, i + 1, rolesColumn, text.isEmpty() ? "''" : text, ROLES),
              e);
        }
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
      tokens.add(new Entry(new Token(parts[0], roles), parts[2]));
    }
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException(
          "%s holds no tokens: add lines 'name role[,role...] token' (roles: %s)"
              .formatted(file, ROLES));
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

  /**
   * A warning when others than the file's owner may read the tokens file (group or world readable),
   * empty when only its owner can or the file system has no POSIX permissions.
   */
  public static Optional<String> permissionWarning(Path file) throws IOException {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      return Optional.empty();
    }
    List<String> readers = new ArrayList<>();
    if (permissions.contains(PosixFilePermission.GROUP_READ)) {
      readers.add("its group");
    }
    if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
      readers.add("every user of this machine");
    }
    if (readers.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "WARNING: the tokens file %s can be read by %s (%s): make it readable by its owner only: chmod 600 %s"
            .formatted(
                file,
                String.join(" and ", readers),
                PosixFilePermissions.toString(permissions),
                file));
  }

  /** The names of the tokens given the deprecated role {@code write}. */
  public List<String> withDeprecatedRoles() {
    return tokens.stream()
        .map(entry -> entry.token)
        .filter(token -> token.roles().contains(Role.WRITE))
        .map(Token::name)
        .toList();
  }

  /** How many tokens there are. */
  public int size() {
    return tokens.size();
  }
}
