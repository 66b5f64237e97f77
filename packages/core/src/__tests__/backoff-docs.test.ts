// The README's "core in one example" and docs/concepts/attempts.md show calls with their results
// in comments. This test runs every such line against the real functions, so the docs cannot
// drift from the code unnoticed.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as core from '../index.js';

const root = (path: string) => fileURLToPath(new URL(`../../../../${path}`, import.meta.url));

/** `expr; // result ...` lines from the ```ts blocks of a markdown file. */
function exampleLines(markdown: string): Array<{ expr: string; comment: string }> {
  const blocks = [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const lines: Array<{ expr: string; comment: string }> = [];
  for (const block of blocks) {
    for (const line of block.split('\n')) {
      const match = /^([a-zA-Z][\w]*\(.*\));\s*\/\/\s*(.+)$/.exec(line.trim());
      if (match) lines.push({ expr: match[1]!, comment: match[2]! });
    }
  }
  return lines;
}

function evaluate(expr: string): unknown {
  const names = Object.keys(core);
  return new Function(...names, `return (${expr});`)(
    ...names.map((n) => (core as Record<string, unknown>)[n]),
  );
}

function check(expr: string, comment: string): void {
  const range = /^(\d+)\.\.(\d+)/.exec(comment);
  const actual = evaluate(expr);
  if (range) {
    expect(actual, expr).toBeGreaterThanOrEqual(Number(range[1]));
    expect(actual, expr).toBeLessThanOrEqual(Number(range[2]));
    return;
  }
  const token = /^('[^']*'|\[[^\]]*\]|true|false|-?\d+)/.exec(comment);
  if (!token) throw new Error(`cannot read the expected value of: ${expr} // ${comment}`);
  expect(actual, expr).toEqual(JSON.parse(token[1]!.replaceAll("'", '"')));
}

describe.each([
  ['README.md', 6],
  ['docs/concepts/attempts.md', 3],
])('examples in %s', (file, atLeast) => {
  const lines = exampleLines(readFileSync(root(file), 'utf8'));

  it(`has at least ${atLeast} checked examples`, () => {
    expect(lines.length).toBeGreaterThanOrEqual(atLeast);
  });

  it('agree with the code', () => {
    for (const { expr, comment } of lines) check(expr, comment);
  });
});
