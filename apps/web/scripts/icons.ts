// Renders the PWA icons (public/icons/*.png) from the brand mark with sharp. The PNGs are committed;
// run again after changing the mark: cd apps/web && pnpm exec tsx scripts/icons.ts
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../public/icons');

/** The header's mark (a dial with a counter window) on the brand colour; `safe` shrinks it into the maskable safe zone. */
function markSvg(size: number, safe: boolean): string {
  const scale = safe ? 0.62 : 0.8;
  const r = (size * scale) / 2;
  const c = size / 2;
  const stroke = size * 0.06;
  const win = { w: r * 1.2, h: r * 0.6 };
  const corner = safe ? 0 : size * 0.18;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
  <rect width="${size}" height="${size}" rx="${corner}" fill="#0f2a3d"/>
  <circle cx="${c}" cy="${c}" r="${r - stroke / 2}" fill="none" stroke="#3fb0e8" stroke-width="${stroke}"/>
  <rect x="${c - win.w / 2}" y="${c - win.h / 2}" width="${win.w}" height="${win.h}" rx="${size * 0.02}" fill="#3fb0e8"/>
  <rect x="${c - win.w / 2 + win.w * 0.62}" y="${c - win.h / 2}" width="${win.w * 0.38}" height="${win.h}" rx="${size * 0.02}" fill="#d93a2b"/>
</svg>`;
}

const icons = [
  { file: 'icon-192.png', size: 192, safe: false },
  { file: 'icon-512.png', size: 512, safe: false },
  { file: 'icon-maskable-512.png', size: 512, safe: true },
  { file: 'apple-touch-icon.png', size: 180, safe: true },
  { file: 'badge-96.png', size: 96, safe: false },
];

await mkdir(out, { recursive: true });
for (const icon of icons) {
  const png = await sharp(Buffer.from(markSvg(icon.size, icon.safe)))
    .png({ compressionLevel: 9 })
    .toBuffer();
  await writeFile(path.join(out, icon.file), png);
  console.log(`${icon.file} ${png.byteLength} bytes`);
}
