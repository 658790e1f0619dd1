package io.asof.jobs;

import java.nio.file.Path;

/** A training set name the repository does not define. */
public final class UnknownTrainingSetException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final String repository;
  private final String suggestion;

  UnknownTrainingSetException(String name, Path repository, String suggestion) {
    super(
        "no training set %s in %s%s: training sets are training_sets/<name>.sql"
            .formatted(name, repository, suggestion));
    this.name = name;
    this.repository = repository.toString();
    this.suggestion = suggestion;
  }

  public String name() {
    return name;
  }

  /** The message, ending with how to ask for an ad-hoc set instead, e.g. {@code --spine}. */
  public String message(String howToGiveAdHoc) {
    return "no training set %s in %s%s: training sets are training_sets/<name>.sql; or give an ad-hoc one with %s"
        .formatted(name, repository, suggestion, howToGiveAdHoc);
  }
}
