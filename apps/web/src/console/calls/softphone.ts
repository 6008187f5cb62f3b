import type { TelephonyInfo } from '@zhiyang/shared';
import { UA, WebSocketInterface } from 'jssip';
import type { PeerConnectionEvent, RTCSession } from 'jssip/lib/RTCSession';
import type { RTCSessionEvent } from 'jssip/lib/UA';
import { createContext, useCallback, useEffect, useRef, useState } from 'react';

/** Where the softphone stands: not configured / off, connecting, registered, or failed (it retries). */
export type SoftphoneStatus = 'off' | 'connecting' | 'registered' | 'failed';
/** The softphone's call: ringing in the browser, dialling out (the other side rings), talking, or none. */
export type SoftphoneCall = 'none' | 'ringing' | 'dialing' | 'talking';

export interface Softphone {
  status: SoftphoneStatus;
  call: SoftphoneCall;
  muted: boolean;
  /** The caller is on hold (保持): no media either way until resumed. */
  held: boolean;
  /** Seconds since the call was answered (the call timer), 0 otherwise. */
  talkSeconds: number;
  answer(): void;
  hangUp(): void;
  toggleMute(): void;
  toggleHold(): void;
  /**
   * Place an outbound call (click-to-dial): the target and headers come from the server's dial
   * command (the signed dial ticket Kamailio checks). False when the softphone cannot dial now.
   */
  dial(target: string, extraHeaders: string[]): boolean;
  /**
   * 转接: REFER the caller to `target` (the server's transfer ticket, Kamailio rings the other
   * agent) and leave the call once the caller's phone has followed it. False without a call.
   */
  transfer(target: string): boolean;
}

/** The agent console's softphone, for the dial buttons inside it (null elsewhere). */
export const SoftphoneContext = createContext<Softphone | null>(null);

const RETRY_MS = 5000;

/**
 * The console's WebRTC softphone (docs/decisions/0012-softphone.md, docs/telephony.md): a JsSIP
 * user agent that registers the agent's extension with Kamailio over SIP-over-WebSocket while
 * `enabled` (the agent is at work) and the server hands out SIP settings, answers and hangs up the
 * call Kamailio rings it with, and plays the caller through an <audio> element. JsSIP reconnects
 * the WebSocket after a drop by itself; a refused registration (an expired credential) fetches a
 * fresh credential through `refresh` and starts again.
 */
