// A picture from the camera or a file, downscaled in the browser before it is sent: a phone's
// 12-megapixel photo becomes a canvas of at most `sideMax` pixels a side.

/** Draws `file` on a canvas of at most `sideMax` px a side; rejects what is not a picture. */
export function downscale(file: Blob, sideMax: number): Promise<HTMLCanvasElement> {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => {
      const scale = Math.min(1, sideMax / Math.max(img.width, img.height));
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(img.width * scale));
      canvas.height = Math.max(1, Math.round(img.height * scale));
      canvas.getContext('2d')?.drawImage(img, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(url);
      resolve(canvas);
    };
    img.onerror = () => { URL.revokeObjectURL(url); reject(new Error('That file is not a picture.')); };
    img.src = url;
  });
}

/** A JPEG of the picture within `maxBytes` (the quality steps down until it fits). */
export async function photoJpeg(file: Blob, sideMax: number, maxBytes: number): Promise<Blob> {
  const canvas = await downscale(file, sideMax);
  for (const quality of [0.82, 0.7, 0.55, 0.4]) {
    const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/jpeg', quality));
    if (blob && blob.size <= maxBytes) return blob;
  }
  throw new Error('That picture stays too large even when shrunk; try another one.');
}
