package io.asof.model;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Everything one feature repository declares, as loaded from its directory. */
public record FeatureRepository(
    Path root,
    List<Entity> entities,
    List<FeatureViewSpec> views,
    List<FeatureServiceSpec> services,
    List<TrainingSetSpec> trainingSets) {
  public FeatureRepository {
    requireNonNull(root, "root is null");
    entities = List.copyOf(requireNonNull(entities, "entities is null"));
    views = List.copyOf(requireNonNull(views, "views is null"));
    services = List.copyOf(requireNonNull(services, "services is null"));
    trainingSets = List.copyOf(requireNonNull(trainingSets, "trainingSets is null"));
  }

  public Optional<Entity> entity(String name) {
    return entities.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  public Optional<FeatureViewSpec> view(String name) {
    return views.stream().filter(v -> v.name().equals(name)).findFirst();
  }
}
