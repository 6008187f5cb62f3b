import type { RealtimeMessage } from '@zhiyang/shared';
import { useEffect, useRef, useSyncExternalStore } from 'react';

export type RealtimeStatus = 'idle' | 'connecting' | 'open' | 'closed';
type Handler = (data: unknown, message: RealtimeMessage) => void;

const PATH = '/api/v1/realtime';
const MAX_DELAY_MS = 30_000;
const UNAUTHORIZED_CLOSE = 4401;

/**
 * One WebSocket per tab to /api/v1/realtime (the session cookie authenticates it).
 * Reconnects with exponential backoff and jitter while someone wants it open.
 */
class RealtimeConnection {
  status: RealtimeStatus = 'idle';
  private socket: WebSocket | null = null;
  private users = 0;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly statusListeners = new Set<() => void>();

  /** Ask for the connection; returns the function that gives it back. */
  acquire(): () => void {
    this.users += 1;
    if (this.users === 1) {
      window.addEventListener('online', this.reconnectNow);
      if (!this.socket) this.open();
    }
    return () => {
      this.users -= 1;
      // Close on the next tick, so an immediate re-acquire (React StrictMode, a route change
      // that remounts the layout) keeps the socket that is already open or opening.
      setTimeout(() => {
        if (this.users === 0) this.shutdown();
      }, 0);
    };
  }

  subscribe(type: string, handler: Handler): () => void {
    let set = this.handlers.get(type);
    if (!set) {
      set = new Set();
      this.handlers.set(type, set);
    }
    set.add(handler);
    return () => {
      set.delete(handler);
    };
  }

  onStatus = (listener: () => void): (() => void) => {
    this.statusListeners.add(listener);
    return () => {
      this.statusListeners.delete(listener);
    };
  };

  private setStatus(status: RealtimeStatus) {
    if (this.status === status) return;
    this.status = status;
    for (const listener of this.statusListeners) listener();
  }

  private open() {
    clearTimeout(this.timer);
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${PATH}`;
    this.setStatus('connecting');
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setStatus('open');
    };
    socket.onmessage = (event) => this.dispatch(event.data);
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.setStatus('closed');
      // 4401: the server refused the session; retry slowly (the next API call will send us to login).
      if (event.code === UNAUTHORIZED_CLOSE) this.attempt = Math.max(this.attempt, 5);
      this.scheduleReconnect();
    };
  }

  private dispatch(raw: unknown) {
    if (typeof raw !== 'string') return;
    let message: RealtimeMessage;
    try {
      message = JSON.parse(raw) as RealtimeMessage;
    } catch {
      return;
    }
    if (!message || typeof message.type !== 'string') return;
    for (const key of [message.type, '*']) {
      for (const handler of this.handlers.get(key) ?? []) handler(message.data, message);
    }
  }

  private scheduleReconnect() {
    if (this.users === 0) return;
    const base = Math.min(MAX_DELAY_MS, 1000 * 2 ** this.attempt);
    this.attempt += 1;
    this.timer = setTimeout(() => this.open(), base / 2 + Math.random() * (base / 2));
  }

  private reconnectNow = () => {
    if (this.users > 0 && !this.socket) {
      this.attempt = 0;
      this.open();
    }
  };

  private shutdown() {
    clearTimeout(this.timer);
    window.removeEventListener('online', this.reconnectNow);
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    this.setStatus('idle');
  }
}

export const realtime = new RealtimeConnection();

/** Keep the realtime connection open while the calling component is mounted and `enabled`. */
export function useRealtimeConnection(enabled: boolean): void {
  useEffect(() => (enabled ? realtime.acquire() : undefined), [enabled]);
}

export function useRealtimeStatus(): RealtimeStatus {
  return useSyncExternalStore(realtime.onStatus, () => realtime.status);
}

/** Run `handler` for every message of `type` (`'*'` for all) while mounted. */
export function useRealtimeEvent<T = unknown>(type: string, handler: (data: T, message: RealtimeMessage<T>) => void): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => realtime.subscribe(type, (data, message) => ref.current(data as T, message as RealtimeMessage<T>)), [type]);
}
