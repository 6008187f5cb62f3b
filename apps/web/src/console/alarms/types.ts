import type { AlarmDetail, ConsoleConfig } from '@zhiyang/shared';

// The alarm, its detail, the responders and the console's settings are the shared contract's types.
export type { Alarm, AlarmDetail, AlarmPriority as Priority, ConsoleConfig, DeviceEvent, Responder } from '@zhiyang/shared';

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
