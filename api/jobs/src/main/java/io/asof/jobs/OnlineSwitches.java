package io.asof.jobs;

import static java.util.Objects.requireNonNull;

import io.asof.registry.ApplyPlan.OnlineSwitch;
import io.asof.registry.OnlineGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The online part of an apply: switches views on (loading only what is missing, as {@code online
 * enable} does) and off (updates stop, items stay) as the plan says, all or nothing — when one
 * switch fails, the ones before it are put back.
 */
public final class OnlineSwitches {
  private final OnlineService service;

  public OnlineSwitches(OnlineService service) {
    this.service = requireNonNull(service, "service is null");
  }

  /**
   * Switches every view of {@code switches}; {@code listener} hears the loads, {@code progress} one
   * line per view.
   */
  public void apply(
      List<OnlineSwitch> switches,
      OnlineService.LoadListener listener,
      Consumer<OnlineService.LoadSummary> loaded,
      Consumer<String> progress) {
    List<OnlineSwitch> done = new ArrayList<>();
    try {
      for (OnlineSwitch onlineSwitch : switches) {
        done.add(onlineSwitch);
        String view = onlineSwitch.view();
        if (onlineSwitch.on()) {
          // a view switched off before comes back as it was served: from DynamoDB or memory
          OnlineGroup.Mode mode =
              onlineSwitch.group().map(OnlineGroup::mode).orElse(OnlineGroup.Mode.DYNAMODB);
          loaded.accept(
              service.enable(
                  view,
                  mode,
                  onlineSwitch
                      .group()
                      .map(OnlineGroup::cacheRefresh)
                      .orElse(OnlineService.DEFAULT_CACHE_REFRESH),
                  listener));
        } else {
          service.disable(view, false);
          progress.accept(
              "switched %s off online (its items stay until ./asof online disable --purge %s)"
                  .formatted(view, view));
        }
      }
    } catch (RuntimeException e) {
      for (OnlineSwitch onlineSwitch : done.reversed()) {
        try {
          service.restore(onlineSwitch.view(), onlineSwitch.group());
        } catch (RuntimeException restoreFailure) {
          e.addSuppressed(restoreFailure);
        }
      }
      throw e;
    }
  }
}
