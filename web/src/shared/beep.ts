// A short low "error" tone for unknown or wrong barcodes (WebAudio: no file, no network).
let ctx: AudioContext | null = null;
export function beep(freq = 220, ms = 180) {
  try {
    ctx ??= new AudioContext();
    const o = ctx.createOscillator();
    const g = ctx.createGain();
    o.type = 'square';
    o.frequency.value = freq;
    g.gain.value = 0.08;
    o.connect(g).connect(ctx.destination);
    o.start();
    o.stop(ctx.currentTime + ms / 1000);
  } catch {
    /* no audio device: the on-screen message still says it */
  }
}
