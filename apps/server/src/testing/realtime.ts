import WebSocket from 'ws';

export interface RealtimeClient {
  ws: WebSocket;
  messages: Array<{ type: string; data: Record<string, unknown>; at: number }>;
  close(): void;
}

/** A WebSocket to /api/v1/realtime that records every message with its arrival time. */
export async function connectRealtime(baseUrl: string, token: string): Promise<RealtimeClient> {
  const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/api/v1/realtime`, { headers: { authorization: `Bearer ${token}` } });
  const messages: RealtimeClient['messages'] = [];
  ws.on('message', (m) => messages.push({ ...JSON.parse(String(m)), at: performance.now() }));
  await new Promise<void>((resolve, reject) => {
    const check = () => (messages.some((m) => m.type === 'hello') ? resolve() : setTimeout(check, 5));
    ws.on('open', check);
    ws.on('close', () => reject(new Error('realtime socket closed')));
  });
  return { ws, messages, close: () => ws.close() };
}
