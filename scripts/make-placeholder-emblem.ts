// Draws the neutral emblem placeholder shipped in templates/emblem/: two grey
// rings on a transparent ground marking the Garuda's slot (360 px: 3 cm at
// 300 dpi). Offices supply their official emblem file (README).
import { PNG } from 'pngjs';
import { writeFileSync } from 'node:fs';

const size = 360;
const png = new PNG({ width: size, height: size });
const c = size / 2;
const rings = [{ r: 168, w: 6 }, { r: 150, w: 2 }];
for (let y = 0; y < size; y++) {
  for (let x = 0; x < size; x++) {
    const d = Math.hypot(x + 0.5 - c, y + 0.5 - c);
    let ink = 0;
    for (const ring of rings) ink = Math.max(ink, Math.min(1, Math.max(0, ring.w / 2 + 0.5 - Math.abs(d - ring.r))));
    const i = (y * size + x) * 4;
    png.data[i] = 150; png.data[i + 1] = 150; png.data[i + 2] = 150; png.data[i + 3] = Math.round(ink * 255);
  }
}
writeFileSync(new URL('../templates/emblem/placeholder.png', import.meta.url), PNG.sync.write(png, { colorType: 6 }));
