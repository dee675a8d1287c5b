/** Frame index of a playback time on a constant-frame-rate proxy: int(t * fps), as the server and evaluators use. */
export function frameIndexAt(seconds: number, fps: number, frameCount: number): number {
  if (!(fps > 0) || !(frameCount > 0) || !Number.isFinite(seconds) || seconds <= 0) return 0;
  // A small epsilon absorbs the float error of media currentTime landing exactly on a frame boundary.
  const index = Math.floor(seconds * fps + 1e-6);
  return Math.min(index, frameCount - 1);
}

export function formatPosition(seconds: number, index: number): string {
  return `${seconds.toFixed(3)} s · frame ${index}`;
}
