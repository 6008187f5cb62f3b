import { Counter, collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The process's own Prometheus metrics (counters that code increments as things happen), shared
 * by every app in the process. Figures read from the database at scrape time (queue depths,
 * alarm SLA) are per app: modules/metrics/metrics.routes.ts.
 */
export const processRegistry = new Registry();

// Event-loop lag (nodejs_eventloop_lag_*), heap, GC, CPU and file descriptors of this process.
collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: 20 });

const deviceEvents = new Counter({
  name: 'zhiyang_device_events_total',
  help: 'Device events received, by event type, intake lane (alarm: alarm-raising types; routine), transport and result (stored, duplicate, rejected).',
  labelNames: ['type', 'lane', 'transport', 'result'] as const,
  registers: [processRegistry],
});

const jobFailures = new Counter({
  name: 'zhiyang_job_failures_total',
  help: 'Jobs whose handler failed in this process (pg-boss retries them per queue policy), by queue.',
  labelNames: ['queue'] as const,
  registers: [processRegistry],
});

// Unknown event types are stored too; keep their label bounded.
const KNOWN_TYPE = /^[a-z_]{1,24}$/;

/** Count one device event at the transport's edge (MQTT gate, HTTP intake); `alarmLane`: it took the alarm lane. */
export function countDeviceEvent(type: string, alarmLane: boolean, transport: 'mqtt' | 'http', result: string): void {
  deviceEvents.inc({
    type: KNOWN_TYPE.test(type) ? type : 'other',
    lane: alarmLane ? 'alarm' : 'routine',
    transport,
    result,
  });
}

/** Count one failed job run (jobs/workers.ts). */
export function countJobFailure(queue: string): void {
  jobFailures.inc({ queue });
}
