// Worker thread of the face pipeline (lib/worker-pool.ts): decodes a photo, runs detection and the
// descriptor model, checks quality. The model is loaded once per thread; nothing here touches the
// database or the network. Bundled as dist/faces-worker.mjs by scripts/build-server.mjs.
import { serveTasks } from '../../lib/worker-pool.ts';
import { analysePhoto, loadHuman } from './faces.engine.ts';
import { readFrame } from './faces.liveness.ts';
import type { AnalyseResult, AnalyseTask, LivenessTask, LivenessTaskResult } from './faces.tasks.ts';

serveTasks({
  async analyse(task: AnalyseTask) {
    const started = performance.now();
    const a = await analysePhoto(new Uint8Array(task.photo));
    const ms = Math.round(performance.now() - started);
    if (!a.ok) return { result: { ok: false, reason: a.reason, figures: a.figures, ms } satisfies AnalyseResult };
    const buffer = a.descriptor.buffer as ArrayBuffer;
    return { result: { ok: true, descriptor: buffer, figures: a.figures, ms } satisfies AnalyseResult, transfer: [buffer] };
  },
  async liveness(task: LivenessTask) {
    const started = performance.now();
    const human = await loadHuman();
    const frames: LivenessTaskResult['frames'] = [];
    const transfer: ArrayBuffer[] = [];
    // One frame after another; a refused frame ends the reading (the attempt fails on it).
    for (const photo of task.frames) {
      const r = await readFrame(human, new Uint8Array(photo));
      if (!r.ok) {
        frames.push(r);
        break;
      }
      const buffer = r.descriptor.buffer as ArrayBuffer;
      transfer.push(buffer);
      frames.push({ ...r, descriptor: buffer });
    }
    const ms = Math.round(performance.now() - started);
    return { result: { frames, ms } satisfies LivenessTaskResult, transfer };
  },
  async warm() {
    await loadHuman();
    return { result: true };
  },
});