export function useSoftphone(sip: TelephonyInfo['sip'], enabled: boolean, refresh: () => void): Softphone {
  const [status, setStatus] = useState<SoftphoneStatus>('off');
  const [call, setCall] = useState<SoftphoneCall>('none');
  const [muted, setMuted] = useState(false);
  const [held, setHeld] = useState(false);
  const [answeredAt, setAnsweredAt] = useState<number | null>(null);
  const [now, setNow] = useState(Date.now());
  const session = useRef<RTCSession | null>(null);
  const uaRef = useRef<UA | null>(null);
  const audio = useRef<HTMLAudioElement | null>(null);
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;

  const wsUrl = sip?.wsUrl;
  const uri = sip?.uri;
  const user = sip?.authorizationUser;
  const password = sip?.password;
  const ringSeconds = sip?.ringSeconds ?? 20;
  useEffect(() => {
    if (!enabled || !wsUrl || !uri || !user || !password) {
      setStatus('off');
      return;
    }
    if (!audio.current) {
      audio.current = new Audio();
      audio.current.autoplay = true;
    }
    const ua = new UA({
      sockets: [new WebSocketInterface(wsUrl)],
      uri,
      authorization_user: user,
      password,
      register: true,
      register_expires: 300,
      session_timers: false,
      connection_recovery_min_interval: 2,
      connection_recovery_max_interval: 30,
      user_agent: 'Zhiyang console',
    });
    let retry: ReturnType<typeof setTimeout> | undefined;
    setStatus('connecting');
    ua.on('registered', () => setStatus('registered'));
    ua.on('disconnected', () => setStatus('connecting'));
    ua.on('unregistered', () => setStatus((s) => (s === 'registered' ? 'connecting' : s)));
    ua.on('registrationFailed', () => {
      setStatus('failed');
      retry = setTimeout(() => refreshRef.current(), RETRY_MS);
    });
    ua.on('newRTCSession', (e: RTCSessionEvent) => {
      const s = e.session;
      const incoming = e.originator === 'remote';
      if (incoming && session.current && !session.current.isEnded()) {
        s.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
        return;
      }
      session.current = s;
      // Nobody answers in time (an empty desk): decline as not answered, so that Kamailio reports
      // call.not_answered and offers the call to another agent (docs/telephony.md#ring-no-answer).
      const ringOut = incoming
        ? setTimeout(() => {
            if (!s.isEstablished() && !s.isEnded()) s.terminate({ status_code: 480, reason_phrase: 'No Answer' });
          }, ringSeconds * 1000)
        : undefined;
      s.on('accepted', () => clearTimeout(ringOut));
      setCall(incoming ? 'ringing' : 'dialing');
      setMuted(false);
      setHeld(false);
      s.on('hold', () => setHeld(true));
      s.on('unhold', () => setHeld(false));
      const attach = (pc: RTCPeerConnection) =>
        pc.addEventListener('track', (ev: RTCTrackEvent) => {
          if (audio.current && ev.streams[0]) audio.current.srcObject = ev.streams[0];
        });
      // An outgoing session has its peer connection already; an incoming one gets it on answer.
      if (s.connection) attach(s.connection);
      else s.on('peerconnection', ({ peerconnection }: PeerConnectionEvent) => attach(peerconnection));
      s.on('confirmed', () => {
        setCall('talking');
        setAnsweredAt(Date.now());
      });
      const ended = () => {
        clearTimeout(ringOut);
        // A session that ends after a newer one began (the leg a transfer handed on, hung up
        // late) leaves the newer call's controls as they are.
        if (session.current && session.current !== s) return;
        session.current = null;
        setCall('none');
        setAnsweredAt(null);
        setMuted(false);
        setHeld(false);
      };
      s.on('ended', ended);
      s.on('failed', (ev: { cause?: string }) => {
        console.warn(`softphone: call failed (${ev?.cause ?? 'unknown'})`);
        ended();
      });
      s.on('peerconnection:setremotedescriptionfailed', (err: unknown) =>
        console.warn(`softphone: the other side's media description was refused: ${String(err)}`),
      );
    });
    uaRef.current = ua;
    ua.start();
    return () => {
      uaRef.current = null;
      clearTimeout(retry);
      session.current?.terminate();
      session.current = null;
      ua.stop();
      setStatus('off');
      setCall('none');
    };
  }, [enabled, wsUrl, uri, user, password, ringSeconds]);

  useEffect(() => {
    if (call !== 'talking') return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [call]);

  const answer = useCallback(() => {
    session.current?.answer({ mediaConstraints: { audio: true, video: false } });
  }, []);
  const hangUp = useCallback(() => {
    session.current?.terminate();
  }, []);
  const toggleMute = useCallback(() => {
    const s = session.current;
    if (!s) return;
    if (s.isMuted().audio) s.unmute({ audio: true });
    else s.mute({ audio: true });
    setMuted(s.isMuted().audio ?? false);
  }, []);

  // A re-INVITE through Kamailio and rtpengine; JsSIP ends the call if the other side refuses it.
  const toggleHold = useCallback(() => {
    const s = session.current;
    if (!s) return;
    if (s.isOnHold().local) s.unhold();
    else s.hold();
  }, []);

  const dial = useCallback((target: string, extraHeaders: string[]) => {
    const ua = uaRef.current;
    if (!ua?.isRegistered() || (session.current && !session.current.isEnded())) return false;
    ua.call(target, { extraHeaders, mediaConstraints: { audio: true, video: false } });
    return true;
  }, []);

  const transfer = useCallback((target: string) => {
    const s = session.current;
    if (!s?.isEstablished()) return false;
    s.refer(target, {
      eventHandlers: {
        // The other agent answered the caller (NOTIFY 2xx): this side of the call is done.
        accepted: () => {
          if (!s.isEnded()) s.terminate();
        },
        failed: () => console.warn('softphone: the transfer did not go through; the caller stays on this call'),
      },
    });
    return true;
  }, []);

  return {
    status,
    call,
    dial,
    transfer,
    muted,
    held,
    toggleHold,
    talkSeconds: answeredAt ? Math.max(0, Math.floor((now - answeredAt) / 1000)) : 0,
    answer,
    hangUp,
    toggleMute,
  };
}
