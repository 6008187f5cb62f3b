export type Priority = 'P1' | 'P2' | 'P3';
export type AlarmStatus = 'raised' | 'acknowledged' | 'responding' | 'on_site' | 'resolved' | 'reviewed';

export interface Alarm {
  id: string;
  type: string;
  priority: Priority;
  status: AlarmStatus;
  open: boolean;
  elderId: string | null;
  elderName: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  deviceId: string | null;
  regionCode: string;
  regionName: string | null;
  eventCount: number;
  lastEventAt: string;
  data: Record<string, unknown>;
  cancelledAt: string | null;
  raisedAt: string;
  acknowledgedAt: string | null;
  holder: { id: string; name: string } | null;
  escalationLevel: number;
  resolvedAt: string | null;
  outcome: string | null;
}

export interface DeviceEvent {
  id: number;
  deviceId: string;
  msgId: string;
  type: string;
  data: Record<string, unknown>;
  deviceTs: string | null;
  receivedAt: string;
  flags: string[];
}

export interface AlarmDetail extends Alarm {
  /** Phones come masked unless I hold this open alarm; then reveal with a reason. */
  phonesMasked: boolean;
  elder: {
    id: string;
    name: string;
    sex: string;
    birthDate: string;
    phone: string | null;
    address: string | null;
    lat: number | null;
    lng: number | null;
    livingSituation: string;
    categories: string[];
    abilityLevel: string | null;
  } | null;
  contacts: Array<{ id: string; name: string; relationship: string; phone: string; callOrder: number; holdsKey: boolean }>;
  devices: Array<{
    id: string;
    type: string;
    online: boolean;
    battery: number | null;
    lastSeenAt: string | null;
    lastEvents: DeviceEvent[];
  }>;
  previousAlarms: Alarm[];
  actions: Array<{
    id: string;
    at: string;
    actorName: string;
    kind: string;
    contactId: string | null;
    result: string | null;
    note: string | null;
  }>;
  dispatches: Array<{
    id: string;
    responderId: string;
    responderName: string | null;
    status: string;
    distanceM: number | null;
    offeredAt: string;
  }>;
}

export interface Responder {
  userId: string;
  name: string;
  role: string;
  busy: boolean;
  lastSeenAt: string;
  distanceM: number | null;
}

export interface ConsoleConfig {
  mapTileUrl: string | null;
  outcomes: string[];
  actionKinds: string[];
  ackTargetSeconds: number;
}

/** What each part of the alarm card (AlarmElderCard, AlarmHandling) is given by AlarmCard. */
export interface AlarmPartProps {
  /** The alarm on screen (its detail may still be the previous one's while it loads). */
  id: string;
  a: AlarmDetail;
  config: ConsoleConfig | null;
  canHandle: boolean;
  inHand: boolean;
  /** Record an action on the alarm (a call, a note …). */
  action(kind: string, extra?: Record<string, unknown>): Promise<void>;
}
