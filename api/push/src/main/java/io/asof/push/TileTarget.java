package io.asof.push;

import static java.util.Objects.requireNonNull;

import io.asof.model.window.WindowedAggregation;
import io.asof.online.OnlineTable;
import java.time.Instant;

/**
 * An aggregation view online that reads a push view alone ({@link WindowedAggregation#pushSource}):
 * each push adds its rows to the view's tiles.
 *
 * @param table the view's tiles table: its keys, then the bucket; one feature per tile slot and
 *     state, slot-major ({@code slot * states + state})
 * @param loadedThrough when its last load started: the load read the pushes committed by then (and
 *     maybe later ones), so pushes committed later are added by push ingestion
 */
public record TileTarget(
    String view, OnlineTable table, WindowedAggregation aggregation, Instant loadedThrough) {
  public TileTarget {
    requireNonNull(view, "view is null");
    requireNonNull(table, "table is null");
    requireNonNull(aggregation, "aggregation is null");
    requireNonNull(loadedThrough, "loadedThrough is null");
    if (aggregation.pushSource().isEmpty()) {
      throw new IllegalArgumentException("aggregation view " + view + " reads no push view");
    }
  }
}
