// `bilevel serve` in a real Chromium (Debian's package through playwright-core) on a recorded fixture state: the
// runs page, one chart point per trial, a trial appearing live, a meta session's prompts, inert hostile text, the
// token, and the README's screenshots (written to docs/images/ with BILEVEL_UPDATE_SCREENSHOTS=1).
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hostileTexts, writeRecordedRun, writeRecordedStudy } from '../src/serve/__fixtures__/recorded-state.js';
import { type RunningServe, startServe } from '../src/serve/start-serve.js';
import { type Database, openDatabase } from '../src/storage/database.js';
import { getTrial, insertTrial, listTrials } from '../src/storage/trials-table.js';
import { chromiumUsable, launchChromium } from './helpers/chromium.js';
import { readPng } from './helpers/read-png.js';
import { systemPackage } from './helpers/system-package.js';

const hasChromium = systemPackage('chromium', chromiumUsable);

const mainRun = '20261130-220000-a1b2';
const hostileRun = '20261130-230000-x55s';
const runningRun = '20261201-060000-c3d4';
const imagesDir = fileURLToPath(new URL('../docs/images/', import.meta.url));

describe.skipIf(!hasChromium)('bilevel serve in Chromium (system package chromium; recorded fixture state)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bilevel-serve-browser-'));
  let writer: Database;
  let serve: RunningServe;
  let browser: Browser;
  let studyId: string;
  /** Page errors and console errors (a CSP violation is one) of the current test. */
  let problems: string[] = [];

  beforeAll(async () => {
    writer = openDatabase(dir);
    writeRecordedRun(writer, dir, { id: mainRun, trials: 40, seed: 3 });
    writeRecordedRun(writer, dir, { id: hostileRun, trials: 12, hostile: true, levels: ['1', '2'] });
    writeRecordedRun(writer, dir, {
      id: runningRun,
      trials: 6,
      plannedTrials: 30,
      state: 'running',
      startedAt: new Date(Date.now() - 7 * 62_000),
    });
    studyId = writeRecordedStudy(writer, dir, {
      groups: [
        { name: 'A', levels: ['1'] },
        { name: 'B', levels: ['1', '1.5'] },
        { name: 'C', levels: ['1', '1.5', '2'] },
      ],
      repeats: 3,
      trials: 20,
    });
    serve = await startServe({ stateDir: dir, port: 0 });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.close();
    writer?.close();
  });

  afterEach(() => {
    expect(problems).toEqual([]);
    problems = [];
  });

  async function open(path: string, base = `http://127.0.0.1:${serve.port}`): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => problems.push(`${path}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${path}: ${message.text()}`);
    });
    await page.goto(`${base}${path}`);
    return page;
  }

  it('lists a finished and a running run, and the study', async () => {
    const page = await open('/');
    await page.waitForSelector('table.runs');
    const rowOf = (id: string) => page.locator('table.runs tr', { hasText: id });
    await expect.poll(() => rowOf(mainRun).locator('.state').textContent()).toBe('finished');
    expect(await rowOf(runningRun).locator('.state').textContent()).toBe('running');
    expect(await rowOf(runningRun).textContent()).toContain('7/31');
    expect(await page.locator('table.studies').textContent()).toContain(studyId);
    await page.close();
  });

  it('draws one chart point per trial, by status, with the best-so-far line', async () => {
    const page = await open(`/runs/${mainRun}`);
    const caption = page.locator('.chart-caption');
    await caption.waitFor();
    const trials = listTrials(writer, mainRun);
    expect(await caption.getAttribute('data-index')).toBe(String(trials.length));
    const kept = trials.filter((trial) => trial.status === 'keep').length;
    const failed = trials.filter((trial) => trial.metric === null).length;
    expect(await caption.textContent()).toContain(`${trials.length} points, one per trial: ${kept} kept`);
    expect(await caption.textContent()).toContain(`${failed} without a metric`);
    // The canvas really holds the drawing: the kept points' green and the best line's blue are on screen.
    const shot = readPng(await page.locator('.chart canvas').screenshot());
    const colours = { green: 0, blue: 0 };
    for (let at = 0; at < shot.data.length; at += shot.channels) {
      const [r, g, b] = [shot.data[at] as number, shot.data[at + 1] as number, shot.data[at + 2] as number];
      if (r < 30 && g > 130 && g < 180 && b > 95 && b < 140) colours.green += 1;
      if (r < 30 && g > 90 && g < 135 && b > 160) colours.blue += 1;
    }
    expect(colours.green).toBeGreaterThan(kept * 5);
    expect(colours.blue).toBeGreaterThan(200);
    expect(await page.locator('table.trials tbody tr.trial').count()).toBe(trials.length);
    await page.close();
  });

  it('shows a trial recorded while the page is open within 2 s, without a reload', async () => {
    const page = await open(`/runs/${runningRun}`);
    await page.locator('.chart-caption[data-index="7"]').waitFor();
    await page.evaluate('window.notReloaded = true');
    await expect.poll(() => page.locator('#live').textContent()).toBe('live');
    const last = getTrial(writer, runningRun, 6) as NonNullable<ReturnType<typeof getTrial>>;
    const recordedAt = Date.now();
    insertTrial(writer, {
      ...last,
      index: 7,
      status: 'keep',
      metric: 2.0,
      summary: 'LEARNING_RATE 0.003 -> 0.004 (recorded while the page was open)',
      startedAt: new Date(recordedAt - 60_000).toISOString(),
      endedAt: new Date(recordedAt).toISOString(),
    });
    await page.locator('tr.trial[data-index="7"]').waitFor({ timeout: 5000 });
    const seenAfter = Date.now() - recordedAt;
    await page.locator('.chart-caption[data-index="8"]').waitFor({ timeout: 5000 });
    const chartAfter = Date.now() - recordedAt;
    expect(seenAfter).toBeLessThan(2000);
    expect(chartAfter).toBeLessThan(2000);
    expect(await page.evaluate('window.notReloaded')).toBe(true);
    expect(await page.locator('#header').textContent()).toContain('8/31 recorded');
    await page.close();
  });

  it("shows a meta session's transcript: every round's prompt, reply, module source and gate report", async () => {
    const page = await open(`/runs/${mainRun}/sessions/m10`);
    await page.locator('pre.prompt').first().waitFor();
    const prompts = await page.locator('pre.prompt').allTextContents();
    expect(prompts).toHaveLength(4);
    expect(prompts[0]).toContain("Round explore: the loop's code, the contract and the diagnosis follow.");
    expect(await page.locator('h3').allTextContents()).toEqual(
      expect.arrayContaining([
        'Round: explore',
        'Round: critique',
        'Round: specify',
        'Round: generate',
        'Gate attempt 1',
      ]),
    );
    expect(await page.locator('pre.source').textContent()).toContain('defineMechanism');
    await page.close();
  });

  it('shows what models and tasks wrote as text: <script>, <img onerror> and <svg onload> run nothing', async () => {
    const run = await open(`/runs/${hostileRun}`);
    // Hover trial 3 on the chart: its summary arrives in the hover box, as text.
    const over = run.locator('.u-over');
    await over.scrollIntoViewIfNeeded();
    const box = (await over.boundingBox()) as { x: number; y: number; width: number; height: number };
    await run.mouse.move(box.x + (box.width * 3) / 12, box.y + box.height / 2);
    await expect
      .poll(() => run.locator('.tooltip .summary').textContent())
      .toBe(`${hostileTexts.summary} — ${hostileTexts.reason}`);
    await run.locator('tr.trial[data-index="3"]').click();
    await run.locator('pre.log').waitFor();
    expect(await run.locator('tr.detail').textContent()).toContain(hostileTexts.summary);
    expect(await run.locator('tr.trial[data-index="3"] td.reason').textContent()).toBe(hostileTexts.reason);
    expect(await run.locator('pre.log').textContent()).toContain(hostileTexts.log);
    const session = await open(`/runs/${hostileRun}/sessions/m10`);
    await session.locator('pre.prompt').first().waitFor();
    expect(await session.locator('pre.prompt').first().textContent()).toBe(hostileTexts.prompt);
    expect(await session.locator('pre.source').textContent()).toBe(hostileTexts.source);
    for (const page of [run, session]) {
      expect(await page.evaluate('window.__xss')).toBeUndefined();
      expect(await page.locator('img, svg, iframe, object, embed').count()).toBe(0);
      expect(await page.locator('script').count()).toBe(1);
      await page.close();
    }
  });

  it('with a token, refuses every request without it (401) and lets in the URL it prints', async () => {
    // Test servers listen on 127.0.0.1 only: a token given on loopback is enforced exactly as the one off loopback.
    const guarded = await startServe({ stateDir: dir, port: 0, token: 'night-watch-token' });
    const base = `http://127.0.0.1:${guarded.port}`;
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      for (const path of ['/', `/runs/${mainRun}`, '/api/overview', '/api/events', '/assets/run-page.js']) {
        const response = await page.goto(`${base}${path}`);
        expect(response?.status(), path).toBe(401);
        expect(await page.content()).not.toContain(mainRun);
      }
      expect(guarded.url).toBe(`${base}/?token=night-watch-token`);
      await page.goto(guarded.url);
      expect(page.url()).toBe(`${base}/`);
      await page.locator('table.runs').waitFor();
      expect(await page.locator('table.runs').textContent()).toContain(mainRun);
      expect((await page.goto(`${base}/api/overview`))?.status()).toBe(200);
      await context.close();
    } finally {
      await guarded.close();
    }
  });

  it("takes the README's screenshots: the main job's run page and a study", async () => {
    const out = mkdtempSync(join(tmpdir(), 'bilevel-screenshots-'));
    const shots = [
      { path: `/runs/${mainRun}`, ready: '.chart-caption', file: 'serve-run.png' },
      { path: `/studies/${studyId}`, ready: '.chart canvas', file: 'serve-study.png' },
    ];
    for (const shot of shots) {
      const page = await open(shot.path);
      await page.locator(shot.ready).first().waitFor();
      await expect.poll(() => page.locator('#live').textContent()).toBe('live');
      const file = join(out, shot.file);
      await page.screenshot({ path: file });
      const png = readPng(readFileSync(file));
      expect([png.width, png.height]).toEqual([1400, 1000]);
      const distinct = new Set<number>();
      for (let at = 0; at < png.data.length; at += png.channels * 97) distinct.add(png.data.readUIntBE(at, 3));
      expect(distinct.size).toBeGreaterThan(20);
      if (process.env.BILEVEL_UPDATE_SCREENSHOTS === '1') copyFileSync(file, join(imagesDir, shot.file));
      await page.close();
    }
  });
});
