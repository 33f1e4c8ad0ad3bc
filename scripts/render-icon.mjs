#!/usr/bin/env node
// Draws images/icon.png (the 128x128 Marketplace icon) from the SVG below with headless Chromium, so the icon can be
// changed by editing text. Needs Debian's chromium (test/editor/install-code-server.sh installs it).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const svg = `
<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <defs>
    <linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#1f8ad2"/>
      <stop offset="1" stop-color="#0b5394"/>
    </linearGradient>
  </defs>
  <path d="M64 6 L114 24 V60 C114 92 92 112 64 122 C36 112 14 92 14 60 V24 Z" fill="url(#g)"/>
  <path d="M64 14 L106 29 V60 C106 87 88 104 64 113 C40 104 22 87 22 60 V29 Z" fill="none" stroke="#ffffff"
    stroke-opacity="0.35" stroke-width="2"/>
  <path d="M50 48 V40 A14 14 0 0 1 78 40 V48" fill="none" stroke="#ffffff" stroke-width="7" stroke-linecap="round"/>
  <rect x="40" y="47" width="48" height="34" rx="6" fill="#ffffff"/>
  <circle cx="64" cy="60" r="5" fill="#0b5394"/>
  <rect x="61.5" y="62" width="5" height="11" rx="2.5" fill="#0b5394"/>
  <text x="64" y="104" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" font-weight="bold"
    font-size="21" fill="#ffffff" letter-spacing="1">TLS</text>
</svg>`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  fs.mkdirSync(path.join(root, 'images'), { recursive: true });
  await page.screenshot({ path: path.join(root, 'images', 'icon.png'), omitBackground: true, clip: { x: 0, y: 0, width: 128, height: 128 } });
} finally {
  await browser.close();
}
console.log('wrote images/icon.png');
