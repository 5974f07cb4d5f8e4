/** When one change is published and which change time (`occurredAt`) it carries. */
export interface ReplayTime {
  occurredAtMs: number;
  /** Wall-clock time before which the change is not published; undefined when not paced. */
  publishAtMs: number | undefined;
}

export type ReplayTimeline = (dataTimeMs: number) => ReplayTime;

/**
 * Keeps the sample's historical dates as `occurredAt` and publishes without pacing.
 * The dates then only order the stale checks of each record.
 */
export function historicalTimeline(): ReplayTimeline {
  return (dataTimeMs) => ({ occurredAtMs: dataTimeMs, publishAtMs: undefined });
}

/**
 * Maps the data's history onto wall time, `speedUp` times faster: a change `d` ms after
 * `dataStartMs` is published `d / speedUp` ms after `wallStartMs`. That publish time is
 * also its `occurredAt`, so CRM change times line up with Ordo's own event times.
 */
export function speedUpTimeline(options: { speedUp: number; dataStartMs: number; wallStartMs: number }): ReplayTimeline {
  const { speedUp, dataStartMs, wallStartMs } = options;
  if (!(speedUp > 0) || !Number.isFinite(speedUp)) {
    throw new Error(`Speed-up ${speedUp} is not a positive number; pass a factor such as 1000000 (437 days in about 38 s)`);
  }
  return (dataTimeMs) => {
    const atMs = Math.round(wallStartMs + (dataTimeMs - dataStartMs) / speedUp);
    return { occurredAtMs: atMs, publishAtMs: atMs };
  };
}
