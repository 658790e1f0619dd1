package io.asof.model;

import java.util.Collection;
import java.util.Optional;

/** The nearest known word to a misspelt one, by edit distance. */
public final class Suggestions {
  /**
   * The longest word (and candidate) compared: the distance costs length × length, and no name in a
   * repository is longer, so a longer word from a request is no typo of one.
   */
  public static final int MAX_WORD_LENGTH = 64;

  private Suggestions() {}

  /** The closest candidate within a distance that a typo explains, if any. */
  public static Optional<String> nearest(String word, Collection<String> candidates) {
    if (word.length() > MAX_WORD_LENGTH) {
      return Optional.empty();
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      if (candidate.length() > MAX_WORD_LENGTH) {
        continue;
      }
      int distance = distance(word.toLowerCase(java.util.Locale.ROOT), candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    int allowed = Math.max(2, word.length() / 3);
    return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
  }

  /** " (did you mean x?)" or nothing. */
  public static String didYouMean(String word, Collection<String> candidates) {
    return nearest(word, candidates).map(s -> " (did you mean " + s + "?)").orElse("");
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
