import type { AgentStateCode } from '@zhiyang/shared';

/**
 * Commands out: what Zhiyang asks the telephony to do (CTI contract v1, docs/cti.md). Events
 * coming back (ringing, answered, ended …) arrive through the CTI webhook, never as the return
 * value of a command: a command only says whether the telephony took it.
 *
 * A PBX or a commercial call-centre platform plugs in by implementing this interface; the default
 * `manual` adapter needs no PBX at all: agents dial from a desk phone and log the call by hand.
 */
export interface CommandResult {
  /** `sent`: the telephony took the command; `manual`: a person must do it (dial by hand). */
  status: 'sent' | 'manual';
  /** For a person (the console shows it): e.g. 'dial by hand'. */
  message?: string;
  /** The telephony's call id when it placed a call. */
  externalCallId?: string;
  /** A dial the console's softphone places itself: the SIP target and the headers to send. */
  softphone?: { target: string; extraHeaders: string[] };
}

export interface TelephonyAdapter {
  readonly name: string;
  /** Whether answer, hang up and transfer reach a phone (false: a person does them on a desk phone). */
  readonly controls: boolean;
  /**
   * Place an outbound call from the agent's extension to a number (care calls, call-backs);
   * `from` is the hotline to show as caller ID.
   */
  makeCall(cmd: { extension: string; to: string; from?: string }): Promise<CommandResult>;
  /** Answer the call ringing at the agent's extension (softphone). */
  answer(cmd: { extension: string; externalCallId: string }): Promise<CommandResult>;
  hangUp(cmd: { externalCallId: string }): Promise<CommandResult>;
  /** Move a call to another agent's extension, or (转外线) to an outside number. */
  transfer(cmd: { externalCallId: string } & ({ toExtension: string } | { toNumber: string })): Promise<CommandResult>;
  /** Mirror an agent's own state change (idle, break, offline) to the telephony's ACD. */
  setAgentState(cmd: { extension: string; state: AgentStateCode; reason?: string | null }): Promise<CommandResult>;
}

const byHand = (message: string): Promise<CommandResult> => Promise.resolve({ status: 'manual', message });

/** No PBX: every command is for a person; calls are logged by hand from the console. */
export const manualAdapter: TelephonyAdapter = {
  name: 'manual',
  controls: false,
  makeCall: () => byHand('dial by hand'),
  answer: () => byHand('answer the desk phone'),
  hangUp: () => byHand('hang up the desk phone'),
  transfer: () => byHand('transfer on the desk phone'),
  // The manual adapter has no ACD to tell: the state lives in Zhiyang only.
  setAgentState: () => Promise.resolve({ status: 'sent' }),
};

const adapters = new Map<string, TelephonyAdapter>([[manualAdapter.name, manualAdapter]]);

/** Register another adapter (an embedding's PBX driver). */
export function registerTelephonyAdapter(a: TelephonyAdapter): void {
  adapters.set(a.name, a);
}

/** The adapter by name; `manual` when none is configured or the name is not registered. */
export function telephonyAdapter(name = 'manual'): TelephonyAdapter {
  return adapters.get(name) ?? manualAdapter;
}

/** The configured adapter's name: CTI_ADAPTER, else `simulator` where the simulator is on, else `manual`. */
export function adapterName(config: { ctiAdapter?: string; ctiSimulator?: boolean; production?: boolean }): string {
  return config.ctiAdapter ?? ((config.ctiSimulator ?? !config.production) ? 'simulator' : 'manual');
}
