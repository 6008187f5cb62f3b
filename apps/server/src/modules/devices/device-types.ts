import { DEVICE_TYPES, type DeviceType } from '@zhiyang/shared';

/**
 * Device types of the device protocol v1 (the list is shared with the console), with each type's
 * default heartbeat interval and the event types it is expected to send (capabilities). A device
 * is offline after 3 missed intervals.
 */
export { DEVICE_TYPES, type DeviceType };

/** Event types of the protocol's table; others are stored and flagged `unknown_type`. */
export const EVENT_TYPES = [
  'sos',
  'sos_cancel',
  'fall',
  'smoke',
  'gas',
  'water_leak',
  'door',
  'presence',
  'vitals',
  'bed',
  'location',
  'battery',
  'heartbeat',
  'worn',
  'tamper',
  'test',
  'service_call',
  'blood_pressure',
  'blood_glucose',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface DeviceTypeInfo {
  heartbeatSeconds: number;
  capabilities: readonly EventType[];
  wearable: boolean;
  /** Has a test button that should be pressed monthly. */
  monthlyTest: boolean;
}

const base = ['heartbeat', 'battery', 'tamper', 'test'] as const;

export const DEVICE_TYPE_INFO: Record<DeviceType, DeviceTypeInfo> = {
  sos_terminal: {
    heartbeatSeconds: 600,
    capabilities: [...base, 'sos', 'sos_cancel', 'service_call'],
    wearable: false,
    monthlyTest: true,
  },
  pendant: {
    heartbeatSeconds: 600,
    capabilities: [...base, 'sos', 'sos_cancel', 'fall', 'worn'],
    wearable: true,
    monthlyTest: true,
  },
  watch: {
    heartbeatSeconds: 300,
    capabilities: [...base, 'sos', 'sos_cancel', 'fall', 'vitals', 'location', 'worn'],
    wearable: true,
    monthlyTest: true,
  },
  smoke: { heartbeatSeconds: 14_400, capabilities: [...base, 'smoke'], wearable: false, monthlyTest: true },
  gas: { heartbeatSeconds: 3_600, capabilities: [...base, 'gas'], wearable: false, monthlyTest: true },
  door: { heartbeatSeconds: 3_600, capabilities: [...base, 'door'], wearable: false, monthlyTest: false },
  presence: { heartbeatSeconds: 600, capabilities: [...base, 'presence', 'vitals', 'fall'], wearable: false, monthlyTest: false },
  bed: { heartbeatSeconds: 600, capabilities: [...base, 'bed', 'vitals'], wearable: false, monthlyTest: false },
  fall_radar: { heartbeatSeconds: 600, capabilities: [...base, 'fall', 'presence'], wearable: false, monthlyTest: false },
  water_leak: { heartbeatSeconds: 14_400, capabilities: [...base, 'water_leak'], wearable: false, monthlyTest: false },
  other: { heartbeatSeconds: 3_600, capabilities: base, wearable: false, monthlyTest: false },
  // Meters are switched on to measure, so no heartbeat is expected between readings (a week).
  bp_meter: { heartbeatSeconds: 604_800, capabilities: [...base, 'blood_pressure'], wearable: false, monthlyTest: false },
  glucose_meter: { heartbeatSeconds: 604_800, capabilities: [...base, 'blood_glucose'], wearable: false, monthlyTest: false },
};

export const isKnownEventType = (t: string): t is EventType => (EVENT_TYPES as readonly string[]).includes(t);

/** Battery level (%) below which a device counts as low, by default (an elder's safety rules may set another). */
export const DEFAULT_BATTERY_LOW_PERCENT = 20;
