// Measures `bilevel serve` on a long run: time to first render of a 10,000-trial run page in Chromium (the chart
// with every point and the first table page), the run API's own time, and the delay from a trial's record to the
// open page (through the event stream) and to an event-stream client.
//
//   npx tsx bench/dashboard.ts [--trials 10000] [--repeats 5] [--records 10]
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeRecordedRun } from '../src/serve/__fixtures__/recorded-state.js';
import { startServe } from '../src/serve/start-serve.js';
import { openDatabase } from '../src/storage/database.js';
import { getTrial, insertTrial } from '../src/storage/trials-table.js';
import { chromiumPath, launchChromium } from '../test/helpers/chromium.js';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '10000' },
    repeats: { type: 'string', default: '5' },
    records: { type: 'string', default: '10' },
  },
});
const trials = Number(values.trials);
const repeats = Number(values.repeats);
const records = Number(values.records);
if (!existsSync(chromiumPath)) {
  process.stderr.write('this bench needs the system Chromium: apt-get install chromium\n');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'bilevel-dashboard-bench-'));
const writer = openDatabase(dir);
const runId = 'bench-run';
let started = performance.now();
writeRecordedRun(writer, dir, {
  id: runId,
  trials,
  plannedTrials: trials + records + 10,
  state: 'running',
  logs: false,
});
const writeSeconds = (performance.now() - started) / 1000;
const serve = await startServe({ stateDir: dir, port: 0 });
const base = `http://127.0.0.1:${serve.port}`;
const browser = await launchChromium();

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] as number;
  return { median: at(0.5), p95: at(0.95), max: sorted.at(-1) as number, min: sorted[0] as number };
}

try {
  // The run API alone (what the page fetches first), measured from Node.
  const apiMs: number[] = [];
  let apiBytes = 0;
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    started = performance.now();
    const body = await (await fetch(`${base}/api/runs/${runId}`)).text();
    apiMs.push(performance.now() - started);
    apiBytes = body.length;
  }

  // First render: from navigation start to the chart holding every point and the trials table's first page.
  const renderMs: number[] = [];
  let recorded = trials + 1;
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    started = performance.now();
    await page.goto(`${base}/runs/${runId}`);
    await page.locator(`.chart-caption[data-index="${recorded}"]`).waitFor({ timeout: 30_000 });
    await page.locator('tr.trial').first().waitFor({ timeout: 30_000 });
    renderMs.push(performance.now() - started);
    await page.close();
  }

  // Live: a trial recorded while the page is open, until its row and its chart point show.
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`${base}/runs/${runId}`);
  await page.locator(`.chart-caption[data-index="${recorded}"]`).waitFor({ timeout: 30_000 });
  await page.locator('#live.on').waitFor();
  const liveMs: number[] = [];
  const streamMs: number[] = [];
  const template = getTrial(writer, runId, trials) as NonNullable<ReturnType<typeof getTrial>>;
  for (let record = 0; record < records; record += 1) {
    const index = recorded;
    const streamed = firstChange(`${base}/api/events`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    started = performance.now();
    insertTrial(writer, { ...template, index, endedAt: new Date().toISOString() });
    const stream = await streamed;
    streamMs.push(stream - started);
    await page.locator(`tr.trial[data-index="${index}"]`).waitFor({ timeout: 30_000 });
    await page.locator(`.chart-caption[data-index="${index + 1}"]`).waitFor({ timeout: 30_000 });
    liveMs.push(performance.now() - started);
    recorded += 1;
    await new Promise((resolve) => setTimeout(resolve, 700));
  }

  const row = (name: string, samples: number[]) => {
    const { median, p95, max, min } = stats(samples);
    return `| ${name} | ${samples.length} | ${min.toFixed(0)} | ${median.toFixed(0)} | ${p95.toFixed(0)} | ${max.toFixed(0)} |`;
  };
  process.stdout.write(
    [
      `run of ${trials + 1} trials written in ${writeSeconds.toFixed(1)} s; /api/runs/${runId} is ${(apiBytes / 1024).toFixed(0)} KiB`,
      '',
      '| measurement | samples | min ms | median ms | p95 ms | max ms |',
      '| --- | --- | --- | --- | --- | --- |',
      row(`run page first render (${trials + 1} trials: chart + first table page)`, renderMs),
      row('run API alone (/api/runs/:id, from Node)', apiMs),
      row('record → event on the stream (Node client)', streamMs),
      row('record → row and chart point on the open page', liveMs),
      '',
    ].join('\n'),
  );
} finally {
  await browser.close();
  await serve.close();
  writer.close();
}

/** Resolves with performance.now() when the event stream delivers its first `change` event. */
async function firstChange(url: string): Promise<number> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the event stream ended');
      buffer += decoder.decode(value, { stream: true });
      if (buffer.includes('event: change')) return performance.now();
    }
  } finally {
    controller.abort();
  }
}
