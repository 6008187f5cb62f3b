/** Envelope of every message on the WebSocket at /api/v1/realtime. */
export interface RealtimeMessage<T = unknown> {
  type: string;
  data: T;
}
