// Debian's Chromium driven by playwright-core for the dashboard's browser tests: the system binary (never a
// browser download), the launch flags that work headless in a container, a fresh profile per launch.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { commandWorks } from './system-package.js';

/** The system Chromium (Debian's `chromium` package). */
export const chromiumPath = '/usr/bin/chromium';

/** Headless, no sandbox (containers refuse its namespaces), nothing that reaches the network on its own. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether the system Chromium is there and starts. */
export function chromiumUsable(): boolean {
  return existsSync(chromiumPath) && commandWorks(chromiumPath, ['--headless', '--no-sandbox', '--version']);
}

/** Launches it; playwright gives every launch a fresh temporary profile and removes it on close. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}
