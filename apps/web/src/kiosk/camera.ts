import { useEffect, useRef, useState } from 'react';

/**
 * The tablet's front camera in a <video>, and a frame of it as a JPEG data URL for the face
 * module. The stream stops when the screen leaves the camera.
 */
export function useCamera() {
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<'starting' | 'ready' | 'failed'>('starting');
  useEffect(() => {
    let stream: MediaStream | null = null;
    let stopped = false;
    if (!navigator.mediaDevices?.getUserMedia) {
      setState('failed');
      return;
    }
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false })
      .then(async (s) => {
        if (stopped) {
          for (const tr of s.getTracks()) tr.stop();
          return;
        }
        stream = s;
        const v = video.current;
        if (!v) return;
        v.srcObject = s;
        await v.play().catch(() => undefined);
        setState('ready');
      })
      .catch(() => setState('failed'));
    return () => {
      stopped = true;
      for (const tr of stream?.getTracks() ?? []) tr.stop();
    };
  }, []);

  /** The current frame as a JPEG data URL (null when the camera has no picture yet). */
  const capture = (): string | null => {
    const v = video.current;
    if (!v?.videoWidth) return null;
    const canvas = document.createElement('canvas');
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    canvas.getContext('2d')?.drawImage(v, 0, 0);
    return canvas.toDataURL('image/jpeg', 0.92);
  };
  return { video, state, capture };
}
