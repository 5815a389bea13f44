import type { MetadataRoute } from 'next';

/** The web app manifest (/manifest.webmanifest): installable on a phone's home screen. */
export default function manifest(): MetadataRoute.Manifest {
  return {
    id: '/',
    name: 'MeterTwin',
    short_name: 'MeterTwin',
    description: 'Live digital twins of your water meters, read from camera photos.',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    orientation: 'any',
    background_color: '#f4f6f8',
    theme_color: '#0f2a3d',
    categories: ['utilities', 'productivity'],
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
    shortcuts: [
      { name: 'Alarms', url: '/alarms' },
      { name: 'Review queue', url: '/review' },
    ],
  };
}
