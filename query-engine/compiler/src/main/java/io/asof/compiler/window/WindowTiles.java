package io.asof.compiler.window;

import static java.util.Objects.requireNonNull;

import io.asof.model.window.WindowedAggregation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How the online store keeps an aggregation view: per key, the sums of its states over tiles of a
 * minute, an hour and a day, packed into records of {@link #SLOTS} tiles each, so that any window
 * at now is read from a handful of records. A window at now holds the minutes {@code
 * [floor_minute(now) - w, floor_minute(now)]} ({@link WindowedAggregation}): its far edge needs
 * minute tiles, the middle hour and day tiles, which {@link #cover} chooses.
 *
 * <ul>
 *   <li>a {@link Level#MINUTES} record of hour {@code h} holds the hour's 60 minute tiles;
 *   <li>a {@link Level#HOURS} record of day {@code d} holds the day's 24 hour tiles;
 *   <li>a {@link Level#DAYS} record of block {@code b} holds the 60 day tiles of days {@code 60b}
 *       to {@code 60b + 59}.
 * </ul>
 *
 * Times are minutes since the epoch, UTC.
 */
public final class WindowTiles {
  /** Tiles per record. */
  public static final int SLOTS = 60;

  private static final int HOUR = 60;
  private static final int DAY = 1_440;

  private WindowTiles() {}

  /** The levels of tiles, each packed into records of {@link #SLOTS} tiles. */
  public enum Level {
    MINUTES("m"),
    HOURS("h"),
    DAYS("d");

    private final String prefix;

    Level(String prefix) {
      this.prefix = prefix;
    }
  }

  /** One tile: a slot of one record. */
  public record Tile(Level level, long record, int slot) {
    public Tile {
      requireNonNull(level, "level is null");
      if (slot < 0 || slot >= SLOTS) {
        throw new IllegalArgumentException("slot " + slot);
      }
    }

    /** The record's name, as the bucket key column stores it: {@code m:493712}. */
    public String bucket() {
      return WindowTiles.bucket(level, record);
    }
  }

  /** The bucket key of a record. */
  public static String bucket(Level level, long record) {
    return level.prefix + ":" + record;
  }

  /** The level and record a bucket key names. */
  public static Tile parseBucket(String bucket) {
    int colon = bucket.indexOf(':');
    String prefix = bucket.substring(0, colon).toLowerCase(Locale.ROOT);
    long record = Long.parseLong(bucket.substring(colon + 1));
    for (Level level : Level.values()) {
      if (level.prefix.equals(prefix)) {
        return new Tile(level, record, 0);
      }
    }
    throw new IllegalArgumentException("not a bucket: " + bucket);
  }

  /** The minute (since the epoch) an instant falls in. */
  public static long minute(Instant instant) {
    return Math.floorDiv(instant.getEpochSecond(), 60);
  }

  /** The three tiles a minute's events are added to: its minute, its hour and its day. */
  public static List<Tile> tilesOf(long minute) {
    long hour = Math.floorDiv(minute, HOUR);
    long day = Math.floorDiv(minute, DAY);
    long block = Math.floorDiv(day, SLOTS);
    return List.of(
        new Tile(Level.MINUTES, hour, (int) (minute - hour * HOUR)),
        new Tile(Level.HOURS, day, (int) Math.floorDiv(minute - day * DAY, HOUR)),
        new Tile(Level.DAYS, block, (int) (day - block * SLOTS)));
  }

  /**
   * The fewest tiles that cover minutes {@code [from, to)} exactly: minutes up to an hour boundary,
   * hours up to a day boundary, days, then hours and minutes again.
   */
  public static List<Tile> cover(long from, long to) {
    List<Tile> tiles = new ArrayList<>();
    long at = from;
    while (at < to) {
      if (Math.floorMod(at, DAY) == 0 && at + DAY <= to) {
        tiles.add(tilesOf(at).get(2));
        at += DAY;
      } else if (Math.floorMod(at, HOUR) == 0 && at + HOUR <= to) {
        tiles.add(tilesOf(at).get(1));
        at += HOUR;
      } else {
        tiles.add(tilesOf(at).get(0));
        at += 1;
      }
    }
    return tiles;
  }

  /** The tiles of a window at {@code now}: the minutes {@code [floor(now) - w, floor(now)]}. */
  public static List<Tile> window(Duration window, Instant now) {
    long last = minute(now);
    return cover(last - window.toMinutes(), last + 1);
  }

  /** The records (bucket keys) the windows at {@code now} read, each once. */
  public static List<String> buckets(List<Duration> windows, Instant now) {
    Set<String> buckets = new LinkedHashSet<>();
    for (Duration window : windows) {
      window(window, now).forEach(tile -> buckets.add(tile.bucket()));
    }
    return List.copyOf(buckets);
  }

  /**
   * The first minute whose events a window of up to {@code longest} can read at {@code now} or
   * later: a load reads events from there on. Tiles reach back no further than a window's far edge,
   * which only moves forward, so no tile read later lacks an event of it.
   */
  public static long loadFrom(Duration longest, Instant now) {
    return minute(now) - longest.toMinutes();
  }

  /**
   * When a record can no longer be read by a window of {@code longest}: once the record's last
   * minute is more than {@code longest} plus a minute in the past.
   */
  public static Instant expiresAt(String bucket, Duration longest) {
    Tile tile = parseBucket(bucket);
    long end =
        switch (tile.level()) {
          case MINUTES -> (tile.record() + 1) * HOUR;
          case HOURS -> (tile.record() + 1) * DAY;
          case DAYS -> (tile.record() + 1) * SLOTS * DAY;
        };
    return Instant.ofEpochSecond((end + longest.toMinutes() + 1) * 60);
  }
}
