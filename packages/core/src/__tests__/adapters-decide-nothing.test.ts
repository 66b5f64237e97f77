/**
 * Core decides, adapters store: no adapter source may contain a retry-or-dead decision, a rule
 * about error categories, a `requiresUserAction` of its own making, or a crash refund (an attempt
 * given back for an expired lease) of its own deciding. This scans every
 * `packages/adapter-*\/src` file (comments stripped), so an adapter added later is held to it too.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGES = fileURLToPath(new URL('../../../', import.meta.url));

/** What an adapter must not contain, each with why. */
const FORBIDDEN: Array<{ rule: string; pattern: RegExp }> = [
  {
    rule: 'compares the attempt with max attempts (the retry-or-dead rule is core’s)',
    pattern:
      /\battempt\w*\s*(?:>=|<=|>|<)\s*[\w.]*max_?attempts|max_?attempts\s*(?:>=|<=|>|<)\s*[\w.]*attempt/i,
  },
  {
    rule: 'names an error category (category rules are core’s)',
    pattern: /['"`](?:permanent_|transient_)|startsWith\(\s*['"`](?:permanent|transient)/,
  },
  {
    rule: 'computes requiresUserAction (only core’s outcome may set it)',
    pattern:
      /requiresUserAction\s*=(?!=)(?!\s*outcome\.requiresUserAction\b)|requires_user_action\s*=(?!\s*CASE WHEN [$?]\d+ THEN [$?]\d+)/,
  },
  {
    rule: 'applies a cap to crash refunds (the crash-refund rule is core’s)',
    pattern: /crash_?refunds\s*(?:>=|<=|>|<)|(?:>=|<=|>|<)\s*[\w.]*crash_?refunds|MAX_CRASH_REFUNDS/i,
  },
  {
    rule: 'gives an attempt back on its own (only a release core asked for refunds one)',
    pattern:
      /attempt\s*=\s*CASE WHEN\s+(?![$?]\d)|(?:prefetched|startReported)\b[^;\n]*\battempt\s*(?:-=|=\s*[\w.]*attempt\s*-)/i,
  },
  {
    rule: 'calls one of core’s decision functions',
    pattern:
      /\b(?:decideFailure|calculateBackoffDelay|shouldRetry|isRetryable|isPermanentCategory|getSuggestedAction|classifyError)\s*\(/,
  },
];

/**
 * Integrations shipped inside an adapter package that are not the adapter: they ask core to
 * decide (decideFailure) and then act on the answer, like the runner. Cloudflare Queues consumer.
 */
const INTEGRATIONS = [join('adapter-d1', 'src', 'queues')];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (INTEGRATIONS.some((i) => path.endsWith(i))) continue;
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(?:ts|js|mjs|sql)$/.test(entry)) out.push(path);
  }
  return out;
}

/** Strips `//`, `/* *\/` and SQL `--` comments, so a comment explaining the rule is not flagged. */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
    .replace(/--.*$/gm, '');
}

function violations(text: string): string[] {
  const body = code(text);
  return FORBIDDEN.filter((f) => f.pattern.test(body)).map((f) => f.rule);
}

describe('adapters store, core decides', () => {
  const adapters = readdirSync(PACKAGES).filter((p) => p.startsWith('adapter-'));
  const files = adapters.flatMap((a) => {
    const src = join(PACKAGES, a, 'src');
    try {
      return sourceFiles(src);
    } catch {
      return []; // a package without sources yet
    }
  });

  it('scans the adapters’ sources', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.some((f) => f.includes('adapter-memory'))).toBe(true);
    expect(files.some((f) => f.includes('adapter-postgres'))).toBe(true);
  });

  it('no adapter source decides retry or dead, applies a category rule, computes requiresUserAction or refunds a crash', () => {
    const found = files.flatMap((file) =>
      violations(readFileSync(file, 'utf8')).map((rule) => `${file.slice(PACKAGES.length)}: ${rule}`),
    );
    expect(found).toEqual([]);
  });

  it('flags the decisions adapters used to take (lines of the pre-v2 memory and Postgres recovery)', () => {
    const old = [
      'const dead = !paused && job.attempt >= job.maxAttempts;',
      "job.requiresUserAction = request.error.category.startsWith('permanent_');",
      "WHEN attempt >= max_attempts THEN 'failed'",
      "r.error.category.startsWith('permanent_'),",
      "requires_user_action = CASE WHEN d.next = 'failed' THEN $7 ELSE j.requires_user_action END,",
      // The Postgres `prefetch` recovery, which refunded claimed-ahead jobs by itself.
      'SELECT id, prefetched AND crash_refunds < 2 AS prefetched, pause_requested, attempt,',
      'attempt = CASE WHEN d.prefetched THEN GREATEST(j.attempt - 1, 0) ELSE j.attempt END,',
      'if (stored.startReported === false) stored.job.attempt -= 1;',
    ];
    for (const line of old) expect(violations(line), line).not.toEqual([]);
    // What adapters do instead: store the outcome core sent.
    const allowed = [
      'job.requiresUserAction = outcome.requiresUserAction;',
      'requires_user_action = CASE WHEN $7 THEN $9 ELSE requires_user_action END,',
      'job.attempt += 1;',
      '// a comment may say attempt >= maxAttempts',
      // Storing the facts and core's refund request is what adapters do.
      'crash_refunds = crash_refunds + CASE WHEN $7 THEN 1 ELSE 0 END,',
      'attempt = CASE WHEN $6 THEN GREATEST(attempt - 1, 0) ELSE attempt END,',
      'attempt = CASE WHEN ?6 THEN max(attempt - 1, 0) ELSE attempt END,',
      'if (request.refundAttempt && job.attempt > 0) job.attempt -= 1;',
      'prefetched = j.prefetched AND NOT h.started',
    ];
    for (const line of allowed) expect(violations(line), line).toEqual([]);
  });
});
